import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metaJson } from '../worker/sandbox/meta-json';
import { api, BASE, makeCompany, makePerson, uniquePhone } from './helpers/fixtures';
import {
  change,
  envelope,
  inboundMessage,
  inboundPayload,
  nowSeconds,
  postWebhook,
  statusItem,
  wamid,
} from './helpers/webhooks';

interface Note {
  id: string;
  type: string;
  wamid: string | null;
  message_type: string | null;
  body: string | null;
  content: Record<string, unknown> | null;
  context_wamid: string | null;
  status: string | null;
}

async function history(company: { apiKey: string }, personId: string, filter = ''): Promise<Note[]> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}/history${filter ? `?filter=${filter}` : ''}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: Note[] }).collection;
}

async function personByPhone(company: { apiKey: string }, phone: string) {
  const res = await api(company, 'GET', `/api/v1/people?phone=${encodeURIComponent(phone)}`);
  const list = (await res.json()) as {
    collection: { id: string; first_name: string; last_name: string | null; status: string }[];
  };
  return list.collection[0];
}

const deadLetters = async () =>
  (await env.DB.prepare('SELECT raw_body, error FROM webhook_dead_letters').all<{ raw_body: string; error: string }>())
    .results;

describe('GET /webhooks/whatsapp (verification)', () => {
  it('echoes the challenge as plain text for the right token', async () => {
    const res = await exports.default.fetch(
      `${BASE}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${env.META_VERIFY_TOKEN}&hub.challenge=1158201444`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('1158201444');
  });

  it('refuses a wrong token or mode with 403', async () => {
    const wrong = await exports.default.fetch(
      `${BASE}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    );
    expect(wrong.status).toBe(403);
    const mode = await exports.default.fetch(
      `${BASE}/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${env.META_VERIFY_TOKEN}&hub.challenge=1`,
    );
    expect(mode.status).toBe(403);
  });
});

describe('POST /webhooks/whatsapp signature', () => {
  it('rejects a missing or forged signature with 401 and stores nothing', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    const payload = inboundPayload(company.phoneNumberId, { from: phone, text: 'forged' });
    const missing = await postWebhook(payload, { secret: null });
    expect(missing.status).toBe(401);
    const forged = await postWebhook(payload, { secret: 'not-the-app-secret' });
    expect(forged.status).toBe(401);
    const garbage = await postWebhook(payload, { signature: 'sha256=zz' });
    expect(garbage.status).toBe(401);
    expect(await personByPhone(company, phone)).toBeUndefined();
  });

  it('checks the raw bytes: Meta escapes non-ASCII, and the same JSON re-serialised would not match', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    const raw = metaJson(inboundPayload(company.phoneNumberId, { from: phone, text: 'Olá café', name: 'José' }));
    const res = await postWebhook(null, { raw });
    expect(res.status).toBe(200);
    const person = await personByPhone(company, phone);
    expect(person?.first_name).toBe('José');
    expect((await history(company, person?.id ?? ''))[0]?.body).toBe('Olá café');
  });
});

describe('inbound messages', () => {
  it('records a text from an unknown number as a new lead named from the WhatsApp profile', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    const res = await postWebhook(
      inboundPayload(company.phoneNumberId, { from: phone, text: 'Do you have classes?', name: 'Sheena Nelson' }),
    );
    expect(res.status).toBe(200);
    const person = await personByPhone(company, phone);
    expect(person).toMatchObject({ first_name: 'Sheena', last_name: 'Nelson', status: 'lead' });
    const notes = await history(company, person?.id ?? '', 'whatsapp_received');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'whatsapp_received', message_type: 'text', body: 'Do you have classes?' });
  });

  it('attaches messages to an existing person with that number', async () => {
    const company = await makeCompany();
    const person = await makePerson(company, { first_name: 'Ana' });
    await postWebhook(inboundPayload(company.phoneNumberId, { from: person.phone, text: 'hi' }));
    expect((await history(company, person.id)).map((n) => n.body)).toEqual(['hi']);
    const res = await api(company, 'GET', '/api/v1/people?per_page=100');
    expect(((await res.json()) as { collection: unknown[] }).collection).toHaveLength(1);
  });

  it('keeps media, location, contacts, buttons, interactive replies, reactions and reply context', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const replied = wamid();
    const kinds: Record<string, unknown>[] = [
      { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', sha256: 'abc', caption: 'my card' } },
      { type: 'document', document: { id: 'media-2', mime_type: 'application/pdf', filename: 'form.pdf' } },
      { type: 'audio', audio: { id: 'media-3', mime_type: 'audio/ogg' } },
      { type: 'video', video: { id: 'media-4', mime_type: 'video/mp4' } },
      { type: 'sticker', sticker: { id: 'media-5', mime_type: 'image/webp', animated: false } },
      { type: 'location', location: { latitude: 51.5, longitude: -0.12, name: 'The gym' } },
      { type: 'contacts', contacts: [{ name: { formatted_name: 'Bo' }, phones: [{ phone: '+447400000000' }] }] },
      { type: 'button', button: { text: 'Book a tour', payload: 'tour' } },
      { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes please' } } },
      { type: 'reaction', reaction: { message_id: replied, emoji: '👍' } },
      { type: 'text', text: { body: 'replying' }, context: { from: '15550783881', id: replied } },
    ];
    const messages = kinds.map((message) => inboundMessage({ from: person.phone, message }));
    const res = await postWebhook(envelope(company.phoneNumberId, { messages }));
    expect(res.status).toBe(200);
    const notes = await history(company, person.id);
    const byType = Object.fromEntries(notes.map((n) => [n.message_type, n]));
    expect(notes).toHaveLength(kinds.length);
    expect(byType.image).toMatchObject({ body: 'my card', content: { id: 'media-1', mime_type: 'image/jpeg' } });
    expect(byType.document?.content).toMatchObject({ id: 'media-2', filename: 'form.pdf' });
    expect(byType.location).toMatchObject({ body: 'The gym', content: { latitude: 51.5, longitude: -0.12 } });
    expect(byType.contacts?.content).toMatchObject({ contacts: [{ name: { formatted_name: 'Bo' } }] });
    expect(byType.button?.body).toBe('Book a tour');
    expect(byType.interactive?.body).toBe('Yes please');
    expect(byType.reaction).toMatchObject({ body: '👍', content: { message_id: replied } });
    expect(byType.text).toMatchObject({ body: 'replying', context_wamid: replied });
  });

  it('stores a redelivered message once', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const payload = inboundPayload(company.phoneNumberId, { from: person.phone, text: 'once' });
    for (let i = 0; i < 3; i++) expect((await postWebhook(payload)).status).toBe(200);
    expect(await history(company, person.id)).toHaveLength(1);
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    const body = (await res.json()) as { counters: { whatsapp: { membership: { received: number } } } };
    expect(body.counters.whatsapp.membership.received).toBe(1);
  });

  it('processes every entry, change and message of a batch, even when some items are broken', async () => {
    const a = await makeCompany();
    const b = await makeCompany();
    const pa = await makePerson(a);
    const pb = await makePerson(b);
    const one = change(a.phoneNumberId, {
      messages: [
        inboundMessage({ from: pa.phone, text: 'a1' }),
        { broken: true },
        inboundMessage({ from: pa.phone, text: 'a2' }),
      ],
    });
    const two = change(b.phoneNumberId, { messages: [inboundMessage({ from: pb.phone, text: 'b1' })] });
    const unknownNumber = change('999999999', { messages: [inboundMessage({ from: pb.phone, text: 'nobody' })] });
    const batch = {
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [one, unknownNumber] },
        { id: '2', changes: [two] },
      ],
    };
    expect((await postWebhook(batch)).status).toBe(200);
    expect((await history(a, pa.id)).map((n) => n.body).sort()).toEqual(['a1', 'a2']);
    expect((await history(b, pb.id)).map((n) => n.body)).toEqual(['b1']);
    expect((await deadLetters()).some((d) => d.raw_body.includes('"broken":true'))).toBe(true);
  });

  it('keeps a signed payload that does not parse in the dead-letter table and answers 200', async () => {
    const raw = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{';
    expect((await postWebhook(null, { raw })).status).toBe(200);
    const weird = { object: 'page', entry: 'not a list' };
    expect((await postWebhook(weird)).status).toBe(200);
    const letters = await deadLetters();
    expect(letters.some((d) => d.raw_body === raw)).toBe(true);
    expect(letters.some((d) => d.raw_body.includes('"object":"page"'))).toBe(true);
  });
});

describe('STOP and START', () => {
  it('opts the person out on STOP and back in on START, with history and consent log', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    // Seconds apart, as a person types them: in the same second STOP would win (test/keyword-order.test.ts).
    const stop = inboundPayload(company.phoneNumberId, {
      from: person.phone,
      text: '  stop ',
      timestamp: nowSeconds(-5000),
    });
    expect((await postWebhook(stop)).status).toBe(200);
    let res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp_opted_out: true });
    // Redelivered STOP changes nothing more.
    await postWebhook(stop);

    await postWebhook(inboundPayload(company.phoneNumberId, { from: person.phone, text: 'Start' }));
    res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp_opted_out: false });

    const types = (await history(company, person.id)).map((n) => n.type);
    expect(types.filter((t) => t === 'whatsapp_opt_out')).toHaveLength(1);
    expect(types.filter((t) => t === 'whatsapp_opt_in')).toHaveLength(1);
    const consent = await env.DB.prepare(
      'SELECT action, method, text, evidence_url, actor FROM consent_log WHERE person_id = ? ORDER BY recorded_at',
    )
      .bind(person.id)
      .all<{ action: string; method: string; text: string; evidence_url: string; actor: string }>();
    expect(consent.results.map((r) => [r.action, r.method, r.text])).toEqual([
      ['opt_out', 'whatsapp_keyword', 'stop'],
      ['opt_in', 'whatsapp_keyword', 'Start'],
    ]);
    expect(consent.results[0]?.evidence_url).toMatch(/^wamid:/);
    expect(JSON.parse(consent.results[0]?.actor ?? '{}')).toMatchObject({ kind: 'whatsapp' });
  });

  it('does not treat STOP inside a sentence as an opt-out', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    await postWebhook(inboundPayload(company.phoneNumberId, { from: person.phone, text: 'please stop by later' }));
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp_opted_out: false });
  });
});

describe('statuses', () => {
  it('keeps a status for a message we do not know, and ignores statuses for unknown numbers', async () => {
    const company = await makeCompany();
    const id = wamid();
    const res = await postWebhook(
      envelope(company.phoneNumberId, { statuses: [statusItem({ id, status: 'delivered', to: uniquePhone() })] }),
    );
    expect(res.status).toBe(200);
    const ignored = await postWebhook(
      envelope('123', { statuses: [statusItem({ id, status: 'read', to: uniquePhone() })] }),
    );
    expect(ignored.status).toBe(200);
  });
});

describe('replayed webhooks change nothing (property)', () => {
  it('stores each message once and counts it once, whatever the duplicates and order', async () => {
    const company = await makeCompany();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        async (texts, picks) => {
          const person = await makePerson(company);
          const messages = texts.map((text) => inboundMessage({ from: person.phone, text: `m:${text}` }));
          // Every message at least once, then random replays, sent in batches of up to three.
          const deliveries = [...messages, ...picks.map((p) => messages[p % messages.length])];
          for (let i = 0; i < deliveries.length; i += 3)
            expect(
              (await postWebhook(envelope(company.phoneNumberId, { messages: deliveries.slice(i, i + 3) }))).status,
            ).toBe(200);
          const notes = await history(company, person.id);
          expect(notes.map((n) => n.body).sort()).toEqual(texts.map((t) => `m:${t}`).sort());
          const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
          const body = (await res.json()) as { counters: { whatsapp: { membership: { received: number } } } };
          expect(body.counters.whatsapp.membership.received).toBe(texts.length);
        },
      ),
      { numRuns: 12 },
    );
    // Up to 200 signed webhooks: well within a second or two alone, but not on a machine shared by four suites.
  }, 30_000);
});
