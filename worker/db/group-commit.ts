// Group commit: D1 batches that concurrent requests in this isolate want written at the same moment go to D1 as
// one batch (one transaction, one round trip) instead of one each. Used by webhook ingest, where a burst of
// inbound messages is many small batches of the same shape (issue 12: the D1 round trip was a quarter of an
// inbound message's server time; grouping took ingest from about 0.39 to 0.48 of a bare route locally, and D1,
// one writer per database, handles fewer, larger transactions best).
//
// One batch is on its way per database per isolate. Batches that come meanwhile wait, and when it is answered the
// first of them leads the next: it sends every waiting batch together, from its OWN request (each request's I/O is
// made in that request's context; only results cross to the others, as values: Workers resolve a promise across
// requests since compatibility date 2024-10-14, `handle_cross_request_promise_resolution`). Each caller gets only
// its own statements' results, and only once they are committed.
//
// One bad batch must not roll back its neighbours: when a group fails, each of its members sends its batch again
// alone (the group's transaction left nothing behind), so only the batch that is bad itself fails. A leader
// whose request ends mid-call would strand the others: the group call and the answers to its members are one
// promise chain kept alive past the leader's answer (`background`), and a member left waiting longer than
// LEADER_LOST_MS sends its own batch alone. So the statements must be idempotent, and a caller must recognise its
// own write in a group whose answer never came (ingest's: guarded by the note's wamid; inbound-store.ts checks
// the stored note's id).

/** Work that may finish after the caller's answer (its request's waitUntil). */
type Background = (task: Promise<unknown>) => void;

type Turn = { kind: 'done'; results: D1Result[] } | { kind: 'lead' } | { kind: 'alone' };

interface Member {
  statements: D1PreparedStatement[];
  turn: (turn: Turn) => void;
}

interface Line {
  waiting: Member[];
  /** When the batch on its way was sent, or null when none is. */
  busySince: number | null;
}

const lines = new Map<string, Line>();
/** Batches in one group: bounded, so a long backlog goes in a few transactions of sensible size. */
const MEMBERS_PER_GROUP = 32;
/** A leader not answered in this long is taken to be gone: its members, and the next caller, go alone. */
export const LEADER_LOST_MS = 10_000;

/**
 * Commits `statements` as one D1 batch, grouped with any others for the same database (`key`) that are waiting.
 * Resolves with this batch's results, in order, once they are committed; rejects only when this batch, sent alone,
 * fails.
 */
export async function commitTogether(
  db: Pick<D1Database, 'batch'>,
  key: string,
  statements: D1PreparedStatement[],
  background: Background,
): Promise<D1Result[]> {
  let line = lines.get(key);
  if (!line) {
    line = { waiting: [], busySince: null };
    lines.set(key, line);
  }
  let turnGiven: (turn: Turn) => void = () => {};
  const turn = new Promise<Turn>((resolve) => {
    turnGiven = resolve;
  });
  const me: Member = { statements, turn: turnGiven };
  line.waiting.push(me);
  const leading = line.busySince === null || Date.now() - line.busySince >= LEADER_LOST_MS;
  const mine: Turn = leading ? { kind: 'lead' } : await waitFor(turn, line, me);
  if (mine.kind === 'done') return mine.results;
  if (mine.kind === 'alone') return db.batch(statements);
  return lead(db, line, me, background);
}

/** Waits for this member's turn; if no one answers for too long, goes alone (leaving the queue if still in it). */
async function waitFor(turn: Promise<Turn>, line: Line, me: Member): Promise<Turn> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const lost = new Promise<Turn>((resolve) => {
    timer = setTimeout(() => {
      const at = line.waiting.indexOf(me);
      if (at >= 0) line.waiting.splice(at, 1);
      resolve({ kind: 'alone' });
    }, LEADER_LOST_MS);
  });
  try {
    return await Promise.race([turn, lost]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends every waiting batch (this one first) as one, hands each its results and passes the lead on. All of that
 * is one promise chain kept alive past this request's answer (`background`): even if this request ends mid-call,
 * the members are answered and the next group goes.
 */
async function lead(
  db: Pick<D1Database, 'batch'>,
  line: Line,
  me: Member,
  background: Background,
): Promise<D1Result[]> {
  line.busySince = Date.now();
  const at = line.waiting.indexOf(me);
  if (at >= 0) line.waiting.splice(at, 1);
  const others = line.waiting.splice(0, MEMBERS_PER_GROUP - 1);
  const group = db
    .batch([...me.statements, ...others.flatMap((m) => m.statements)])
    .then(
      (results) => {
        let from = me.statements.length;
        for (const m of others) {
          m.turn({ kind: 'done', results: results.slice(from, from + m.statements.length) });
          from += m.statements.length;
        }
        return results.slice(0, me.statements.length);
      },
      (err: unknown) => {
        // The whole group rolled back: each batch goes again alone, so only a batch that is itself bad fails.
        for (const m of others) m.turn({ kind: 'alone' });
        throw err;
      },
    )
    .finally(() => {
      const next = line.waiting[0];
      if (next) {
        line.busySince = Date.now();
        next.turn({ kind: 'lead' });
      } else line.busySince = null;
    });
  background(group.catch(() => {}));
  try {
    return await group;
  } catch (err) {
    if (others.length === 0) throw err;
    return db.batch(me.statements);
  }
}
