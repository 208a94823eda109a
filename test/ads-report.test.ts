// GET /api/v1/reports/ads: per ad, the leads of a period (by the time their first ad message arrived), the ones
// who wrote again after our first answer, and the ones now in a won stage; scoped like every list; served by the
// report's index.

import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { adsReportQuery } from '../worker/reports/ads';
import { firstClub, makeClub } from './helpers/clubs';
import { api, makeCompany, type TestCompany, uniquePhone } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { expectError, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { inboundPayload, nowSeconds, postWebhook, wamid } from './helpers/webhooks';

interface Report {
  from: string;
  to: string;
  collection: { source_id: string; headline: string | null; leads: number; replies: number; joined: number }[];
  totals: { leads: number; replies: number; joined: number };
}

async function writes(company: TestCompany, phone: string, o: { ad?: string; secondsAgo?: number; type?: string }) {
  const message =
    o.type === 'reaction'
      ? { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }
      : {
          type: 'text',
          text: { body: 'hello' },
          ...(o.ad ? { referral: { source_id: o.ad, headline: `Ad ${o.ad}`, ctwa_clid: 'c' } } : {}),
        };
  const res = await postWebhook(
    inboundPayload(company.phoneNumberId, {
      from: phone,
      id: wamid(),
      timestamp: nowSeconds(-(o.secondsAgo ?? 0) * 1000),
      message,
    }),
  );
  expect(res.status).toBe(200);
}

async function personId(company: TestCompany, phone: string): Promise<string> {
  const res = await api(company, 'GET', `/api/v1/people?phone=${encodeURIComponent(phone)}`);
  const id = ((await res.json()) as { collection: { id: string }[] }).collection[0]?.id;
  if (!id) throw new Error('no person');
  return id;
}

describe('the ads report', () => {
  it('counts leads, replies and joined per ad, most leads first', async () => {
    const company = await makeCompany();
    const stages = (
      (await (await api(company, 'GET', '/api/v1/pipeline')).json()) as { stages: { id: string; outcome: string }[] }
    ).stages;
    const won = stages.find((s) => s.outcome === 'won');
    if (!won) throw new Error('no won stage');
    const [a1, a2, a3, b1, none] = [uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone(), uniquePhone()];
    for (const phone of [a1, a2, a3]) await writes(company, phone as string, { ad: 'ad_a', secondsAgo: 600 });
    await writes(company, b1 as string, { ad: 'ad_b', secondsAgo: 600 });
    await writes(company, none as string, { secondsAgo: 600 });
    // a1: we answer, they answer back (a reply) and join. a2: we answer, they only react (no reply). a3: they write
    // again but we never answered (no reply either). b1: joins without a reply.
    const ids = await Promise.all([a1, a2, a3, b1].map((p) => personId(company, p as string)));
    const [p1, p2, , q1] = ids as [string, string, string, string];
    expect((await sendText(company, p1, 'Hi! Come for a tour?')).status).toBe(202);
    expect((await sendText(company, p2, 'Hi! Come for a tour?')).status).toBe(202);
    await writes(company, a1 as string, {});
    await writes(company, a2 as string, { type: 'reaction' });
    await writes(company, a3 as string, {});
    for (const id of [p1, q1]) await api(company, 'PATCH', `/api/v1/people/${id}`, { stage: won.id });

    const res = await api(company, 'GET', '/api/v1/reports/ads');
    expect(res.status).toBe(200);
    const report = (await res.json()) as Report;
    expect(
      report.collection.map(({ source_id, headline, leads, replies, joined }) => ({
        source_id,
        headline,
        leads,
        replies,
        joined,
      })),
    ).toEqual([
      { source_id: 'ad_a', headline: 'Ad ad_a', leads: 3, replies: 1, joined: 1 },
      { source_id: 'ad_b', headline: 'Ad ad_b', leads: 1, replies: 0, joined: 1 },
    ]);
    expect(report.totals).toEqual({ leads: 4, replies: 1, joined: 2 });

    // A period before they came: nobody. A bad period: refused.
    const before = await api(company, 'GET', '/api/v1/reports/ads?from=2020-01-01&to=2020-01-31');
    expect(((await before.json()) as Report).collection).toEqual([]);
    await expectError(
      await api(company, 'GET', '/api/v1/reports/ads?from=2026-02-01&to=2026-01-01'),
      422,
      'invalid_period',
    );
    await expectError(
      await api(company, 'GET', '/api/v1/reports/ads?from=2020-01-01&to=2026-01-01'),
      422,
      'invalid_period',
    );
  });

  it("club= counts that club's leads only, and nobody for a club outside the caller's", async () => {
    const company = await makeCompany();
    const [north, southPhone] = [uniquePhone(), uniquePhone()];
    await writes(company, north, { ad: 'ad_north', secondsAgo: 60 });
    await writes(company, southPhone, { ad: 'ad_south', secondsAgo: 60 });
    const first = await firstClub(company);
    const south = await makeClub(company, 'South');
    await api(company, 'PATCH', `/api/v1/people/${await personId(company, southPhone)}`, { club_id: south });
    const ads = async (query: string, as = (path: string) => api(company, 'GET', path)) =>
      ((await (await as(`/api/v1/reports/ads${query}`)).json()) as Report).collection.map((r) => r.source_id);
    expect(await ads('')).toEqual(['ad_north', 'ad_south']);
    expect(await ads(`?club=${south}`)).toEqual(['ad_south']);
    expect(await ads(`?club=${first}`)).toEqual(['ad_north']);
    const northManager = await staffSession(company, 'manager', { clubIds: [first] });
    expect(await ads(`?club=${south}`, (path) => northManager.fetch(path))).toEqual([]);
    expect(await ads('', (path) => northManager.fetch(path))).toEqual(['ad_north']);
  });

  it('is for managers, admins and API keys; staff may not read it', async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    await expectError(await staff.fetch('/api/v1/reports/ads'), 403, 'forbidden');
    const manager = await staffSession(company, 'manager');
    expect((await manager.fetch('/api/v1/reports/ads')).status).toBe(200);
  });

  it('walks the report’s index for the period, not the company’s people', async () => {
    const q = adsReportQuery('com_x', UNSCOPED, 0, Date.now());
    const plan = (await queryPlan(q)).join('\n');
    expect(plan).toMatch(/people_company_ad_lead_at \(company_id=\? AND ad_lead_at>\? AND ad_lead_at<\?\)/);
    expect(plan).toMatch(/history_notes_person_type/);
    expect(plan).not.toMatch(/SCAN (p|people|history_notes)\b/);
  });
});
