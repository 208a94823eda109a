import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { encodeCallbackData } from '../worker/whatsapp/callback-data';
import type { Conversation } from '../worker/whatsapp/conversation';
import { makeCompany, makePerson } from './helpers/fixtures';
import {
  conversation,
  countersOf,
  historyOf,
  inWindow,
  manualSimulator,
  sendHeldByThrottling,
  sendText,
} from './helpers/sandbox';
import { envelope, postWebhook, statusItem, wamid } from './helpers/webhooks';

describe('the conversation object', () => {
  it('settles a send it was interrupted in as unknown, and never resends it', async () => {
    const { company, sim, person, stub } = await inWindow();
    // A retry is pending; then the object dies while Meta has the request ('sending' left behind).
    const queued = { id: await sendHeldByThrottling(company, sim, person.id, 'mid-flight') };
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(`UPDATE outbox SET state = 'sending' WHERE message_id = ?`, queued.id);
    });
    await evictDurableObject(stub);

    await runDurableObjectAlarm(stub);
    expect(await sim.listMessages()).toHaveLength(0);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: queued.id, status: 'unknown' });
  });

  it('sends a message id once when a second call for it waits on D1 until the first has finished', async () => {
    // The same id reaches the object twice at once (an Idempotency-Key resumed, a queue batch redelivered). The
    // second call checks "already have it?" and then awaits D1; the first sends and finishes meanwhile.
    const { company, sim, person, stub } = await inWindow();
    const cmd = {
      messageId: `his_race_${person.id}`,
      companyId: company.id,
      personId: person.id,
      saleType: 'membership' as const,
      content: { kind: 'text' as const, text: 'Once only' },
      actor: { kind: 'api_key' as const, id: 'key_test', name: 'test' },
    };
    const answers = await runInDurableObject(stub, async (instance: Conversation) => {
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let held = false;
      // The first D1 batch (the second call's send facts) waits for the gate; everything else goes through.
      const db = new Proxy(env.DB, {
        get(target, key) {
          if (key === 'batch')
            return async (statements: D1PreparedStatement[]) => {
              if (!held) {
                held = true;
                await gate;
              }
              return target.batch(statements);
            };
          const value = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      Object.assign(instance, { env: { ...env, DB: db } });
      const late = instance.send(cmd);
      const first = await instance.send(cmd);
      release();
      return [first, await late];
    });

    expect(answers).toEqual([
      { ok: true, messageId: cmd.messageId },
      { ok: true, messageId: cmd.messageId },
    ]);
    expect(await sim.listMessages()).toHaveLength(1);
    expect(await historyOf(company, person.id, 'whatsapp_sent')).toHaveLength(1);
  });

  it('keeps a status for a message it has not stored, and applies it once the message is known', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'timeout', hangMs: 2_000 }]);
    const sent = (await (await sendText(company, person.id, 'hello')).json()) as { id: string; status: string };
    expect(sent.status).toBe('unknown');

    // A status without our callback data cannot be matched yet: it is kept, not dropped.
    const id = wamid();
    const stray = statusItem({ id, status: 'delivered', to: person.phone });
    expect((await postWebhook(envelope(company.phoneNumberId, { statuses: [stray] }))).status).toBe(200);
    const kept = await runInDurableObject(conversation(company, person.id), (_i, state) =>
      state.storage.sql.exec('SELECT status FROM orphan_statuses WHERE wamid = ?', id).toArray(),
    );
    expect(kept).toEqual([{ status: 'delivered' }]);

    // Meta's status carrying our id ties the wamid to the message.
    const callbackData = encodeCallbackData({ messageId: sent.id, personId: person.id });
    const matched = statusItem({ id, status: 'sent', to: person.phone, callbackData });
    expect((await postWebhook(envelope(company.phoneNumberId, { statuses: [matched] }))).status).toBe(200);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: sent.id, wamid: id, status: 'sent' });
  });

  it('applies statuses that overtake Meta’s answer to the send', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    await sim.queueFaults([{ kind: 'statuses_first' }]);
    const res = await sendText(company, person.id, 'racing');
    expect(res.status).toBe(202);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ status: 'read', wamid: (await sim.listMessages())[0]?.wamid });
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
  });

  it('routes a status by the conversation that sent it when Meta reports another form of the number', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    const sent = (await (await sendText(company, person.id, 'hello')).json()) as { id: string; wamid: string };
    const [accepted] = await sim.listMessages();
    const status = statusItem({
      id: sent.wamid,
      status: 'delivered',
      to: '5511987654321',
      callbackData: accepted?.callbackData ?? undefined,
    });
    expect((await postWebhook(envelope(company.phoneNumberId, { statuses: [status] }))).status).toBe(200);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(note).toMatchObject({ id: sent.id, status: 'delivered' });
  });

  it('answers 500 when storing fails, so Meta retries, and the retry is then stored once', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const payload = envelope(company.phoneNumberId, {
      messages: [
        {
          from: person.phone.slice(1),
          id: wamid(),
          timestamp: String(Math.floor(Date.now() / 1000)),
          type: 'text',
          text: { body: 'retry me' },
        },
      ],
    });
    // The counter's write fails after the note's: the whole batch must roll back, note and all.
    await env.DB.exec(
      "CREATE TRIGGER counters_broken BEFORE INSERT ON counters BEGIN SELECT RAISE(ABORT, 'broken'); END",
    );
    try {
      expect((await postWebhook(payload)).status).toBe(500);
    } finally {
      await env.DB.exec('DROP TRIGGER counters_broken');
    }
    expect(await historyOf(company, person.id)).toHaveLength(0);
    expect((await postWebhook(payload)).status).toBe(200);
    expect((await postWebhook(payload)).status).toBe(200);
    expect((await historyOf(company, person.id)).map((n) => n.body)).toEqual(['retry me']);
  });
});
