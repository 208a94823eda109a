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
// promise chain kept alive past the leader's answer (`background`), and a group unanswered for LEADER_LOST_MS is
// taken to be lost by the next caller, which sends its members' batches again, alone. So the statements must be
// idempotent, and a caller must recognise its own write in a group whose answer never came (ingest's: guarded by
// the note's wamid; inbound-store.ts checks the stored note's id).

/** Work that may finish after the caller's answer (its request's waitUntil). */
export type Background = (task: Promise<unknown>) => void;

type Turn = { kind: 'done'; results: D1Result[] } | { kind: 'lead' } | { kind: 'alone' };

interface Member {
  statements: D1PreparedStatement[];
  turn: (turn: Turn) => void;
}

interface Line {
  waiting: Member[];
  /** The members (leader aside) of the group on its way. */
  inFlight: Member[];
  /** When the group on its way was sent, or null when none is. */
  busySince: number | null;
}

const lines = new Map<string, Line>();
/** Batches in one group: bounded, so a long backlog goes in a few transactions of sensible size. */
const MEMBERS_PER_GROUP = 32;
/** A group not answered in this long is taken to be lost: the next caller releases its members and leads. */
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
    line = { waiting: [], inFlight: [], busySince: null };
    lines.set(key, line);
  }
  let turnGiven: (turn: Turn) => void = () => {};
  const turn = new Promise<Turn>((resolve) => {
    turnGiven = resolve;
  });
  const me: Member = { statements, turn: turnGiven };
  line.waiting.push(me);
  let mine: Turn;
  if (line.busySince === null) mine = { kind: 'lead' };
  else if (Date.now() - line.busySince >= LEADER_LOST_MS) {
    // The group on its way is lost (no timer per caller: a lost group is next to impossible, its call and answers
    // are kept alive past its leader's request, and a timer each cost more than the rest of this file). Its members
    // go alone, and this caller leads those waiting.
    for (const m of line.inFlight.splice(0)) m.turn({ kind: 'alone' });
    mine = { kind: 'lead' };
  } else mine = await turn;
  if (mine.kind === 'done') return mine.results;
  if (mine.kind === 'alone') return db.batch(statements);
  return lead(db, line, me, background);
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
  line.inFlight = others;
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
      if (line.inFlight === others) line.inFlight = [];
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
