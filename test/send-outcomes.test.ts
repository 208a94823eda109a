// Meta has no idempotency key: a send whose outcome we cannot know is never made again, statuses that
// arrive while it is in flight are not lost, and a failure on our side never wedges the conversation.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encodeCallbackData } from '../worker/whatsapp/callback-data';
import { api } from './helpers/fixtures';
import { type conversation, countersOf, historyOf, inWindow, sendHeldByThrottling, sendText } from './helpers/sandbox';
import { envelope, postWebhook, statusItem, wamid } from './helpers/webhooks';

async function runAlarms(stub: ReturnType<typeof conversation>, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await runDurableObjectAlarm(stub);
}

describe('a send interrupted mid-flight', () => {
  it('takes the statuses that arrived while it was in flight once it settles', async () => {
    const { company, sim, person, stub } = await inWindow();
    const queued = { id: await sendHeldByThrottling(company, sim, person.id, 'mid-flight') };
    // The retry is under way (Meta has the request) when the object dies...
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(`UPDATE outbox SET state = 'sending' WHERE message_id = ?`, queued.id);
    });
    // ...and Meta's statuses, carrying our id, arrive before it settles.
    const id = wamid();
    const cb = encodeCallbackData({ messageId: queued.id, personId: person.id });
    const statuses = (['delivered', 'read'] as const).map((status) =>
      statusItem({ id, status, to: person.phone, callbackData: cb }),
    );
    expect((await postWebhook(envelope(company.phoneNumberId, { statuses }))).status).toBe(200);
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);

    expect(await sim.sendRequests()).toBe(1);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: queued.id, wamid: id, status: 'read' });
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
  });

  it('keeps a 131050 that arrives in that gap: marketing stops for the person', async () => {
    const { company, sim, person, stub } = await inWindow();
    const queued = { id: await sendHeldByThrottling(company, sim, person.id, 'offer') };
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(`UPDATE outbox SET state = 'sending' WHERE message_id = ?`, queued.id);
    });
    const failed = statusItem({
      id: wamid(),
      status: 'failed',
      to: person.phone,
      callbackData: encodeCallbackData({ messageId: queued.id, personId: person.id }),
      error: { code: 131050, title: 'User stopped marketing messages' },
    });
    expect((await postWebhook(envelope(company.phoneNumberId, { statuses: [failed] }))).status).toBe(200);
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);

    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: queued.id, status: 'failed', error: { code: 131050 } });
    const res = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await res.json()).toMatchObject({ whatsapp_marketing_stopped: true });
  });
});

describe('outcomes that cannot be known are never sent again', () => {
  it('a connection lost after the request left ends unknown, with one call to Meta', async () => {
    const { company, sim, person, stub } = await inWindow();
    await sim.queueFaults([{ kind: 'connection_lost' }]);
    const res = await sendText(company, person.id, 'did it go?');
    expect(await res.json()).toMatchObject({ status: 'unknown' });
    await runAlarms(stub, 2);
    expect(await sim.sendRequests()).toBe(1);
    // Meta did take it: its statuses tie the message up later.
    await sim.flushWebhooks();
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ status: 'read' });
    expect(note?.wamid).toBe((await sim.listMessages())[0]?.wamid);
  });

  for (const status of [500, 502, 504]) {
    it(`an HTTP ${status} ends unknown, with one call to Meta`, async () => {
      const { company, sim, person, stub } = await inWindow();
      await sim.queueFaults([{ kind: 'http', status, code: 1 }]);
      const res = await sendText(company, person.id, 'and this?');
      expect(await res.json()).toMatchObject({ status: 'unknown' });
      await runAlarms(stub, 2);
      expect(await sim.sendRequests()).toBe(1);
    });
  }

  it('throttling (429, 130429, 131056, 80007) is retried, and the message goes once', async () => {
    const { company, sim, person, stub } = await inWindow();
    await sim.queueFaults([
      { kind: 'http', status: 429, code: 130429, retryAfterSeconds: 1 },
      { kind: 'http', status: 400, code: 131056 },
      { kind: 'http', status: 400, code: 80007 },
    ]);
    const res = await sendText(company, person.id, 'patience');
    expect(await res.json()).toMatchObject({ status: 'queued' });
    await runAlarms(stub, 3);
    expect(await sim.sendRequests()).toBe(4);
    expect(await sim.listMessages()).toHaveLength(1);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ status: 'sent' });
  });
});

describe('a failure on our side', () => {
  it('fails the message after a bounded number of tries, and the next message goes', async () => {
    const { company, sim, person, stub } = await inWindow();
    const goodToken = await env.DB.prepare('SELECT access_token_enc AS t FROM companies WHERE id = ?')
      .bind(company.id)
      .first<{ t: string }>();
    // A token that no longer decrypts (e.g. sealed under a key since removed).
    await env.DB.prepare(`UPDATE companies SET access_token_enc = 'v1:AAAAAAAAAAAAAAAA:AAAA' WHERE id = ?`)
      .bind(company.id)
      .run();
    const first = (await (await sendText(company, person.id, 'first')).json()) as { id: string; status: string };
    expect(first.status).toBe('queued');
    const second = (await (await sendText(company, person.id, 'second')).json()) as { id: string };

    await runAlarms(stub, 6);
    const [, firstNote] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(firstNote).toMatchObject({ id: first.id, status: 'failed', error: { code: 'internal_error' } });

    await env.DB.prepare('UPDATE companies SET access_token_enc = ? WHERE id = ?').bind(goodToken?.t, company.id).run();
    await runAlarms(stub, 2);
    const [secondNote] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(secondNote).toMatchObject({ id: second.id, status: 'sent' });
    expect((await sim.listMessages()).map((m) => JSON.parse(m.rawBody).text.body)).toEqual(['second']);
  });
});

describe('settling again after a lost answer', () => {
  it('counts an accepted send once when its D1 write is repeated after the object died', async () => {
    const { company, sim, person, stub } = await inWindow();
    const sent = (await (await sendText(company, person.id, 'hello')).json()) as { id: string; wamid: string };
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
    // As if the object died after D1 committed but before it moved the message out of its outbox.
    const outcome = JSON.stringify({ kind: 'accepted', wamid: sent.wamid });
    await runInDurableObject(stub, (_i, state) => {
      state.storage.sql.exec(
        `INSERT INTO outbox (message_id, seq, person_id, sale_type, content, phone, state, attempts, next_attempt_at, outcome)
         VALUES (?, 1, ?, 'membership', '{"kind":"text","text":"hello"}', ?, 'answered', 1, 0, ?)`,
        sent.id,
        person.id,
        person.phone,
        outcome,
      );
    });
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
    expect(await sim.sendRequests()).toBe(1);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: sent.id, status: 'sent', wamid: sent.wamid });
  });
});
