// Exactly once, whatever the cron and the queue do: a cron fired twice or twice at once, a redelivered batch, a
// consumer that dies halfway; opted-out people never sent to; pacing and 130429 as back-pressure.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  runDurableObjectAlarm,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../worker/db/client';
import { automationOccurrences, companies } from '../worker/db/schema';
import { newId } from '../worker/ids';
import worker from '../worker/index';
import { CRON } from '../worker/scheduled';
import { processOccurrences } from '../worker/whatsapp/automations/consumer';
import type { AutomationMessage } from '../worker/whatsapp/automations/sweep';
import { ALL_DAY, occurrencesOf, runAt, sentTo, setUpItem, sweepAt } from './helpers/automations';
import { api, makePerson } from './helpers/fixtures';
import { conversation, historyOf } from './helpers/sandbox';

// Each test runs a sweep and a consumer end to end; on a busy machine that can take longer than 5 s.
vi.setConfig({ testTimeout: 30_000 });

const at = (iso: string) => Date.parse(iso);
const QUEUE = 'clubchat-automations';

/** An item due for `n` people now, in real time: person_created with no delay, any hour of the day. */
async function dueNow(n: number, optedOut: (i: number) => boolean = () => false) {
  const setup = await setUpItem({ trigger: { event: 'person_created', offset_hours: 0 }, send_window: ALL_DAY });
  const persons = [];
  for (let i = 0; i < n; i++)
    persons.push(await makePerson(setup.company, { first_name: `P${i}`, whatsapp_opted_out: optedOut(i) }));
  return { ...setup, persons };
}

async function deliver(messages: AutomationMessage[]) {
  const batch = createMessageBatch<AutomationMessage>(
    QUEUE,
    messages.map((body, i) => ({ id: `msg-${i}`, timestamp: Date.now(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe('a cron that fires twice', () => {
  it('at once or one after the other, queues each occurrence once and sends it once', async () => {
    const { company, sim, item, persons } = await dueNow(4);
    const now = Date.now();
    const [a, b] = await Promise.all([sweepAt(company, item.id, now), sweepAt(company, item.id, now)]);
    const again = await sweepAt(company, item.id, now + 60_000);
    expect([...a.ids, ...b.ids, ...again.ids].sort()).toHaveLength(4);
    await processOccurrences(env, [...a.ids, ...b.ids], now);
    expect(await sentTo(sim)).toEqual(persons.map((p) => p.phone.slice(1)).sort());
  });

  it('through the real scheduled handler and queue consumer', async () => {
    const { company, sim, item, persons } = await dueNow(3);
    const fire = () =>
      worker.scheduled(createScheduledController({ cron: CRON.frequent, scheduledTime: Date.now() }), env);
    await Promise.all([fire(), fire()]);
    await fire();
    await vi.waitFor(
      async () => {
        const rows = await occurrencesOf(item.id);
        expect(rows.map((r) => r.state)).toEqual(['sent', 'sent', 'sent']);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(await sentTo(sim)).toEqual(persons.map((p) => p.phone.slice(1)).sort());
    const runs = await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}/runs`);
    const body = (await runs.json()) as { collection: { due: number; sent: number }[] };
    expect(body.collection.reduce((n, r) => n + r.sent, 0)).toBe(3);
  });
});

describe('a queue that redelivers', () => {
  it('a whole batch, twice and concurrently: each person is sent once and every message is acknowledged', async () => {
    const { sim, company, item, persons } = await dueNow(5);
    const { messages } = await sweepAt(company, item.id, Date.now());
    const [first, second] = await Promise.all([deliver(messages), deliver(messages)]);
    const third = await deliver(messages);
    for (const r of [first, second, third]) expect(r.retryMessages).toEqual([]);
    expect(third.explicitAcks).toHaveLength(messages.length);
    expect(await sentTo(sim)).toEqual(persons.map((p) => p.phone.slice(1)).sort());
  });
});

describe('queue messages and the company they belong to', () => {
  it("name their company (the consumer reads that company's database), and one queued by an older deploy without it still sends once", async () => {
    const { sim, company, item, persons } = await dueNow(3);
    const { messages, ids } = await sweepAt(company, item.id, Date.now());
    expect(messages.every((m) => m.companyId === company.id)).toBe(true);
    const [older, ...named] = ids;
    if (!older) throw new Error('expected three occurrences');
    const results = await Promise.all([deliver([{ ids: [older] }]), deliver([{ companyId: company.id, ids: named }])]);
    for (const r of results) expect(r.retryMessages).toEqual([]);
    expect(await sentTo(sim)).toEqual(persons.map((p) => p.phone.slice(1)).sort());
  });
});

describe('a consumer that dies halfway', () => {
  it('sends no one twice and skips no one', async () => {
    const { sim, company, item, persons } = await dueNow(6);
    const now = Date.now();
    const { ids, messages } = await sweepAt(company, item.id, now);
    // Before dying it finished two people and sent a third but died before recording that; it had claimed a
    // fourth (the claim fixes the message id) and died before sending; the last two it never reached.
    const [done1, done2, lostRecord, claimedOnly] = ids;
    if (!done1 || !done2 || !lostRecord || !claimedOnly) throw new Error('expected six occurrences');
    await processOccurrences(env, [done1, done2, lostRecord], now);
    const db = getDb(env);
    await db.update(automationOccurrences).set({ state: 'pending' }).where(eq(automationOccurrences.id, lostRecord));
    const claimedId = newId('his');
    await db
      .update(automationOccurrences)
      .set({ claimedAt: now, messageId: claimedId })
      .where(eq(automationOccurrences.id, claimedOnly));
    expect(await sim.listMessages()).toHaveLength(3);

    // The queue redelivers everything.
    const result = await deliver(messages);
    expect(result.retryMessages).toEqual([]);
    expect(await sentTo(sim)).toEqual(persons.map((p) => p.phone.slice(1)).sort());
    const rows = await occurrencesOf(item.id);
    expect(rows.every((r) => r.state === 'sent' && r.messageId)).toBe(true);
    expect(rows.find((r) => r.id === claimedOnly)?.messageId).toBe(claimedId);
    for (const p of persons) expect(await historyOf(company, p.id, 'whatsapp_sent')).toHaveLength(1);
  });
});

/**
 * A D1 binding on which the consumer's first read of people (after its read of the occurrences) waits for
 * `race` first: what another consumer or the person does between the two reads.
 */
function raceBeforePeopleRead(race: () => Promise<void>): D1Database {
  let raced = false;
  return new Proxy(env.DB, {
    get(target, key) {
      if (key === 'prepare')
        return (sql: string) => {
          const statement = target.prepare(sql);
          if (raced || !/from "people"/.test(sql)) return statement;
          return new Proxy(statement, {
            get(st, k) {
              if (k !== 'bind') return Reflect.get(st, k).bind(st);
              return (...values: unknown[]) => {
                const bound = st.bind(...values);
                return new Proxy(bound, {
                  get(b, m) {
                    const read = Reflect.get(b, m).bind(b);
                    if (m !== 'all' && m !== 'raw') return read;
                    return async (...args: unknown[]) => {
                      raced = true;
                      await race();
                      return read(...args);
                    };
                  },
                });
              };
            },
          });
        };
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('a consumer whose read of an occurrence goes stale', () => {
  it('leaves an occurrence another consumer claimed meanwhile to that consumer, even for a person now opted out', async () => {
    const { sim, company, item, persons } = await dueNow(1);
    const person = persons[0];
    const [id] = (await sweepAt(company, item.id, Date.now())).ids;
    if (!person || !id) throw new Error('expected one person and one occurrence');
    const claimedId = newId('his');
    // Consumer B reads the occurrence unclaimed. Before it reads the person, consumer A claims it (and is about
    // to send), and the person says STOP: B reads them opted out, but the occurrence is A's to settle.
    let raced = false;
    const raceBefore = async () => {
      raced = true;
      await getDb(env)
        .update(automationOccurrences)
        .set({ claimedAt: Date.now(), messageId: claimedId })
        .where(eq(automationOccurrences.id, id));
      await sim.inbound({ from: person.phone, text: 'STOP' });
    };
    await processOccurrences({ ...env, DB: raceBeforePeopleRead(raceBefore) }, [id], Date.now());

    expect(raced).toBe(true);
    expect(await occurrencesOf(item.id)).toMatchObject([{ state: 'pending', messageId: claimedId }]);
    // A goes on with its claim: the conversation object refuses the opted-out person, and that is recorded.
    await processOccurrences(env, [id], Date.now());
    expect(await occurrencesOf(item.id)).toMatchObject([{ state: 'skipped', reason: 'opted_out' }]);
    expect(await sim.listMessages()).toHaveLength(0);
  });
});

describe('a consumer late by a day whose read goes stale', () => {
  it('does not mark too_late an occurrence another consumer claimed and sent meanwhile', async () => {
    const { sim, company, item, persons } = await dueNow(1);
    const person = persons[0];
    const [id] = (await sweepAt(company, item.id, Date.now())).ids;
    if (!person || !id) throw new Error('expected one person and one occurrence');
    // Consumer A sends the occurrence in time, and is held after the send, before it records the outcome.
    let reachedOutcome: () => void = () => {};
    const atOutcome = new Promise<void>((resolve) => {
      reachedOutcome = resolve;
    });
    let releaseA: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    let batches = 0;
    const dbA = new Proxy(env.DB, {
      get(target, key) {
        if (key === 'batch')
          return async (statements: D1PreparedStatement[]) => {
            // The first batch claims; the second records what the sends did.
            if (++batches === 2) {
              reachedOutcome();
              await held;
            }
            return target.batch(statements);
          };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    // Consumer B (a queue message delivered a day late) reads the occurrence unclaimed; A claims and sends it
    // before B decides.
    let a: Promise<void> | undefined;
    const raceBefore = async () => {
      a = processOccurrences({ ...env, DB: dbA }, [id], Date.now());
      await atOutcome;
    };
    await processOccurrences({ ...env, DB: raceBeforePeopleRead(raceBefore) }, [id], Date.now() + 25 * 3600_000);
    expect(a).toBeDefined();
    releaseA();
    await a;

    expect(await sentTo(sim)).toEqual([person.phone.slice(1)]);
    const [row] = await occurrencesOf(item.id);
    const [note] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(row).toMatchObject({ state: 'sent', reason: null, messageId: note?.id });
    const runs = await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}/runs`);
    const body = (await runs.json()) as { collection: { sent: number; skipped: Record<string, number> }[] };
    expect(body.collection.map((r) => [r.sent, r.skipped])).toEqual([[1, {}]]);
  });
});

describe('opted-out people', () => {
  it('are never sent to, including one who says STOP after being queued', async () => {
    const { sim, company, item, persons } = await dueNow(6, (i) => i % 2 === 1);
    const now = Date.now();
    const { ids } = await sweepAt(company, item.id, now);
    const lateStop = persons[0];
    if (!lateStop) throw new Error('no person');
    expect((await sim.inbound({ from: lateStop.phone, text: 'STOP' })).status).toBe(200);
    await processOccurrences(env, ids, now);
    expect(await sentTo(sim)).toEqual([persons[2], persons[4]].map((p) => p?.phone.slice(1)).sort());
    const rows = await occurrencesOf(item.id);
    expect(rows.filter((r) => r.reason === 'opted_out')).toHaveLength(4);
  });
});

describe('pacing to the number’s throughput', () => {
  it('spaces sends to messages_per_second, so the number is never held', async () => {
    const { sim, company, item, persons } = await dueNow(3);
    await getDb(env).update(companies).set({ messagesPerSecond: 2 }).where(eq(companies.id, company.id));
    await runAt(company, item.id, Date.now());
    expect(await sentTo(sim)).toEqual(persons.map((p) => p.phone.slice(1)).sort());
    expect(await sim.heldCount()).toBe(0);
  });

  it('treats 130429 as back-pressure: the send waits in the conversation and goes on retry', async () => {
    const { sim, company, item, persons } = await dueNow(1);
    const person = persons[0];
    if (!person) throw new Error('no person');
    await sim.queueFaults([{ kind: 'http', status: 429, code: 130429, retryAfterSeconds: 1 }]);
    await runAt(company, item.id, Date.now());
    expect(await sim.listMessages()).toHaveLength(0);
    expect((await occurrencesOf(item.id))[0]).toMatchObject({ state: 'sent', reason: null });
    expect((await historyOf(company, person.id, 'whatsapp_sent'))[0]).toMatchObject({ status: 'queued', error: null });
    await runDurableObjectAlarm(conversation(company, person.id));
    expect(await sentTo(sim)).toEqual([person.phone.slice(1)]);
    expect((await historyOf(company, person.id, 'whatsapp_sent'))[0]).toMatchObject({ status: 'sent' });
  });

  it('the simulator holds a number to its rate and answers 130429 beyond it', async () => {
    const { sim, company, persons } = await dueNow(3);
    await getDb(env).update(companies).set({ messagesPerSecond: 1 }).where(eq(companies.id, company.id));
    const sends = persons.map((p) =>
      api(company, 'POST', `/api/v1/people/${p.id}/whatsapp/messages`, {
        template: { name: 'come_back', language: 'en_GB', params: ['Sheena'] },
      }),
    );
    const answers = await Promise.all(sends);
    for (const a of answers) expect(a.status).toBe(202);
    expect(await sim.heldCount()).toBeGreaterThan(0);
    expect((await sim.listMessages()).length).toBeLessThan(3);
  });
});

describe('a pending occurrence whose queue message was lost', () => {
  it('is queued again by a later sweep and sent once', async () => {
    const { sim, company, item } = await setUpItem({ trigger: { event: 'membership_end', offset_days: 0 } });
    await makePerson(company, { membership_end: '2026-06-10' });
    const first = await sweepAt(company, item.id, at('2026-06-10T09:00:00Z'));
    expect(first.ids).toHaveLength(1);
    // The message never arrives (dead-lettered); five minutes on, nothing is queued again yet...
    expect((await sweepAt(company, item.id, at('2026-06-10T09:05:00Z'))).ids).toHaveLength(0);
    // ...ten minutes on it is.
    const again = await sweepAt(company, item.id, at('2026-06-10T09:11:00Z'));
    expect(again.ids).toEqual(first.ids);
    await processOccurrences(env, [...again.ids, ...first.ids], at('2026-06-10T09:11:00Z'));
    expect(await sim.listMessages()).toHaveLength(1);
  });
});
