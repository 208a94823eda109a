// Erasure on request: what goes, what stays, and that no message reaches an erased person's number again
// until new consent, whichever way a send comes (API, automated item, a race with the erasure itself).
import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, approveTemplate, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import {
  conversation,
  countersOf,
  expectError,
  historyOf,
  inWindow,
  manualSimulator,
  sendHeldByThrottling,
  sendText,
} from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { inboundPayload, postWebhook } from './helpers/webhooks';

const CONSENT = { method: 'web_form', text: 'Message me on WhatsApp', captured_at: '2025-06-01T09:30:00Z' };

const erase = (company: TestCompany, personId: string, body: unknown = { confirm: true }) =>
  api(company, 'POST', `/api/v1/people/${personId}/erase`, body);

interface NoteRow {
  id: string;
  type: string;
  body: string | null;
  content: string | null;
  error: string | null;
  actor: string | null;
  status: string | null;
  wamid: string | null;
  category: string | null;
}

/** Every note of the person as stored, oldest first. */
async function notesOf(personId: string): Promise<NoteRow[]> {
  const { results } = await env.DB.prepare(
    `SELECT id, type, body, content, error, actor, status, wamid, category FROM history_notes
      WHERE person_id = ? ORDER BY occurred_at, created_at, id`,
  )
    .bind(personId)
    .all<NoteRow>();
  return results;
}

async function consentOf(personId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id, channel, action, method, text FROM consent_log WHERE person_id = ? ORDER BY recorded_at, id',
  )
    .bind(personId)
    .all<{ id: string; channel: string; action: string; method: string; text: string | null }>();
  return results;
}

async function auditOf(personId: string) {
  const { results } = await env.DB.prepare(
    `SELECT action, actor_kind, details FROM audit_log WHERE target_type = 'person' AND target_id = ? ORDER BY at, id`,
  )
    .bind(personId)
    .all<{ action: string; actor_kind: string; details: string | null }>();
  return results;
}

/** The erasure's own opt-out note says how it came about, and nothing about the person. */
const ERASURE_NOTE = JSON.stringify({ source: 'api', method: 'erasure_request' });

/** The text a note still holds, anywhere: body, JSON content (beyond a template's identity), error detail. */
function textLeft(n: NoteRow): string[] {
  if (n.type === 'whatsapp_opt_out' && n.content === ERASURE_NOTE && n.body === null) return [];
  const left: string[] = [];
  if (n.body !== null) left.push(n.body);
  if (n.content !== null) {
    const c = JSON.parse(n.content) as Record<string, unknown>;
    const { name: _n, language: _l, category: _c, ...rest } = c;
    if (Object.keys(rest).length > 0 || n.type !== 'whatsapp_sent') left.push(n.content);
  }
  if (n.error !== null) {
    const { code: _code, title: _title, ...rest } = JSON.parse(n.error) as Record<string, unknown>;
    if (Object.keys(rest).length > 0) left.push(n.error);
  }
  return left;
}

/** A person with a real history: consent, a chat with text, an image with a caption, a template, a failure. */
async function personWithHistory() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  await approveTemplate(company.id, { name: 'welcome_offer', params: 1 });
  const person = await makePerson(company, {
    first_name: 'Sheena',
    last_name: 'Nelson',
    email: 'sheena@example.com',
    date_of_birth: '1990-12-05',
    membership_start: '2025-03-01',
    membership_end: '2025-09-30',
    status: 'member',
    whatsapp_consent: CONSENT,
  });
  await sim.inbound({ from: person.phone, text: 'My address is 1 High Street', name: 'Sheena Nelson' });
  await sim.inbound({ from: person.phone, type: 'image', text: 'my membership card' });
  expect((await sendText(company, person.id, 'Thanks Sheena, see you Monday')).status).toBe(202);
  const template = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
    template: { name: 'welcome_offer', language: 'en_GB', params: ['Sheena Nelson'] },
  });
  expect(template.status).toBe(202);
  // Meta accepts the next one, then reports it failed with an error detail of its own.
  await sim.failRecipient(person.phone, 131026, 'Message undeliverable');
  expect((await sendText(company, person.id, 'Are you there, Sheena?')).status).toBe(202);
  await sim.flushWebhooks();
  return { company, sim, person };
}

describe('erasing a person', () => {
  it('removes their personal fields and every text, media reference and template value; keeps the facts', async () => {
    const { company, sim, person } = await personWithHistory();
    const before = await notesOf(person.id);
    const countersBefore = await countersOf(company, person.id);
    const consentBefore = await consentOf(person.id);
    const media = before.find((n) => n.content?.includes('"mime_type"'));
    const mediaId = (JSON.parse(media?.content ?? '{}') as { id?: string }).id;
    expect(mediaId).toBeTruthy();
    expect((await api(company, 'GET', `/api/v1/media/${mediaId}`)).status).toBe(200);

    const res = await erase(company, person.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: person.id,
      first_name: 'Erased person',
      last_name: null,
      email: null,
      phone: person.phone,
      date_of_birth: null,
      membership_start: null,
      membership_end: null,
      whatsapp_opted_out: true,
      sms_opted_out: true,
      erased_at: expect.any(String),
    });

    const after = await notesOf(person.id);
    // Every note that was there is still there, with its type, status, wamid and category; none holds text.
    for (const old of before) {
      const now = after.find((n) => n.id === old.id);
      expect(now).toMatchObject({ type: old.type, status: old.status, wamid: old.wamid, category: old.category });
      expect(now && textLeft(now)).toEqual([]);
    }
    const template = after.find((n) => n.content?.includes('welcome_offer'));
    expect(JSON.parse(template?.content ?? '{}')).toEqual({
      name: 'welcome_offer',
      language: 'en_GB',
      category: 'UTILITY',
    });
    const failure = after.find((n) => n.status === 'failed');
    expect(JSON.parse(failure?.error ?? '{}')).toEqual({ code: 131026, title: 'Message undeliverable' });
    expect(JSON.stringify(after)).not.toMatch(/Sheena|High Street|membership card|Monday/);
    // The one new note: the opt-out the erasure recorded.
    expect(after.filter((n) => !before.some((b) => b.id === n.id))).toMatchObject([{ type: 'whatsapp_opt_out' }]);

    expect(await countersOf(company, person.id)).toEqual(countersBefore);
    expect((await api(company, 'GET', `/api/v1/media/${mediaId}`)).status).toBe(404);
    const row = await api(company, 'GET', `/api/v1/conversations/${person.id}`);
    expect(await row.json()).toMatchObject({ name: 'Erased person', last_message: { preview: '' } });
    const search = await api(company, 'GET', '/api/v1/people?q=Sheena');
    expect(((await search.json()) as { collection: unknown[] }).collection).toEqual([]);

    // The consent log keeps every earlier entry as it was, and gains the erasure's opt-outs.
    const consent = await consentOf(person.id);
    expect(consent.slice(0, consentBefore.length)).toEqual(consentBefore);
    const added = consent.slice(consentBefore.length).sort((x, y) => y.channel.localeCompare(x.channel));
    expect(added).toMatchObject([
      { channel: 'whatsapp', action: 'opt_out', method: 'erasure_request' },
      { channel: 'sms', action: 'opt_out', method: 'erasure_request' },
    ]);
    expect((await auditOf(person.id)).filter((a) => a.action !== 'consent.recorded')).toEqual([
      { action: 'person.erased', actor_kind: 'api_key', details: JSON.stringify({ repeat: false }) },
    ]);
    expect(await sim.listMessages()).toHaveLength(3);
  });

  it('refuses every send afterwards with 422 person_erased, and a second person with the number', async () => {
    const { company, sim, person } = await inWindow();
    await approveTemplate(company.id, { name: 'welcome_offer', params: 1 });
    expect((await erase(company, person.id)).status).toBe(200);

    await expectError(await sendText(company, person.id, 'Hello again'), 422, 'person_erased');
    const template = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      template: { name: 'welcome_offer', language: 'en_GB', params: ['you'] },
    });
    await expectError(template, 422, 'person_erased');
    const admin = await staffSession(company, 'admin');
    const fromApp = await admin.fetch(`/api/v1/people/${person.id}/whatsapp/messages`, {
      method: 'POST',
      body: { text: 'From the app' },
    });
    await expectError(fromApp, 422, 'person_erased');
    await expectError(
      await api(company, 'POST', '/api/v1/people', { first_name: 'New', phone: person.phone }),
      409,
      'phone_taken',
    );
    expect(await sim.listMessages()).toHaveLength(0);
    expect((await historyOf(company, person.id, 'whatsapp_sent')).length).toBe(0);
  });

  it('skips an erased person in automated items', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    await approveTemplate(company.id, { name: 'come_back', params: 1 });
    const item = await api(company, 'POST', '/api/v1/whatsapp/automations', {
      name: 'Welcome',
      template: { name: 'come_back', language: 'en_GB' },
      variables: ['first_name'],
      sale_type: 'membership',
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: { start: '00:00', end: '24:00' },
    });
    const { id } = (await item.json()) as { id: string };
    const person = await makePerson(company);
    expect((await erase(company, person.id)).status).toBe(200);
    const preview = await api(company, 'POST', `/api/v1/whatsapp/automations/${id}/preview`);
    expect(await preview.json()).toMatchObject({ would_send: [], would_skip: [{ person_id: person.id }] });
    expect(await sim.listMessages()).toHaveLength(0);
  });

  it('lets sends go again only after new consent is recorded', async () => {
    const { company, sim, person } = await inWindow();
    expect((await erase(company, person.id)).status).toBe(200);
    await expectError(
      await api(company, 'PUT', `/api/v1/people/${person.id}`, { whatsapp_opted_out: false }),
      422,
      'consent_required',
    );
    const consented = await api(company, 'PUT', `/api/v1/people/${person.id}`, {
      whatsapp_opted_out: false,
      whatsapp_consent: CONSENT,
      first_name: 'Sheena',
    });
    expect(await consented.json()).toMatchObject({ whatsapp_opted_out: false, erased_at: expect.any(String) });
    await sim.inbound({ from: person.phone, text: 'Hi, I am back' });
    expect((await sendText(company, person.id, 'Welcome back')).status).toBe(202);
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('after erasure: a new message is kept, a late one from before is stored without text, a late START is ignored', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company, { whatsapp_consent: CONSENT });
    const first = await sim.inbound({ from: person.phone, text: 'Please delete my data' });
    // Sent before the erasure, delivered only after it (Meta retries webhooks for days).
    const beforeSeconds = Math.floor(Date.now() / 1000) - 60;
    const erased = (await (await erase(company, person.id)).json()) as { erased_at: string };
    const afterSeconds = Math.floor(Date.parse(erased.erased_at) / 1000) + 2;

    await sim.inbound({ from: person.phone, id: first.wamid, text: 'Please delete my data' });
    await sim.inbound({ from: person.phone, text: 'a late secret', timestampSeconds: beforeSeconds });
    await sim.inbound({ from: person.phone, text: 'START', timestampSeconds: beforeSeconds + 1 });
    await sim.inbound({ from: person.phone, text: 'Actually, how much is it?', timestampSeconds: afterSeconds });

    const received = (await notesOf(person.id)).filter((n) => n.type === 'whatsapp_received');
    expect(received.map((n) => n.body)).toEqual([null, null, null, 'Actually, how much is it?']);
    const detail = (await (await api(company, 'GET', `/api/v1/people/${person.id}`)).json()) as Record<string, unknown>;
    expect(detail).toMatchObject({ first_name: 'Erased person', whatsapp_opted_out: true });
    await expectError(await sendText(company, person.id, 'Sure!'), 422, 'person_erased');

    // Their START after the erasure is new consent.
    await sim.inbound({ from: person.phone, text: 'START', timestampSeconds: afterSeconds + 1 });
    expect((await sendText(company, person.id, 'You are back in')).status).toBe(202);
  });

  it('drops a message waiting to be sent: it never reaches Meta', async () => {
    const { company, sim, person, stub } = await inWindow();
    const held = await sendHeldByThrottling(company, sim, person.id, 'Your locker code is 4411');
    expect((await erase(company, person.id)).status).toBe(200);
    await runDurableObjectAlarm(stub);
    expect(await sim.listMessages()).toHaveLength(0);
    const note = (await notesOf(person.id)).find((n) => n.id === held);
    expect(note).toMatchObject({ status: 'failed', body: null });
    expect(JSON.parse(note?.error ?? '{}')).toMatchObject({ code: 'person_erased' });
  });

  it('is idempotent: erasing again answers the same person, opts out nobody twice, and is audited again', async () => {
    const { company, person } = await inWindow();
    const first = (await (await erase(company, person.id)).json()) as Record<string, unknown>;
    const second = await erase(company, person.id);
    expect(second.status).toBe(200);
    const { erased_at: _a, updated_at: _b, ...rest } = first;
    expect(await second.json()).toMatchObject(rest);
    expect((await consentOf(person.id)).filter((c) => c.method === 'erasure_request')).toHaveLength(2);
    expect((await auditOf(person.id)).map((a) => [a.action, a.details])).toEqual([
      ['person.erased', JSON.stringify({ repeat: false })],
      ['person.erased', JSON.stringify({ repeat: true })],
    ]);
  });

  it('is for admins and API keys: staff and managers get 403, another company 404, no confirm 422', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const person = await makePerson(company);
    for (const role of ['staff', 'manager'] as const) {
      const session = await staffSession(company, role);
      const res = await session.fetch(`/api/v1/people/${person.id}/erase`, { method: 'POST', body: { confirm: true } });
      await expectError(res, 403, 'forbidden');
    }
    await expectError(await erase(other, person.id), 404, 'not_found');
    await expectError(await erase(company, person.id, {}), 422, 'validation_failed');
    await expectError(await erase(company, person.id, { confirm: false }), 422, 'validation_failed');
    expect(await auditOf(person.id)).toEqual([]);
    const admin = await staffSession(company, 'admin');
    const res = await admin.fetch(`/api/v1/people/${person.id}/erase`, { method: 'POST', body: { confirm: true } });
    expect(res.status).toBe(200);
    expect(await auditOf(person.id)).toMatchObject([{ action: 'person.erased', actor_kind: 'user' }]);
  });
});

describe('erasure racing sends and inbound messages', () => {
  it('leaves no text behind and sends nothing after it, whatever the order', async () => {
    for (let round = 0; round < 4; round++) {
      const { company, sim, person } = await inWindow();
      const calls = {
        erase: () => erase(company, person.id),
        inbound: () =>
          postWebhook(inboundPayload(company.phoneNumberId, { from: person.phone, text: `secret ${round}` })),
        send: () => sendText(company, person.id, `reply ${round}`),
      };
      // Each round starts them in another order.
      const names = (['erase', 'inbound', 'send'] as const).map((_, i, all) => all[(i + round) % 3] ?? 'erase');
      const answers = await Promise.all(names.map((name) => calls[name]()));
      const answer = (name: keyof typeof calls) => answers[names.indexOf(name)];
      const erased = answer('erase');
      const sent = answer('send');
      expect(answer('inbound')?.status).toBe(200);
      expect(erased?.status).toBe(200);
      expect([202, 422]).toContain(sent?.status);

      await runDurableObjectAlarm(conversation(company, person.id));
      for (const note of await notesOf(person.id)) expect(textLeft(note), note.id).toEqual([]);
      // A send that won the race went to Meta before the erasure; one that lost never goes.
      const accepted = await sim.listMessages();
      if (sent?.status === 422) expect(accepted).toHaveLength(0);
      else expect(accepted.length).toBeLessThanOrEqual(1);
      await expectError(await sendText(company, person.id, 'after'), 422, 'person_erased');
      expect(await sim.listMessages()).toHaveLength(accepted.length);
    }
  });

  it('a send already reading the person when the erasure starts is refused, and its note keeps no text', async () => {
    const { company, sim, person, stub } = await inWindow();
    const by = { actor: { kind: 'api_key' as const, id: 'key_test', name: 'test key' }, ip: null };
    const [sent] = await Promise.all([
      stub.send({
        messageId: `his_race${Date.now()}`,
        companyId: company.id,
        personId: person.id,
        saleType: 'membership',
        content: { kind: 'text', text: 'racing the erasure' },
        actor: by.actor,
      }),
      stub.erase({ companyId: company.id, personId: person.id, by, repeat: false }),
    ]);
    expect(sent).toMatchObject({ ok: false, refusal: { code: 'person_erased' } });
    await runDurableObjectAlarm(stub);
    expect(await sim.listMessages()).toHaveLength(0);
    for (const note of await notesOf(person.id)) expect(textLeft(note), note.id).toEqual([]);
  });
});
