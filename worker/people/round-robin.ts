// Round-robin: in a club whose `assignment` is 'round_robin', a lead who writes while nobody owns them goes to
// the club's staff member on shift who has waited longest for one. The whole decision is a few statements the
// conversation object puts in the D1 batch that stores the inbound message (whatsapp/conversation.ts), so it
// costs a manual club (most clubs) no extra round trip, and it happens exactly when the message is stored: a
// batch that fails stores neither, Meta redelivers, and the retry decides again.
//
// Fair under concurrency because D1 runs batches one at a time, each a transaction: nine leads writing at once
// are nine batches in some order, each reading the `last_assigned_at` the one before it wrote. Never two owners:
// every statement holds only while the person is unowned, as a manual claim's does (people/owner.ts), so
// whichever commits first wins and the other changes nothing (the claim then answers 409 already_owned).
//
// The statements, guarded in turn:
//   1. the history note "Assigned to Sam by Round-robin", its owner picked in SQL, only if the inbound note of
//      this batch was stored (not a redelivery), the person is unowned and not opted out, their club is
//      round-robin and someone is available: the note is the mark the others test;
//   2. the audit entry, read from that note;
//   3. people.owner_user_id, still only while null;
//   4. the new owner's last_assigned_at, past everyone else's on shift, so they go to the back of the line;
//   5. a read of who got whom, for the push and the live update after the batch.
//
// Users are the platform directory and people a company's data (db/company-data.ts): one batch while they share
// a database. A company moved to a database of its own takes its users' shift state (on_shift, club_ids,
// last_assigned_at) with it, or this becomes a pick on the directory and a guarded write to the company.
import { z } from 'zod';
import { auditStatementFrom, systemBy } from '../audit/record';
import { SYSTEM } from '../auth/actor';
import { newId } from '../ids';
import { pushOwner } from '../push/owner';
import { notifyInbox } from '../realtime/notify';
import { ownerNoteText } from './owner';

/** The roles round-robin gives leads to. Text, as users.role is: `salesperson` joins `staff` (issue 15). */
export const ROUND_ROBIN_ROLES = ['staff', 'salesperson'] as const;

const ACTOR = SYSTEM.roundRobin;
/** Where the owner's name goes in the note's wording; replace() scans the wording only, never the name. */
const NAME_SLOT = '{owner}';

/** The inbound message's batch: its company, person, and the note it inserts (a redelivery inserts none). */
export interface InboundBatch {
  companyId: string;
  personId: string;
  noteId: string;
}

export interface RoundRobinAssignment {
  companyId: string;
  personId: string;
  personName: string;
  ownerId: string;
  ownerName: string;
}

/**
 * The user who gets the lead, as a scalar subquery over `p` (the person): active, of the company, a role that
 * takes leads, on shift, allowed in the person's club (club_ids null means every club; a value that is not a
 * JSON array allows none), and first in line: never given one (SQLite sorts NULLs first), else given one longest
 * ago, then by id. Walks the partial index users_company_on_shift in that order (migrations/0017).
 */
export const PICK_SQL = `(SELECT u.id FROM users u
   WHERE u.company_id = p.company_id AND u.on_shift = 1 AND u.deactivated_at IS NULL
     AND u.role IN (${ROUND_ROBIN_ROLES.map((r) => `'${r}'`).join(', ')})
     AND CASE WHEN u.club_ids IS NULL THEN 1
              WHEN json_valid(u.club_ids) THEN EXISTS (SELECT 1 FROM json_each(u.club_ids) WHERE value = p.club_id)
              ELSE 0 END
   ORDER BY u.last_assigned_at, u.id LIMIT 1)`;

const ASSIGNED_ROW = z.object({
  owner_id: z.string(),
  owner_name: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  phone: z.string().nullable(),
});

/**
 * The statements to add to the inbound batch, in order; the last one reads the outcome (`assignedBy`). Scalar
 * subqueries rather than joins or EXISTS (which SQLite turns into a join): these run with every inbound message to a
 * round-robin club, and workerd's SQLite compiles a SELECT that joins and binds parameters again on every run; for
 * the note's insert that means all of history_notes' triggers, about 0.4 ms each time.
 */
export function statements(db: D1Database, inbound: InboundBatch, now = Date.now()): D1PreparedStatement[] {
  const { companyId, personId, noteId: inboundNoteId } = inbound;
  const noteId = newId('his');
  // The wording is the manual path's (owner.ts); the owner's name goes in its slot in SQL.
  const body = ownerNoteText({ id: '', name: NAME_SLOT }, null, ACTOR.name);
  const note = db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
       SELECT ?1, ?2, ?3, 'owner_changed', replace(?4, ?5, u.name),
              json_object('from', NULL, 'to', json_object('id', u.id, 'name', u.name)), ?6, ?7, ?7
         FROM users u
        WHERE u.id = (SELECT ${PICK_SQL} FROM people p
                       WHERE p.id = ?3 AND p.company_id = ?2 AND p.owner_user_id IS NULL AND p.whatsapp_opted_out = 0
                         AND (SELECT c.assignment FROM clubs c
                               WHERE c.id = p.club_id AND c.company_id = p.company_id) = 'round_robin')
          AND (SELECT 1 FROM history_notes WHERE id = ?8) = 1`,
    )
    .bind(noteId, companyId, personId, body, NAME_SLOT, JSON.stringify(ACTOR), now, inboundNoteId);
  const ownerOfNote = `(SELECT json_extract(content, '$.to.id') FROM history_notes WHERE id = ?)`;
  const audit = auditStatementFrom(
    db,
    companyId,
    systemBy(ACTOR),
    {
      action: 'person.owner_changed',
      target: { type: 'person', id: personId },
      details: `json_object('from', NULL, 'to', json_extract(content, '$.to.id'))`,
    },
    { sql: 'history_notes WHERE id = ?', params: [noteId] },
    now,
  );
  const person = db
    .prepare(
      `UPDATE people SET owner_user_id = ${ownerOfNote}, updated_at = ?
        WHERE id = ? AND company_id = ? AND owner_user_id IS NULL
          AND EXISTS (SELECT 1 FROM history_notes WHERE id = ?)`,
    )
    .bind(noteId, now, personId, companyId, noteId);
  // Past every other stamp on shift in the company, not merely `now`: batches decided by objects whose clocks
  // differ by a millisecond must still put each new owner at the back of the line, or one could be picked twice
  // in a row.
  const user = db
    .prepare(
      `UPDATE users SET last_assigned_at = max(?1,
              coalesce((SELECT max(last_assigned_at) FROM users WHERE company_id = ?2 AND on_shift = 1), 0) + 1)
        WHERE company_id = ?2 AND id = (SELECT json_extract(content, '$.to.id') FROM history_notes WHERE id = ?3)`,
    )
    .bind(now, companyId, noteId);
  const read = db
    .prepare(
      `SELECT p.owner_user_id AS owner_id,
              (SELECT json_extract(content, '$.to.name') FROM history_notes WHERE id = ?1) AS owner_name,
              p.first_name, p.last_name, p.phone
         FROM people p
        WHERE p.id = ?2 AND p.owner_user_id = (SELECT json_extract(content, '$.to.id') FROM history_notes WHERE id = ?1)`,
    )
    .bind(noteId, personId);
  return [note, audit, person, user, read];
}

/** Who got the lead, from the last statement's result; null when round-robin assigned nobody. */
export function assignedBy(result: D1Result<unknown> | undefined, inbound: InboundBatch): RoundRobinAssignment | null {
  const row = ASSIGNED_ROW.safeParse(result?.results[0]);
  if (!row.success) return null;
  const r = row.data;
  const personName = [r.first_name, r.last_name].filter(Boolean).join(' ') || r.phone || 'A lead';
  const { companyId, personId } = inbound;
  return { companyId, personId, personName, ownerId: r.owner_id, ownerName: r.owner_name };
}

/**
 * After the batch committed: open apps refetch the person (their owner, the Mine view), and the new owner gets
 * the same push a manual assignment sends. Best effort, like those (push/owner.ts): the assignment stands.
 */
export async function announceRoundRobin(env: Env, a: RoundRobinAssignment): Promise<void> {
  await notifyInbox(env, a.companyId, { type: 'person', personId: a.personId });
  await pushOwner(env, {
    companyId: a.companyId,
    personId: a.personId,
    personName: a.personName,
    userId: a.ownerId,
    byName: ACTOR.name,
  }).catch((err: unknown) => console.warn('round-robin push failed', err instanceof Error ? err.message : String(err)));
}
