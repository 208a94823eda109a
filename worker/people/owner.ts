// A person's owner: who may set it (auth/permissions.ts), to whom (an active user of the company), and the one
// write that changes it. The change, its history note ("Assigned to Sam by Alex") and its audit entry are one D1
// batch, each guarded by the owner this request read: two requests racing for the same person cannot both win,
// and nothing is written for the one that loses. Claiming an unowned lead is first come first served; the loser
// gets 409 `already_owned`.
import { and, eq } from 'drizzle-orm';
import { type AuditBy, auditStatement } from '../audit/record';
import type { CompanyAuth } from '../auth/actor';
import { canSetOwner } from '../auth/permissions';
import { platformDb } from '../db/client';
import { companyDatabase, companyDb } from '../db/company-data';
import { users } from '../db/schema';
import { ApiError } from '../errors';
import { newId } from '../ids';
import type { PersonRow } from './serialize';
import { getPerson } from './service';

export interface OwnerRef {
  id: string;
  name: string;
}

export interface OwnerChange {
  person: PersonRow;
  from: OwnerRef | null;
  to: OwnerRef | null;
  /** False when the person already had that owner: nothing was written. */
  changed: boolean;
}

const alreadyOwned = () => new ApiError(409, 'already_owned', 'Someone else claimed this person first');

/** An active user of the company, or null (deactivated, another company's, or no such user). */
async function activeUser(env: Env, companyId: string, userId: string): Promise<OwnerRef | null> {
  const row = await platformDb(env)
    .select({ id: users.id, name: users.name, deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .get();
  return row && row.deactivatedAt === null ? { id: row.id, name: row.name } : null;
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

export function ownerNoteText(to: OwnerRef | null, from: OwnerRef | null, by: string): string {
  return to ? `Assigned to ${to.name} by ${by}` : `Unassigned from ${from?.name ?? 'nobody'} by ${by}`;
}

export async function setOwner(
  env: Env,
  auth: CompanyAuth,
  by: AuditBy,
  personId: string,
  ownerUserId: string | null,
  now = Date.now(),
): Promise<OwnerChange> {
  const { companyId } = auth;
  const current = await getPerson(companyDb(env, companyId), companyId, personId);
  const fromId = current.ownerUserId;
  if (fromId === ownerUserId) {
    const same = await ownerRef(env, companyId, fromId);
    return { person: current, from: same, to: same, changed: false };
  }
  if (!canSetOwner(auth, fromId, ownerUserId)) {
    // A staff member's claim of someone already owned is the race they lost, however long ago.
    if (fromId !== null && auth.actor.kind === 'user' && ownerUserId === auth.actor.id) throw alreadyOwned();
    throw new ApiError(403, 'forbidden', 'Your role allows claiming unowned people and releasing your own only');
  }
  const to = ownerUserId === null ? null : await activeUser(env, companyId, ownerUserId);
  if (ownerUserId !== null && to === null)
    throw new ApiError(422, 'validation_failed', 'owner_user_id: not an active user of this company');
  const from = await ownerRef(env, companyId, fromId);

  const db = companyDatabase(env, companyId);
  // Every statement holds only while the owner is still the one read above (IS: null compares equal to null).
  const guard = {
    sql: 'EXISTS (SELECT 1 FROM people WHERE company_id = ? AND id = ? AND owner_user_id IS ?)',
    params: [companyId, personId, fromId],
  };
  const body = ownerNoteText(to, from, auth.actor.name);
  const note = db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
       SELECT ?, ?, ?, 'owner_changed', ?, ?, ?, ?, ? WHERE ${guard.sql}`,
    )
    .bind(
      newId('his'),
      companyId,
      personId,
      body,
      JSON.stringify({ from, to }),
      JSON.stringify(auth.actor),
      now,
      now,
      ...guard.params,
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
      'UPDATE people SET owner_user_id = ?, updated_at = ? WHERE company_id = ? AND id = ? AND owner_user_id IS ?',
    )
    .bind(ownerUserId, now, companyId, personId, fromId);
  const results = await db.batch([note, audit, update]);
  if ((results[2]?.meta.changes ?? 0) === 0) {
    const latest = await getPerson(companyDb(env, companyId), companyId, personId);
    // Someone else set the same owner meanwhile: what was asked for holds.
    if (latest.ownerUserId === ownerUserId) return { person: latest, from: to, to, changed: false };
    if (fromId === null && latest.ownerUserId !== null) throw alreadyOwned();
    throw new ApiError(409, 'owner_changed', "The person's owner changed meanwhile; reload and try again");
  }
  return { person: await getPerson(companyDb(env, companyId), companyId, personId), from, to, changed: true };
}
