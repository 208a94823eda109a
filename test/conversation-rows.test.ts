// The inbox's `conversations` rows are kept by triggers (migrations/0007_inbox_rows.sql). Whatever arrives at
// once (inbound messages and reactions, STOP, sends, their statuses in any order, read and unread marks from
// several phones), each row must equal what history says; and the migration's backfill must build the same
// rows from history that was there before the table existed.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import {
  expectConversationRowsMatchHistory,
  expectCountersMatchHistory,
  hasConversationMismatches,
  keptConversationRows,
} from './helpers/integrity';
import { manualSimulator, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { envelope, inboundMessage, nowSeconds, postWebhook } from './helpers/webhooks';

type Op =
  | { kind: 'inbound'; who: number; text: string; secondsAgo: number }
  | { kind: 'reaction'; who: number }
  | { kind: 'send'; who: number; text: string }
  | { kind: 'statuses'; order: 'queued' | 'reverse'; duplicate: boolean }
  | { kind: 'read' | 'unread'; who: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('inbound' as const),
    who: fc.nat(2),
    text: fc.constantFrom('Hi', 'Price?', 'STOP', 'START', 'Is the pool open?'),
    // Meta's clock: whole seconds, sometimes the same second, sometimes late (out of order).
    secondsAgo: fc.nat(90),
  }),
  fc.record({ kind: fc.constant('reaction' as const), who: fc.nat(2) }),
  fc.record({ kind: fc.constant('send' as const), who: fc.nat(2), text: fc.constantFrom('Welcome!', 'See you') }),
  fc.record({
    kind: fc.constant('statuses' as const),
    order: fc.constantFrom('queued' as const, 'reverse' as const),
    duplicate: fc.boolean(),
  }),
  fc.record({ kind: fc.constantFrom('read' as const, 'unread' as const), who: fc.nat(2) }),
);

async function world(company: TestCompany) {
  const sim = await manualSimulator(company);
  const phones = [await staffSession(company), await staffSession(company)];
  const people = [await makePerson(company), await makePerson(company), await makePerson(company)];
  const wamids: string[][] = [[], [], []];
  // Everyone writes first, so sends are inside the window (a refused send writes no message note anyway).
  for (const [who, p] of people.entries()) {
    const m = inboundMessage({ from: p.phone, text: 'Hello' });
    wamids[who]?.push(m.id);
    expect((await postWebhook(envelope(company.phoneNumberId, { messages: [m] }))).status).toBe(200);
  }
  const run = async (op: Op, i: number): Promise<void> => {
    if (op.kind === 'statuses') {
      await sim.flushWebhooks({ order: op.order, duplicate: op.duplicate });
      return;
    }
    const person = people[op.who];
    if (!person) return;
    if (op.kind === 'inbound' || op.kind === 'reaction') {
      const target = wamids[op.who]?.at(-1) ?? 'wamid.none';
      const m =
        op.kind === 'inbound'
          ? inboundMessage({ from: person.phone, text: op.text, timestamp: nowSeconds(-op.secondsAgo * 1000) })
          : inboundMessage({
              from: person.phone,
              message: { type: 'reaction', reaction: { message_id: target, emoji: '👍' } },
            });
      wamids[op.who]?.push(m.id);
      expect((await postWebhook(envelope(company.phoneNumberId, { messages: [m] }))).status).toBe(200);
    } else if (op.kind === 'send') {
      // Refused sends (opted out: 409) write no message note.
      expect([202, 409, 422]).toContain((await sendText(company, person.id, `${op.text} ${i}`)).status);
    } else {
      const phone = phones[i % phones.length];
      const res = await phone?.fetch(`/api/v1/conversations/${person.id}/${op.kind}`, { method: 'POST', body: {} });
      expect(res?.status).toBe(200);
    }
  };
  return { sim, run };
}

describe('conversation rows and counters equal what history says', () => {
  it('under concurrent inbound messages, reactions, STOP/START, sends, statuses and read marks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(opArb, { minLength: 1, maxLength: 5 }), { maxLength: 4 }), async (rounds) => {
        const company = await makeCompany();
        const { sim, run } = await world(company);
        // Each round's operations run at once: their D1 statements interleave as real traffic's do.
        let i = 0;
        for (const round of rounds) await Promise.all(round.map((op) => run(op, i++)));
        await sim.flushWebhooks({ order: 'reverse', duplicate: true });
        await expectConversationRowsMatchHistory(company.id);
        expect(await hasConversationMismatches(company.id)).toEqual([]);
        expect(await keptConversationRows(company.id)).toHaveLength(3);
        await expectCountersMatchHistory(company.id);
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('the inbox list shows the kept rows: unread counts, last message and its status', async () => {
    const company = await makeCompany();
    const { sim, run } = await world(company);
    const staff = await staffSession(company);
    await run({ kind: 'send', who: 0, text: 'Welcome!' }, 0);
    await sim.flushWebhooks();
    await run({ kind: 'inbound', who: 1, text: 'Price?', secondsAgo: 0 }, 1);
    const res = await staff.fetch('/api/v1/conversations');
    const { collection } = (await res.json()) as {
      collection: { unread_count: number; last_message: { preview: string; status: string | null } }[];
    };
    expect(collection.map((c) => [c.last_message.preview, c.unread_count])).toEqual([
      ['Price?', 2],
      ['Welcome! 0', 1],
      ['Hello', 1],
    ]);
    expect(collection[1]?.last_message.status).toBe('read');
  });
});

describe('the migration builds the rows for existing data', () => {
  it('backfills conversations and the search index from history written before the table existed', async () => {
    const company = await makeCompany();
    const { sim, run } = await world(company);
    const ops: Op[] = [
      { kind: 'inbound', who: 0, text: 'Price?', secondsAgo: 30 },
      { kind: 'send', who: 0, text: 'Welcome!' },
      { kind: 'statuses', order: 'reverse', duplicate: true },
      { kind: 'read', who: 1 },
      { kind: 'reaction', who: 2 },
      { kind: 'inbound', who: 2, text: 'STOP', secondsAgo: 0 },
    ];
    for (const [i, op] of ops.entries()) await run(op, i);
    await sim.flushWebhooks();
    const kept = await keptConversationRows(company.id);

    // As before the migration: no rows at all. Then its backfill statements, as wrangler would run them.
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0007_'));
    const backfills = migration?.queries.filter((q) => /^(WITH messages|INSERT INTO `people_search`)/m.test(q));
    expect(backfills).toHaveLength(2);
    await env.DB.batch([env.DB.prepare('DELETE FROM conversations'), env.DB.prepare('DELETE FROM people_search')]);
    for (const q of backfills ?? []) await env.DB.prepare(q).run();

    expect(await keptConversationRows(company.id)).toEqual(kept);
    await expectConversationRowsMatchHistory(company.id);
    const staff = await staffSession(company);
    const found = await staff.fetch(`/api/v1/conversations?q=${encodeURIComponent('Sheena')}`);
    expect(((await found.json()) as { collection: unknown[] }).collection).toHaveLength(3);
  });
});
