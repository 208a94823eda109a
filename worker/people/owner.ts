// A person's owner: who may set it (auth/permissions.ts), to whom (an active user of the company allowed to see
// the person: #common/scope `mayOwn`), and the one write that changes it. The change, its history note ("Assigned to Sam by Alex") and its audit entry are one D1
// batch, each guarded by the owner this request read: two requests racing for the same person cannot both win,
// and nothing is written for the one that loses. Claiming an unowned lead is first come first served; the loser
// gets 409 `already_owned`.
import { and, eq } from 'drizzle-orm';
import { mayOwn, visible } from '#common/scope';
import { type AuditBy, auditStatement } from '../audit/record';
import type { CompanyAuth, Role } from '../auth/actor';
import { canSetOwner } from '../auth/permissions';
import { platformDb } from '../db/client';
import { companyDatabase, companyDb } from '../db/company-data';
import { users } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { changeNoteIf } from '../history/change-note';
import { type OwnerRef, ownerNoteText } from './owner-note';
import type { PersonRow } from './serialize';
import { findPerson } from './service';

export { type OwnerRef, ownerNoteText };

export interface OwnerChange {
  person: PersonRow;
  from: OwnerRef | null;
  to: OwnerRef | null;
  /** False when the person already had that owner: nothing was written. */
  changed: boolean;
}

const alreadyOwned = () => new ApiError(409, 'already_owned', 'Someone else claimed this person first');

interface Candidate extends OwnerRef {
  role: Role;
  clubIds: string[] | null;
}

/** An active user of the company, or null (deactivated, another company's, or no such user). */
async function activeUser(env: Env, companyId: string, userId: string): Promise<Candidate | null> {
  const row = await platformDb(env)
    .select({
      id: users.id,
      name: users.name,
      role: users.role,
      clubIds: users.clubIds,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .get();
  return row && row.deactivatedAt === null ? row : null;
}

/** The current owner's name for the note; a user since deleted from the directory keeps their id. */
async function ownerRef(env: Env, companyId: string, userId: string | null): Promise<OwnerRef | null> {
  if (userId === null) return null;
  const row = await platformDb(env)
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .get();
  return row ?? { id: userId, name: 'a former user' };
}

/**
 * The person a caller asks to set the owner of, as getPerson reads them, but for the claim a salesperson lost:
 * an unowned lead they could see until a colleague claimed it first answers 409 `already_owned` (the race they
 * lost, however long ago), not the 404 of someone they were never shown.
 */
async function personToChange(env: Env, auth: CompanyAuth, personId: string, to: string | null): Promise<PersonRow> {
  const person = await findPerson(companyDb(env, auth.companyId), auth.companyId, personId);
  if (!person) throw notFound('Person');
  if (visible(auth.scope, person)) return person;
  const claiming = auth.actor.kind === 'user' && to === auth.actor.id;
  if (claiming && person.ownerUserId !== null && visible(auth.scope, { ...person, ownerUserId: null }))
    throw alreadyOwned();
  throw notFound('Person');
}

/**
 * Sets (or clears) the person's owner. `clubAfter`: the club the same request moves them to (PATCH with both),
 * which the new owner must be allowed in; the move itself follows (service.ts's updatePerson).
 */
export async function setOwner(
  env: Env,
  auth: CompanyAuth,
  by: AuditBy,
  personId: string,
  ownerUserId: string | null,
  now = Date.now(),
  clubAfter?: string,
): Promise<OwnerChange> {
  const { companyId } = auth;
  const current = await personToChange(env, auth, personId, ownerUserId);
  const fromId = current.ownerUserId;
  if (fromId === ownerUserId && clubAfter === undefined) {
    const same = await ownerRef(env, companyId, fromId);
    return { person: current, from: same, to: same, changed: false };
  }
  if (fromId !== ownerUserId && !canSetOwner(auth, fromId, ownerUserId)) {
    // A salesperson's claim of someone already owned is the race they lost, however long ago.
    if (fromId !== null && auth.actor.kind === 'user' && ownerUserId === auth.actor.id) throw alreadyOwned();
    throw new ApiError(403, 'forbidden', 'Your role allows claiming unowned leads and releasing your own only');
  }
  const to = ownerUserId === null ? null : await activeUser(env, companyId, ownerUserId);
  if (ownerUserId !== null && to === null)
    throw new ApiError(422, 'validation_failed', 'owner_user_id: not an active user of this company');
  // Whoever owns a person must be allowed to see them (#common/scope): their clubs must include the person's.
  if (to && !mayOwn(to, { ...current, clubId: clubAfter ?? current.clubId }))
    throw new ApiError(
      422,
      'owner_not_in_club',
      `owner_user_id: ${to.name} is not allowed in this person's club, so could not see them`,
    );
  if (fromId === ownerUserId) return { person: current, from: to, to, changed: false };
  const from = await ownerRef(env, companyId, fromId);
  const toRef = to && { id: to.id, name: to.name };

  const db = companyDatabase(env, companyId);
  // Every statement holds only while the owner and the club are still the ones read above (IS: null compares
  // equal to null): two requests racing for the same person cannot both win, and an owner checked against one
  // club is never left on a person a concurrent move took to another.
  const guard = {
    sql: 'EXISTS (SELECT 1 FROM people WHERE company_id = ? AND id = ? AND owner_user_id IS ? AND club_id IS ?)',
    params: [companyId, personId, fromId, current.clubId],
  };
  const body = ownerNoteText(toRef, from, auth.actor.name);
  const note = changeNoteIf(
    db,
    {
      companyId,
      personId,
      type: 'owner_changed',
      body,
      content: { from, to: toRef },
      actor: auth.actor,
      at: now,
    },
    guard,
  );
  const audit = auditStatement(
    db,
    companyId,
    by,
    {
      action: 'person.owner_changed',
      target: { type: 'person', id: personId },
      details: { from: fromId, to: ownerUserId },
    },
    now,
    guard,
  );
  const update = db
    .prepare(
      `UPDATE people SET owner_user_id = ?, updated_at = ?
        WHERE company_id = ? AND id = ? AND owner_user_id IS ? AND club_id IS ?`,
    )
    .bind(ownerUserId, now, companyId, personId, fromId, current.clubId);
  const results = await db.batch([note, audit, update]);
  const reread = () => findPerson(companyDb(env, companyId), companyId, personId);
  if ((results[2]?.meta.changes ?? 0) === 0) {
    const latest = await reread();
    if (!latest) throw notFound('Person');
    // Someone else set the same owner meanwhile: what was asked for holds.
    if (latest.ownerUserId === ownerUserId && latest.clubId === current.clubId)
      return { person: latest, from: toRef, to: toRef, changed: false };
    if (fromId === null && latest.ownerUserId !== null) throw alreadyOwned();
    throw new ApiError(409, 'owner_changed', "The person's owner or club changed meanwhile; reload and try again");
  }
  // The answer shows the person as the change left them, even to a salesperson who just released a member.
  const person = await reread();
  if (!person) throw notFound('Person');
  return { person, from, to: toRef, changed: true };
}
