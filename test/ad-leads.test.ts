// Leads from click-to-WhatsApp ads: Meta's referral kept on the message and on the person as their first ad (once)
// and latest ad (by Meta's time), in the batch that stores the message, so redeliveries and races change nothing;
// the inbox and the directory filtered by ad through their own indexes; the simulator's "as if from an ad".
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { getDb } from '../worker/db/client';
import { conversationsPage } from '../worker/inbox/conversations';
import { peoplePageQuery } from '../worker/people/list';
import { api, makeCompany, type TestCompany, uniquePhone } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { historyOf } from './helpers/sandbox';
import { inboundPayload, nowSeconds, postWebhook, wamid } from './helpers/webhooks';

interface LeadSource {
  source_id: string | null;
  headline: string | null;
  ctwa_clid: string | null;
  welcome_message: { text: string } | null;
  at: string;
  note_id: string;
}
interface PersonJson {
  id: string;
  lead_source: { first: LeadSource | null; latest: LeadSource | null };
}

const referral = (ad: string, extra: Record<string, unknown> = {}) => ({
  source_url: `https://fb.me/${ad}`,
  source_id: ad,
  source_type: 'ad',
  headline: `Headline of ${ad}`,
  body: 'First month free',
  media_type: 'image',
  image_url: 'https://scontent.xx.fbcdn.net/v/ad.jpg',
  thumbnail_url: 'https://scontent.xx.fbcdn.net/v/ad-thumb.jpg',
  ctwa_clid: `clid-${ad}`,
  ...extra,
});

/** A text message from `phone`, from an ad when `ad` is given; Meta's time `secondsAgo` before now. */
function fromAd(
  company: TestCompany,
  phone: string,
  o: { ad?: string; id?: string; secondsAgo?: number; extra?: object },
) {
  return inboundPayload(company.phoneNumberId, {
    from: phone,
    id: o.id ?? wamid(),
    timestamp: nowSeconds(-(o.secondsAgo ?? 0) * 1000),
    message: {
      type: 'text',
      text: { body: 'Hi, I saw your ad' },
      ...(o.ad ? { referral: referral(o.ad, o.extra as Record<string, unknown>) } : {}),
    },
  });
}

async function personByPhone(company: TestCompany, phone: string): Promise<PersonJson> {
  const res = await api(company, 'GET', `/api/v1/people?phone=${encodeURIComponent(phone)}`);
  const [found] = ((await res.json()) as { collection: { id: string }[] }).collection;
  if (!found) throw new Error(`no person with ${phone}`);
  return (await (await api(company, 'GET', `/api/v1/people/${found.id}`)).json()) as PersonJson;
}

async function post(payload: unknown): Promise<void> {
  const res = await postWebhook(payload);
  expect(res.status).toBe(200);
}

describe('a message from an ad', () => {
  it('keeps the referral on the message and makes the ad the new lead’s first and latest source', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    await post(fromAd(company, phone, { ad: 'ad_1', extra: { welcome_message: { text: 'Hi! Tell me more' } } }));
    const person = await personByPhone(company, phone);
    expect(person.lead_source.first).toMatchObject({
      source_id: 'ad_1',
      headline: 'Headline of ad_1',
      ctwa_clid: 'clid-ad_1',
      welcome_message: { text: 'Hi! Tell me more' },
    });
    expect(person.lead_source.latest).toEqual(person.lead_source.first);
    const [message] = (await historyOf(company, person.id)) as unknown as { id: string; referral: unknown }[];
    expect(message?.id).toBe(person.lead_source.first?.note_id);
    expect(message?.referral).toMatchObject({
      source_id: 'ad_1',
      source_url: 'https://fb.me/ad_1',
      media_type: 'image',
    });
  });

  it('keeps the first ad for good, moves the latest forward by Meta’s time, and a redelivery changes neither', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    const first = fromAd(company, phone, { ad: 'ad_a', secondsAgo: 300 });
    await post(first);
    await post(fromAd(company, phone, { secondsAgo: 200 })); // no ad: nothing moves
    await post(fromAd(company, phone, { ad: 'ad_c', secondsAgo: 60 }));
    // Meta delivers late: an older message from another ad, and the first one again.
    await post(fromAd(company, phone, { ad: 'ad_b', secondsAgo: 120 }));
    await post(first);
    const person = await personByPhone(company, phone);
    expect(person.lead_source.first?.source_id).toBe('ad_a');
    expect(person.lead_source.latest?.source_id).toBe('ad_c');
    expect((await historyOf(company, person.id)).length).toBe(4);
  });

  it('sets the first ad once when two ad messages of a new lead arrive at once', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    await Promise.all(['ad_x', 'ad_y', 'ad_z'].map((ad) => post(fromAd(company, phone, { ad }))));
    const person = await personByPhone(company, phone);
    const notes = (await historyOf(company, person.id)) as unknown as { id: string; referral: { source_id: string } }[];
    const firstNote = notes.find((n) => n.id === person.lead_source.first?.note_id);
    // Whichever stored first, the person's first ad is that message's ad.
    expect(firstNote?.referral.source_id).toBe(person.lead_source.first?.source_id);
    const rows = await getDb(env)
      .$client.prepare('SELECT ad_source_id FROM people WHERE id = ?1')
      .bind(person.id)
      .first<{ ad_source_id: string }>();
    expect(rows?.ad_source_id).toBe(person.lead_source.first?.source_id);
  });

  it('never drops a message for a referral of an unexpected shape, and ignores fields Meta adds', async () => {
    const company = await makeCompany();
    const odd = uniquePhone();
    await post(fromAd(company, odd, { ad: 'ad_odd', extra: { headline: 42, brand_new_field: { deep: [1] } } }));
    const person = await personByPhone(company, odd);
    expect(person.lead_source.first).toMatchObject({ source_id: 'ad_odd', headline: null });
    const weird = uniquePhone();
    await post(
      inboundPayload(company.phoneNumberId, {
        from: weird,
        message: { type: 'text', text: { body: 'hello' }, referral: 'not an object' },
      }),
    );
    const other = await personByPhone(company, weird);
    expect(other.lead_source).toEqual({ first: null, latest: null });
    expect(await historyOf(company, other.id)).toHaveLength(1);
  });

  it('comes from the simulator "as if from an ad", with the demo ad or the fields given', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    const res = await api(company, 'POST', '/sandbox/inbound', {
      from: phone,
      text: 'Is the offer still on?',
      from_ad: true,
      referral: { headline: 'Summer offer' },
    });
    expect(res.status).toBe(202);
    const person = await personByPhone(company, phone);
    expect(person.lead_source.first).toMatchObject({ source_id: '120210000000000001', headline: 'Summer offer' });
    const picture = await api(
      company,
      'GET',
      `/api/v1/people/${person.id}/ad-thumbnail/${person.lead_source.first?.note_id}`,
    );
    expect(picture.status).toBe(200);
    expect(picture.headers.get('Content-Type')).toBe('image/png');
    expect((await picture.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });

  it('serves no picture from anywhere but Meta’s CDN', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    await post(fromAd(company, phone, { ad: 'ad_evil', extra: { thumbnail_url: 'https://evil.example/x.png' } }));
    const person = await personByPhone(company, phone);
    const res = await api(
      company,
      'GET',
      `/api/v1/people/${person.id}/ad-thumbnail/${person.lead_source.first?.note_id}`,
    );
    expect(res.status).toBe(404);
  });
});

describe('filters by ad', () => {
  it('the directory and the inbox show the people of one ad, or of any ad, newest first', async () => {
    const company = await makeCompany();
    const phones = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    await post(fromAd(company, phones[0] as string, { ad: 'ad_1', secondsAgo: 40 }));
    await post(fromAd(company, phones[1] as string, { ad: 'ad_2', secondsAgo: 30 }));
    await post(fromAd(company, phones[2] as string, { secondsAgo: 20 }));
    await post(fromAd(company, phones[3] as string, { ad: 'ad_1', secondsAgo: 10 }));
    const ids = await Promise.all(phones.map(async (p) => (await personByPhone(company, p)).id));
    const list = async (path: string) =>
      (
        (await (await api(company, 'GET', path)).json()) as { collection: { id?: string; person_id?: string }[] }
      ).collection.map((r) => r.id ?? r.person_id);
    expect(await list('/api/v1/people?ad=ad_1')).toEqual([ids[3], ids[0]]);
    expect(await list('/api/v1/people?source=ad')).toEqual([ids[3], ids[1], ids[0]]);
    expect(await list('/api/v1/conversations?ad=ad_1')).toEqual([ids[3], ids[0]]);
    expect(await list('/api/v1/conversations?source=ad')).toEqual([ids[3], ids[1], ids[0]]);
    expect(await list('/api/v1/conversations?ad=ad_none')).toEqual([]);
    expect((await api(company, 'GET', '/api/v1/people?source=organic')).status).toBe(422);
  });

  it('walks the ad indexes in the list’s order, never the whole company', async () => {
    const db = getDb(env);
    const people = async (query: object) =>
      (
        await queryPlan(
          peoplePageQuery(db, { companyId: 'com_x', scope: UNSCOPED }, { per_page: 25, ...query }).toSQL(),
        )
      ).join('\n');
    expect(await people({ ad: 'ad_1' })).toMatch(/people_company_ad_created \(company_id=\? AND ad_source_id=\?\)/);
    expect(await people({ source: 'ad' })).toMatch(/people_company_from_ad_created/);
    for (const query of [{ ad: 'ad_1' }, { source: 'ad' as const }]) {
      const page = conversationsPage('com_x', { per_page: 25, ...query }, Date.now(), null);
      const [keys] = (await queryPlan({ sql: page.sql, params: page.params })).join('\n').split('SCAN k');
      expect(keys).toMatch(/conversations_company_(from_)?ad_last/);
      expect(keys).not.toMatch(/TEMP B-TREE|SCAN c/);
    }
  });
});
