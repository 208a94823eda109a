// STOP and START arrive in whatever order Meta delivers them (at-least-once, unordered): the person's latest
// keyword by Meta's timestamp is their choice, and an older one delivered late changes nothing.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { inboundPayload, nowSeconds, postWebhook } from './helpers/webhooks';

interface Sent {
  text: string;
  /** Seconds before now, by Meta's timestamp. */
  ago: number;
}

async function optedOut(company: TestCompany, personId: string): Promise<boolean> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}`);
  return ((await res.json()) as { whatsapp_opted_out: boolean }).whatsapp_opted_out;
}

async function historyTypes(company: TestCompany, personId: string): Promise<{ type: string; body: string | null }[]> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}/history?per_page=100`);
  return ((await res.json()) as { collection: { type: string; body: string | null }[] }).collection;
}

async function consentActions(personId: string): Promise<{ action: string; text: string; captured_at: number }[]> {
  const rows = await env.DB.prepare(
    'SELECT action, text, captured_at FROM consent_log WHERE person_id = ? ORDER BY captured_at, recorded_at',
  )
    .bind(personId)
    .all<{ action: string; text: string; captured_at: number }>();
  return rows.results;
}

const payload = (company: TestCompany, phone: string, m: Sent) =>
  inboundPayload(company.phoneNumberId, { from: phone, text: m.text, timestamp: nowSeconds(-m.ago * 1000) });

const STOP_START_STOP: Sent[] = [
  { text: 'STOP', ago: 60 },
  { text: 'START', ago: 30 },
  { text: 'STOP', ago: 10 },
];

/** Every order the three can be delivered in. */
function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('keywords delivered out of order', () => {
  it('keeps the person opted out when the last STOP arrives before the START it follows', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const [first, start, last] = STOP_START_STOP.map((m) => payload(company, person.phone, m));
    for (const p of [first, last, start]) expect((await postWebhook(p)).status).toBe(200);

    expect(await optedOut(company, person.id)).toBe(true);
    // The consent log and history say what happened to the flag: one opt-out, from the first STOP; the late
    // START changed nothing, so it is no opt-in (its message is still in the history as received).
    const consent = await consentActions(person.id);
    expect(consent.map((c) => c.action)).toEqual(['opt_out']);
    const notes = await historyTypes(company, person.id);
    expect(notes.filter((n) => n.type === 'whatsapp_opt_out')).toHaveLength(1);
    expect(notes.filter((n) => n.type === 'whatsapp_opt_in')).toHaveLength(0);
    expect(notes.filter((n) => n.type === 'whatsapp_received').map((n) => n.body)).toEqual(['STOP', 'START', 'STOP']);
  });

  it('keeps the person opted in when an older STOP arrives after their latest START', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    await postWebhook(payload(company, person.phone, { text: 'START', ago: 10 }));
    await postWebhook(payload(company, person.phone, { text: 'STOP', ago: 30 }));
    expect(await optedOut(company, person.id)).toBe(false);
    expect(await consentActions(person.id)).toEqual([]);
  });

  it('lets STOP win over a START sent in the same second, whichever arrives first', async () => {
    const company = await makeCompany();
    for (const order of [
      ['START', 'STOP'],
      ['STOP', 'START'],
    ]) {
      const person = await makePerson(company);
      // One timestamp for both: made one by one, a second could tick over between them.
      const timestamp = nowSeconds(-20_000);
      for (const text of order)
        await postWebhook(inboundPayload(company.phoneNumberId, { from: person.phone, text, timestamp }));
      expect(await optedOut(company, person.id), order.join(', ')).toBe(true);
    }
  });

  it('ends with the latest keyword whatever the order, delivered one by one or all at once', async () => {
    const company = await makeCompany();
    for (const order of permutations(STOP_START_STOP)) {
      for (const concurrent of [false, true]) {
        const person = await makePerson(company);
        const payloads = order.map((m) => payload(company, person.phone, m));
        if (concurrent) {
          const answers = await Promise.all(payloads.map((p) => postWebhook(p)));
          expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
        } else for (const p of payloads) expect((await postWebhook(p)).status).toBe(200);

        const label = `${order.map((m) => `${m.text}@-${m.ago}s`).join(', ')}${concurrent ? ' (at once)' : ''}`;
        expect(await optedOut(company, person.id), label).toBe(true);
        // Each consent entry is a change of the flag, in Meta's time order, and the last one is the state.
        const actions = (await consentActions(person.id)).map((c) => c.action);
        expect(actions.at(-1), label).toBe('opt_out');
        for (let i = 1; i < actions.length; i++) expect(actions[i], label).not.toBe(actions[i - 1]);
        const changes = (await historyTypes(company, person.id)).filter((n) => n.type.startsWith('whatsapp_opt_'));
        expect(changes.length, label).toBe(actions.length);
      }
    }
  });
});

describe('a new phone number', () => {
  it("counts the new number's keywords on their own: a STOP it sent is not ignored for being older than the old number's START", async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    // The old number said START 30 s ago (Meta's time).
    expect((await postWebhook(payload(company, person.phone, { text: 'START', ago: 30 }))).status).toBe(200);
    const newPhone = `+4474${String(Date.now()).slice(-8)}`;
    expect((await api(company, 'PUT', `/api/v1/people/${person.id}`, { phone: newPhone })).status).toBe(200);
    // The new number's STOP, sent a minute ago, is delivered now.
    expect((await postWebhook(payload(company, newPhone, { text: 'STOP', ago: 60 }))).status).toBe(200);
    expect(await optedOut(company, person.id)).toBe(true);
  });
});
