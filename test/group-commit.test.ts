// Group commit (worker/db/group-commit.ts): webhook ingest's batches from concurrent requests go to D1 together.
// What a caller must be able to rely on: it is answered with its own statements' results only once they are
// committed; a batch that is bad itself fails alone and rolls back none of its neighbours; and a leader that never
// comes back strands nobody.
import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { commitTogether, LEADER_LOST_MS } from '../worker/db/group-commit';
import { storeInbound } from '../worker/whatsapp/inbound-store';
import { makeCompany, makePerson } from './helpers/fixtures';

const background = (task: Promise<unknown>) => void task.catch(() => {});

beforeAll(async () => {
  await env.DB.prepare('CREATE TABLE IF NOT EXISTS group_commit_probe (id TEXT PRIMARY KEY, caller INTEGER)').run();
});

afterEach(() => {
  vi.useRealTimers();
});

const insert = (id: string, caller: number) =>
  env.DB.prepare('INSERT INTO group_commit_probe (id, caller) VALUES (?, ?) RETURNING id, caller').bind(id, caller);

/** The real database, counting the batches (and their sizes) that reach it. */
function countedDb(): { db: Pick<D1Database, 'batch'>; sizes: number[] } {
  const sizes: number[] = [];
  return {
    sizes,
    db: {
      batch: <T>(statements: D1PreparedStatement[]) => {
        sizes.push(statements.length);
        return env.DB.batch<T>(statements);
      },
    },
  };
}

async function stored(prefix: string): Promise<string[]> {
  const { results } = await env.DB.prepare('SELECT id FROM group_commit_probe WHERE id LIKE ? ORDER BY id')
    .bind(`${prefix}%`)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

describe('group commit', () => {
  it('answers each caller with its own results, committed, and sends the ones that waited as one batch', async () => {
    const key = `own-${crypto.randomUUID()}`;
    const { db, sizes } = countedDb();
    const callers = Array.from({ length: 12 }, (_, i) =>
      commitTogether(db, key, [insert(`${key}-${i}-a`, i), insert(`${key}-${i}-b`, i)], background),
    );
    const answers = await Promise.all(callers);
    answers.forEach((results, i) => {
      expect(results.map((r) => r.results)).toEqual([
        [{ id: `${key}-${i}-a`, caller: i }],
        [{ id: `${key}-${i}-b`, caller: i }],
      ]);
    });
    expect(await stored(key)).toHaveLength(24);
    // The first went at once, alone; the eleven that came while it was on its way went together.
    expect(sizes).toEqual([2, 22]);
  });

  it('fails only the batch that is bad itself: its neighbours in the group are committed', async () => {
    const key = `bad-${crypto.randomUUID()}`;
    const { db, sizes } = countedDb();
    const first = commitTogether(db, key, [insert(`${key}-first`, 0)], background);
    const good = [1, 2, 3, 4].map((i) => commitTogether(db, key, [insert(`${key}-good-${i}`, i)], background));
    // Its second statement breaks the primary key: the whole batch must leave nothing, its first row included.
    const bad = commitTogether(db, key, [insert(`${key}-bad`, 9), insert(`${key}-bad`, 9)], background).then(
      () => 'committed',
      (err: Error) => err.message,
    );
    const late = commitTogether(db, key, [insert(`${key}-late`, 5)], background);
    await expect(first).resolves.toHaveLength(1);
    for (const g of good) await expect(g).resolves.toHaveLength(1);
    expect(await bad).toMatch(/UNIQUE/);
    await expect(late).resolves.toHaveLength(1);
    expect(await stored(key)).toEqual([
      `${key}-first`,
      `${key}-good-1`,
      `${key}-good-2`,
      `${key}-good-3`,
      `${key}-good-4`,
      `${key}-late`,
    ]);
    // The group of six failed as one transaction; then each went again alone.
    expect(sizes.slice(0, 2)).toEqual([1, 7]);
  });

  it('strands nobody when a group is never answered: the next caller releases its members and leads', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const key = `lost-${crypto.randomUUID()}`;
    let calls = 0;
    let openFirst = () => {};
    const first = new Promise<void>((resolve) => {
      openFirst = resolve;
    });
    const db: Pick<D1Database, 'batch'> = {
      batch: async <T>(statements: D1PreparedStatement[]) => {
        calls += 1;
        if (calls === 1) await first;
        // The second call is a group whose leader's request went away: it is never answered.
        if (calls === 2) return new Promise<D1Result<T>[]>(() => {});
        return env.DB.batch<T>(statements);
      },
    };
    const x = commitTogether(db, key, [insert(`${key}-x`, 0)], background);
    // Waiting while x is on its way: they go as the second call, a led by a, c its member.
    void commitTogether(db, key, [insert(`${key}-a`, 1)], background);
    const c = commitTogether(db, key, [insert(`${key}-c`, 2)], background);
    openFirst();
    await expect(x).resolves.toHaveLength(1);
    await vi.waitFor(() => expect(calls).toBe(2));
    vi.setSystemTime(Date.now() + LEADER_LOST_MS);
    // The next caller finds the group lost: c goes alone, and this caller leads.
    await expect(commitTogether(db, key, [insert(`${key}-next`, 3)], background)).resolves.toHaveLength(1);
    await expect(c).resolves.toHaveLength(1);
    expect(await stored(key)).toEqual([`${key}-c`, `${key}-next`, `${key}-x`]);
  });
});

describe('ingest after a group whose answer never came', () => {
  it('recognises its own message as stored (not a redelivery) and announces it', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const number = await env.DB.prepare('SELECT club_id FROM whatsapp_numbers WHERE phone_number_id = ?')
      .bind(company.phoneNumberId)
      .first<{ club_id: string }>();
    // The batch commits, but its answer is lost: what a member sees when it went alone after its group did commit.
    const answerLost = {
      ...env,
      DB: {
        prepare: (query: string) => env.DB.prepare(query),
        batch: async <T>(statements: D1PreparedStatement[]) => {
          const results = await env.DB.batch<T>(statements);
          return results.map((r) => ({ ...r, results: [] }));
        },
      } as unknown as D1Database,
    };
    const waId = person.phone.slice(1);
    const result = await storeInbound(
      answerLost,
      {
        companyId: company.id,
        person: { id: person.id, phone: person.phone, saleType: 'membership' },
        number: {
          phoneNumberId: company.phoneNumberId,
          clubId: number?.club_id ?? '',
          isFirst: true,
          roundRobin: false,
          awayReply: false,
        },
        waId,
        message: {
          from: waId,
          id: `wamid.LOST${crypto.randomUUID()}`,
          timestamp: '0',
          type: 'text',
          text: { body: 'hi' },
        },
        occurredAt: Date.now(),
      },
      background,
    );
    expect(result).toEqual({ duplicate: false, personId: person.id });
    const { events } = await env.INBOX.getByName(company.id).since(0);
    expect(events.filter((e) => e.type === 'message' && e.person_id === person.id)).toHaveLength(1);
  });
});
