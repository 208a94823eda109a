// The history note of a change made to a person (their owner, their stage): "Assigned to Sam by Alex",
// "Stage: Enquiry → Tour booked by Sam". Written in the change's own D1 batch, only while `guard` (the same
// condition the change's UPDATE checks) holds, so the note exists exactly when the change happened.
import type { Actor } from '../auth/actor';
import { newId } from '../ids';

/** SQL that holds while the person is still as the change read them, with its `?` parameters. */
export interface NoteGuard {
  sql: string;
  params: unknown[];
}

export interface ChangeNote {
  companyId: string;
  personId: string;
  type: 'owner_changed' | 'stage_changed';
  body: string;
  /** {from, to}: what the change moved the person from and to. */
  content: unknown;
  actor: Actor;
  at: number;
}

export function changeNoteIf(db: D1Database, note: ChangeNote, guard: NoteGuard): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(
      newId('his'),
      note.companyId,
      note.personId,
      note.type,
      note.body,
      JSON.stringify(note.content),
      JSON.stringify(note.actor),
      note.at,
      note.at,
      ...guard.params,
    );
}
