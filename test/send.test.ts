import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { decodeCallbackData } from '../worker/whatsapp/callback-data';
import { api, approveTemplate, makeCompany, makePerson } from './helpers/fixtures';
import {
  conversation,
  countersOf,
  expectError,
  historyOf,
  type MessageJson,
  manualSimulator,
  sendText,
} from './helpers/sandbox';

const DAY_S = 24 * 60 * 60;
const nowS = () => Math.floor(Date.now() / 1000);

async function setUp(opts: { whatsapp?: boolean; person?: Record<string, unknown> } = {}) {
  const company = await makeCompany({ whatsapp: opts.whatsapp });
  const sim = await manualSimulator(company);
  const person = await makePerson(company, opts.person);
  return { company, sim, person };
}

describe('the 24-hour window', () => {
  it('refuses free text to someone who never wrote, and sends it once they do', async () => {
    const { company, sim, person } = await setUp();
    await expectError(await sendText(company, person.id, 'Hi!'), 409, 'window_closed');
    expect(await sim.listMessages()).toHaveLength(0);

    expect((await sim.inbound({ from: person.phone, text: 'Hello gym' })).status).toBe(200);
    const res = await sendText(company, person.id, 'Hi! Come for a tour?');
    expect(res.status).toBe(202);
    const message = (await res.json()) as MessageJson;
    expect(message).toMatchObject({ type: 'whatsapp_sent', status: 'sent', body: 'Hi! Come for a tour?' });
    const accepted = await sim.listMessages();
    expect(accepted).toHaveLength(1);
    expect(accepted[0]).toMatchObject({ type: 'text', wamid: message.wamid });
    expect(decodeCallbackData(accepted[0]?.callbackData ?? undefined)).toEqual({
      messageId: message.id,
      personId: person.id,
    });
    expect(JSON.parse(accepted[0]?.rawBody ?? '{}')).toMatchObject({ text: { body: 'Hi! Come for a tour?' } });

    const person2 = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await person2.json()).toMatchObject({ whatsapp: { conversation: 'active' } });
  });

  it('closes 24 hours after the person’s last message, by Meta’s timestamp, even when redelivered later', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'old news', timestampSeconds: nowS() - DAY_S - 60 });
    await expectError(await sendText(company, person.id, 'too late'), 409, 'window_closed');
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp: { conversation: 'inactive' } });

    // A newer message opens it; an older one delivered afterwards does not move it back.
    await sim.inbound({ from: person.phone, text: 'new', timestampSeconds: nowS() - 60 });
    await sim.inbound({ from: person.phone, text: 'older, late', timestampSeconds: nowS() - 2 * DAY_S });
    expect((await sendText(company, person.id, 'in time')).status).toBe(202);
  });

  it('is not opened or extended by our own sends', async () => {
    const { company, sim, person } = await setUp();
    await approveTemplate(company.id, { name: 'welcome_offer', params: 1 });
    const tpl = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      template: { name: 'welcome_offer', language: 'en_GB', params: ['Sheena'] },
    });
    expect(tpl.status).toBe(202);
    await expectError(await sendText(company, person.id, 'free text after a template'), 409, 'window_closed');
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('survives the conversation object being evicted', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    expect((await sendText(company, person.id, 'open')).status).toBe(202);
    await evictDurableObject(conversation(company, person.id));
    expect((await sendText(company, person.id, 'still open')).status).toBe(202);
  });
});

describe('templates outside the window', () => {
  it('sends an approved template with its parameters', async () => {
    const { company, sim, person } = await setUp();
    await approveTemplate(company.id, { name: 'welcome_offer', params: 1 });
    const res = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      template: { name: 'welcome_offer', language: 'en_GB', params: ['Sheena'] },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      status: 'sent',
      template: { name: 'welcome_offer', language: 'en_GB', params: ['Sheena'] },
    });
    const [sent] = await sim.listMessages();
    expect(JSON.parse(sent?.rawBody ?? '{}')).toMatchObject({
      type: 'template',
      template: {
        name: 'welcome_offer',
        language: { code: 'en_GB' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }] }],
      },
    });
  });

  it('refuses unapproved templates and wrong parameter counts', async () => {
    const { company, sim, person } = await setUp();
    await approveTemplate(company.id, { name: 'pending_one', status: 'PENDING' });
    await approveTemplate(company.id, { name: 'two_params', params: 2 });
    const send = (template: unknown) =>
      api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, { template });
    await expectError(
      await send({ name: 'pending_one', language: 'en_GB', params: ['x'] }),
      422,
      'template_not_approved',
    );
    await expectError(await send({ name: 'never_made', language: 'en_GB', params: [] }), 422, 'template_not_approved');
    await expectError(await send({ name: 'two_params', language: 'en_GB', params: ['x'] }), 422, 'template_params');
    expect(await sim.listMessages()).toHaveLength(0);
  });
});

describe('who may be messaged', () => {
  it('refuses every send while the company’s WhatsApp is disabled', async () => {
    const { company, sim, person } = await setUp({ whatsapp: false });
    await expectError(await sendText(company, person.id, 'hi'), 403, 'whatsapp_disabled');
    const noPhone = await makePerson(company, { phone: undefined });
    await expectError(await sendText(company, noPhone.id, 'hi'), 403, 'whatsapp_disabled');
    expect(await sim.listMessages()).toHaveLength(0);
  });

  it('refuses opted-out people and people without a phone', async () => {
    const { company, sim, person } = await setUp({ person: { whatsapp_opted_out: true } });
    await sim.inbound({ from: person.phone, text: 'hi' });
    await expectError(await sendText(company, person.id, 'hi'), 409, 'opted_out');
    const res = await api(company, 'POST', '/api/v1/people', { first_name: 'No Phone' });
    const noPhone = (await res.json()) as { id: string };
    await expectError(await sendText(company, noPhone.id, 'hi'), 422, 'no_phone');
    expect(await sim.listMessages()).toHaveLength(0);
  });

  it('does not send a queued retry to someone who texted STOP meanwhile', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'http', status: 429, code: 130429 }]);
    const queued = (await (await sendText(company, person.id, 'offer')).json()) as MessageJson;
    expect(queued.status).toBe('queued');
    await sim.inbound({ from: person.phone, text: 'STOP' });
    await runDurableObjectAlarm(conversation(company, person.id));
    expect(await sim.listMessages()).toHaveLength(0);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: queued.id, status: 'failed', error: { code: 'opted_out' } });
  });
});

describe('retries and failures', () => {
  it('retries after 429 and Meta accepts exactly one message', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([
      { kind: 'http', status: 429, code: 130429, retryAfterSeconds: 1 },
      { kind: 'http', status: 503, code: 131000 },
    ]);
    const asked = Date.now();
    const first = (await (await sendText(company, person.id, 'see you at 6')).json()) as MessageJson;
    expect(first.status).toBe('queued');
    const stub = conversation(company, person.id);
    // The retry waits at least as long as Meta's Retry-After asked.
    const retryAt = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(retryAt).toBeGreaterThanOrEqual(asked + 1_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await sim.listMessages()).toHaveLength(0);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const accepted = await sim.listMessages();
    expect(accepted).toHaveLength(1);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: first.id, status: 'sent', wamid: accepted[0]?.wamid });
    expect(await runDurableObjectAlarm(stub)).toBe(false);
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('keeps sends in order: a message waiting to retry holds back the ones behind it', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'http', status: 429, code: 131056 }]);
    const one = (await (await sendText(company, person.id, 'one')).json()) as MessageJson;
    const two = (await (await sendText(company, person.id, 'two')).json()) as MessageJson;
    expect([one.status, two.status]).toEqual(['queued', 'queued']);
    await runDurableObjectAlarm(conversation(company, person.id));
    const bodies = (await sim.listMessages()).map((m) => JSON.parse(m.rawBody).text.body);
    expect(bodies).toEqual(['one', 'two']);
  });

  it('shows a permanent failure with Meta’s code in history and does not retry it', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'http', status: 400, code: 131026, title: 'Message undeliverable' }]);
    const res = await sendText(company, person.id, 'hello?');
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({
      status: 'failed',
      error: { code: 131026, title: 'Message undeliverable' },
    });
    expect(await runDurableObjectAlarm(conversation(company, person.id))).toBe(false);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ status: 'failed', error: { code: 131026 } });
    expect((await countersOf(company, person.id)).membership.sent).toBe(0);
  });

  it('never resends after a timeout, and learns the outcome from Meta’s statuses', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'timeout', hangMs: 2_000 }]);
    const res = await sendText(company, person.id, 'did this go?');
    const message = (await res.json()) as MessageJson;
    expect(message.status).toBe('unknown');
    expect(await runDurableObjectAlarm(conversation(company, person.id))).toBe(false);
    expect(await sim.listMessages()).toHaveLength(1);

    await sim.flushWebhooks();
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: message.id, status: 'read', wamid: (await sim.listMessages())[0]?.wamid });
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
  });
});

describe('delivery statuses', () => {
  it('ends on read whatever order and however often the statuses arrive', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sendText(company, person.id, 'hello');
    const statuses = await sim.flushWebhooks({ order: 'reverse', duplicate: true });
    expect(statuses.every((s) => s === 200)).toBe(true);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note?.status).toBe('read');
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
  });

  it('marks a message failed with Meta’s error and stops counting it as sent', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.configure({ statuses: ['sent'] });
    await sim.failRecipient(person.phone, 131049, 'Not delivered to maintain healthy ecosystem engagement');
    const sent = (await (await sendText(company, person.id, 'promo')).json()) as MessageJson;
    expect(sent.status).toBe('sent');
    await sim.flushWebhooks();
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ status: 'failed', error: { code: 131049 } });
    expect((await countersOf(company, person.id)).membership.sent).toBe(0);
  });

  it('records Meta error 131050 on the person and stops marketing templates to them', async () => {
    const { company, sim, person } = await setUp();
    await approveTemplate(company.id, { name: 'promo', category: 'MARKETING', params: 0 });
    await sim.failRecipient(person.phone, 131050, 'User has stopped marketing messages');
    const send = () =>
      api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
        template: { name: 'promo', language: 'en_GB' },
      });
    expect((await send()).status).toBe(202);
    await sim.flushWebhooks();
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp_marketing_stopped: true });
    await expectError(await send(), 409, 'marketing_stopped');
    expect(await sim.listMessages()).toHaveLength(1);
  });
});

describe('counters', () => {
  it('counts sends by sale type and replies toward the sale type of our latest message', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    expect((await countersOf(company, person.id)).membership).toEqual({ sent: 0, received: 1 });
    await sendText(company, person.id, 'about the PT package', { sale_type: 'secondary' });
    await sim.inbound({ from: person.phone, text: 'how much?' });
    await sendText(company, person.id, 'and your membership');
    expect(await countersOf(company, person.id)).toEqual({
      membership: { sent: 1, received: 1 },
      secondary: { sent: 1, received: 1 },
    });
    const notes = await historyOf(company, person.id, 'whatsapp_received');
    expect(notes.map((n) => n.sale_type)).toEqual(['secondary', 'membership']);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for the same key and body, and sends once', async () => {
    const { company, sim, person } = await setUp();
    await sim.inbound({ from: person.phone, text: 'hi' });
    const headers = { 'Idempotency-Key': 'order-123' };
    const path = `/api/v1/people/${person.id}/whatsapp/messages`;
    const first = await api(company, 'POST', path, { text: 'once' }, headers);
    const again = await api(company, 'POST', path, { text: 'once' }, headers);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(await sim.listMessages()).toHaveLength(1);

    await expectError(await api(company, 'POST', path, { text: 'other' }, headers), 422, 'idempotency_key_reused');
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('frees the key of a refused request for the corrected retry', async () => {
    const { company, sim, person } = await setUp();
    const headers = { 'Idempotency-Key': 'retry-me' };
    const path = `/api/v1/people/${person.id}/whatsapp/messages`;
    await expectError(await api(company, 'POST', path, { text: 'hi' }, headers), 409, 'window_closed');
    await sim.inbound({ from: person.phone, text: 'hi' });
    expect((await api(company, 'POST', path, { text: 'hi' }, headers)).status).toBe(202);
  });
});

describe('request validation', () => {
  it('answers 422 for a body with both, neither, or unknown fields, and 404 for an unknown person', async () => {
    const { company, person } = await setUp();
    const path = `/api/v1/people/${person.id}/whatsapp/messages`;
    await expectError(await api(company, 'POST', path, {}), 422, 'validation_failed');
    await expectError(
      await api(company, 'POST', path, { text: 'a', template: { name: 'x', language: 'en' } }),
      422,
      'validation_failed',
    );
    await expectError(await api(company, 'POST', path, { text: 'a', urgent: true }), 422, 'unknown_field');
    await expectError(await api(company, 'POST', path, { text: 'x'.repeat(4097) }), 422, 'validation_failed');
    await expectError(
      await api(company, 'POST', '/api/v1/people/per_nope/whatsapp/messages', { text: 'a' }),
      404,
      'not_found',
    );
  });
});
