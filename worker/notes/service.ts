// Internal notes: a history note of type 'note' that never goes to WhatsApp and is counted nowhere (no counters,
// no usage, no unread, not the conversation's last message: migrations/0020_notes_mentions.sql says why), and the
// users it mentions. A mention is the user's id in the text (#common/mentions); each mentioned user must be an
// active user of the company allowed to see the person (#common/scope), else the whole note is refused (422
// `mention_not_allowed`, naming them), so nobody is ever told about, or pushed the words of, someone they may not
// see. The note, its mention rows and its audit entry are one D1 batch.
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { MAX_MENTIONS, type MentionRef, mentionedIds } from '#common/mentions';
import { scopeOf, visible } from '#common/scope';
import { type AuditBy, auditStatement } from '../audit/record';
import type { CompanyAuth, Role } from '../auth/actor';
import { platformDb } from '../db/client';
import { companyDatabase, companyDb } from '../db/company-data';
import { historyNotes, users } from '../db/schema';
import { ApiError, notFound } from '../errors';
import type { HistoryNoteRow } from '../history/serialize';
import { newId } from '../ids';
import type { PersonRow } from '../people/serialize';
import { findPerson } from '../people/service';

export interface StaffUser {
  id: string;
  name: string;
  role: Role;
  clubIds: string[] | null;
}

/** The company's active users, by name (a company has tens of them, not thousands: read whole, as /owners does). */
async function activeUsers(env: Env, companyId: string, ids?: string[]): Promise<StaffUser[]> {
  return platformDb(env)
    .select({ id: users.id, name: users.name, role: users.role, clubIds: users.clubIds })
    .from(users)
    .where(and(eq(users.companyId, companyId), isNull(users.deactivatedAt), ids ? inArray(users.id, ids) : undefined))
    .orderBy(asc(users.name), asc(users.id))
    .all();
}

const callerId = (auth: CompanyAuth): string | null => (auth.actor.kind === 'user' ? auth.actor.id : null);

const mayMention = (user: StaffUser, person: PersonRow): boolean => visible(scopeOf(user), person);

/** Who the caller may mention on this person's notes: active users who may see them, the caller left out. */
export async function mentionableUsers(env: Env, auth: CompanyAuth, person: PersonRow): Promise<StaffUser[]> {
  const me = callerId(auth);
  return (await activeUsers(env, auth.companyId)).filter((u) => u.id !== me && mayMention(u, person));
}

/** The users a text mentions, checked: 422 for an id that is no active user here, or someone who may not see. */
async function checkedMentions(env: Env, auth: CompanyAuth, person: PersonRow, text: string): Promise<StaffUser[]> {
  const ids = mentionedIds(text);
  if (ids.length === 0) return [];
  if (ids.length > MAX_MENTIONS)
    throw new ApiError(422, 'too_many_mentions', `A note may mention at most ${MAX_MENTIONS} people`);
  const found = new Map((await activeUsers(env, auth.companyId, ids)).map((u) => [u.id, u]));
  const unknown = ids.filter((id) => !found.has(id));
  if (unknown.length > 0)
    throw new ApiError(422, 'unknown_mention', `Not an active user of this company: ${unknown.join(', ')}`);
  const mentioned = ids.map((id) => found.get(id)).filter((u): u is StaffUser => u !== undefined);
  const refused = mentioned.filter((u) => !mayMention(u, person));
  if (refused.length > 0) {
    const names = refused.map((u) => u.name).join(', ');
    throw new ApiError(
      422,
      'mention_not_allowed',
      `${names} may not see this person (their clubs or role do not include them), so cannot be mentioned`,
    );
  }
  return mentioned;
}

export interface NoteCreated {
  note: HistoryNoteRow;
  /** Every user the note mentions, by name, as its content holds them. */
  mentions: MentionRef[];
  /** The users mentioned, the author left out: who gets a push and a Mentions row. */
  notify: MentionRef[];
}

/**
 * Writes the note on a person the caller may see (already loaded through getPerson). Mention rows are written only
 * while the person is still in the club, owner and status read here (the facts the visibility check used): a
 * concurrent move answers 409 `person_changed` and writes nothing, rather than a mention someone may not see.
 */
export async function createNote(
  env: Env,
  auth: CompanyAuth,
  by: AuditBy,
  person: PersonRow,
  text: string,
  now = Date.now(),
): Promise<NoteCreated> {
  const { companyId } = auth;
  const mentioned = await checkedMentions(env, auth, person, text);
  const refs: MentionRef[] = mentioned.map((u) => ({ id: u.id, name: u.name }));
  const me = callerId(auth);
  const notify = refs.filter((r) => r.id !== me);
  const id = newId('his');
  const db = companyDatabase(env, companyId);
  // A note that mentions nobody tells nobody: only the person's existence matters then.
  const guard =
    notify.length === 0
      ? { sql: 'EXISTS (SELECT 1 FROM people WHERE company_id = ? AND id = ?)', params: [companyId, person.id] }
      : {
          sql: `EXISTS (SELECT 1 FROM people WHERE company_id = ? AND id = ? AND club_id IS ? AND owner_user_id IS ?
                          AND status = ?)`,
          params: [companyId, person.id, person.clubId, person.ownerUserId, person.status],
        };
  const statements: D1PreparedStatement[] = [
    db
      .prepare(
        `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
         SELECT ?, ?, ?, 'note', ?, ?, ?, ?, ? WHERE ${guard.sql}`,
      )
      .bind(
        id,
        companyId,
        person.id,
        text,
        JSON.stringify({ mentions: refs }),
        JSON.stringify(auth.actor),
        now,
        now,
        ...guard.params,
      ),
    auditStatement(
      db,
      companyId,
      by,
      {
        action: 'person.note_added',
        target: { type: 'person', id: person.id },
        details: { note_id: id, mentions: refs.map((r) => r.id) },
      },
      now,
      { sql: 'EXISTS (SELECT 1 FROM history_notes WHERE id = ?)', params: [id] },
    ),
    ...notify.map((r) =>
      db
        .prepare(
          `INSERT INTO mentions (note_id, user_id, company_id, person_id, created_at)
           SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM history_notes WHERE id = ?)`,
        )
        .bind(id, r.id, companyId, person.id, now, id),
    ),
  ];
  const [inserted] = await db.batch(statements);
  if ((inserted?.meta.changes ?? 0) === 0) {
    if (!(await findPerson(companyDb(env, companyId), companyId, person.id))) throw notFound('Person');
    throw new ApiError(409, 'person_changed', "The person's club or owner changed meanwhile; reload and try again");
  }
  const note = await companyDb(env, companyId)
    .select()
    .from(historyNotes)
    .where(and(eq(historyNotes.companyId, companyId), eq(historyNotes.id, id)))
    .get();
  if (!note) throw notFound('Note');
  return { note, mentions: refs, notify };
}
