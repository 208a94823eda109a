// Company staff logins, managed by the company's admins, with the clubs each may see (`club_ids`).
// Role, club, name and email changes take effect on the next request (sessions read them from the user row), and
// the user's open apps reconnect at once so their live events follow the new scope; deactivation ends every
// session, closes the user's open apps and removes their push subscriptions at once.
import { and, asc, eq } from 'drizzle-orm';
import { type AuditBy, type AuditEntry, auditRow, auditStatement } from '../audit/record';
import type { CompanyAuth } from '../auth/actor';
import { hashPassword } from '../auth/crypto';
import type { Db } from '../db/client';
import { companyDatabase, companyDb } from '../db/company-data';
import { isUniqueViolation } from '../db/errors';
import { auditLog, users } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { checkClubs } from '../people/club';
import { inboxStub } from '../realtime/company-inbox';
import type { CompanyUserCreate, CompanyUserJson, CompanyUserUpdate } from './schemas';

type UserRow = typeof users.$inferSelect;

export function serializeCompanyUser(u: UserRow): CompanyUserJson {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    club_ids: u.clubIds && u.clubIds.length > 0 ? u.clubIds : null,
    active: u.deactivatedAt === null,
    deactivated_at: u.deactivatedAt === null ? null : new Date(u.deactivatedAt).toISOString(),
    created_at: new Date(u.createdAt).toISOString(),
  };
}

export async function listCompanyUsers(db: Db, companyId: string): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.companyId, companyId)).orderBy(asc(users.name), asc(users.email)).all();
}

const LAST_ADMIN = new ApiError(409, 'last_admin', 'The company needs at least one active admin');

const emailTaken = () => new ApiError(409, 'email_taken', 'A user with that email already exists');

/**
 * The club list to store: null for every club (null or an empty list asked), else the distinct ids, each a club
 * of the company the admin may see (422 `unknown_club`). An admin limited to clubs cannot give every club.
 */
async function clubIdsToStore(db: Db, admin: Pick<CompanyAuth, 'companyId' | 'scope'>, asked: string[] | null) {
  const ids = asked === null ? [] : [...new Set(asked)];
  if (ids.length === 0) {
    if (admin.scope.clubIds !== null)
      throw new ApiError(422, 'validation_failed', 'club_ids: you are limited to clubs; give some of yours');
    return null;
  }
  await checkClubs(db, admin.companyId, admin.scope, ids);
  return ids;
}

const sameClubs = (a: readonly string[] | null, b: readonly string[] | null): boolean =>
  JSON.stringify(a ? [...a].sort() : null) === JSON.stringify(b ? [...b].sort() : null);

/** A new login with a role, the clubs it may see and a first password; audited in the same batch. */
export async function createCompanyUser(
  env: Env,
  admin: Pick<CompanyAuth, 'companyId' | 'scope'>,
  by: AuditBy,
  input: CompanyUserCreate,
): Promise<UserRow> {
  const { companyId } = admin;
  const db = companyDb(env, companyId);
  const clubIds = await clubIdsToStore(db, admin, input.club_ids ?? null);
  const id = newId('usr');
  const email = input.email.trim().toLowerCase();
  const row = { id, companyId, email, name: input.name, role: input.role, clubIds };
  try {
    const [inserted] = await db.batch([
      db
        .insert(users)
        .values({ ...row, passwordHash: await hashPassword(input.password) })
        .returning(),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'user.created',
          target: { type: 'user', id },
          details: { email, name: input.name, role: input.role, club_ids: clubIds },
        }),
      ),
    ]);
    const user = inserted[0];
    if (!user) throw notFound('User');
    return user;
  } catch (err) {
    if (isUniqueViolation(err, 'users.email')) throw emailTaken();
    throw err;
  }
}

/** What one change does to a user, as audit entries: one per action (a role change and a restore are two). */
function entriesOf(
  current: UserRow,
  next: Pick<UserRow, 'role' | 'clubIds' | 'deactivatedAt' | 'name' | 'email'>,
): AuditEntry[] {
  const target = { type: 'user', id: current.id } as const;
  const who = { email: current.email };
  const entries: AuditEntry[] = [];
  if (next.role !== current.role)
    entries.push({ action: 'user.role_changed', target, details: { ...who, from: current.role, to: next.role } });
  if (!sameClubs(current.clubIds, next.clubIds))
    entries.push({
      action: 'user.clubs_changed',
      target,
      details: { ...who, from: current.clubIds, to: next.clubIds },
    });
  if (current.deactivatedAt === null && next.deactivatedAt !== null)
    entries.push({ action: 'user.deactivated', target, details: who });
  if (current.deactivatedAt !== null && next.deactivatedAt === null)
    entries.push({ action: 'user.reactivated', target, details: who });
  const changed: Record<string, { from: string; to: string }> = {};
  if (next.name !== current.name) changed.name = { from: current.name, to: next.name };
  if (next.email !== current.email) changed.email = { from: current.email, to: next.email };
  if (Object.keys(changed).length > 0) entries.push({ action: 'user.updated', target, details: { changed } });
  return entries;
}

/**
 * Changes a user's role, name or email, or deactivates/restores them. The "at least one active admin" rule is
 * part of the UPDATE itself, so two admins demoting each other at the same moment cannot both succeed; the audit
 * entries go before it in the same batch, under the same rule, so a refused change logs nothing.
 */
export async function updateCompanyUser(
  env: Env,
  admin: Pick<CompanyAuth, 'companyId' | 'scope'>,
  by: AuditBy,
  userId: string,
  input: CompanyUserUpdate,
  now = Date.now(),
): Promise<UserRow> {
  const { companyId } = admin;
  if (input.active === false && userId === by.actor.id)
    throw new ApiError(409, 'cannot_deactivate_self', 'You cannot deactivate yourself; ask another admin');
  const current = await companyDb(env, companyId)
    .select()
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .get();
  if (!current) throw notFound('User');
  const clubIds =
    input.club_ids === undefined
      ? current.clubIds
      : await clubIdsToStore(companyDb(env, companyId), admin, input.club_ids);
  const next = {
    role: input.role ?? current.role,
    clubIds,
    deactivatedAt:
      input.active === undefined ? current.deactivatedAt : input.active ? null : (current.deactivatedAt ?? now),
    name: input.name ?? current.name,
    // Lower-cased as at creation: login is by email alone.
    email: input.email === undefined ? current.email : input.email.trim().toLowerCase(),
  };
  const losesAdmin =
    current.role === 'admin' &&
    current.deactivatedAt === null &&
    (next.role !== 'admin' || next.deactivatedAt !== null);
  // The user's row, if the change is allowed: the UPDATE's WHERE, and (as EXISTS) its audit entries' condition.
  const allowed = `id = ? AND company_id = ?
    AND (? = 0 OR EXISTS (SELECT 1 FROM users o WHERE o.company_id = ? AND o.id != ?
                           AND o.role = 'admin' AND o.deactivated_at IS NULL))`;
  const params = [userId, companyId, losesAdmin ? 1 : 0, companyId, userId];
  const d1 = companyDatabase(env, companyId);
  const audit = entriesOf(current, next).map((e) =>
    auditStatement(d1, companyId, by, e, now, {
      sql: `EXISTS (SELECT 1 FROM users WHERE ${allowed})`,
      params,
    }),
  );
  const update = d1
    .prepare(`UPDATE users SET role = ?, club_ids = ?, deactivated_at = ?, name = ?, email = ? WHERE ${allowed}`)
    .bind(
      next.role,
      next.clubIds === null ? null : JSON.stringify(next.clubIds),
      next.deactivatedAt,
      next.name,
      next.email,
      ...params,
    );
  const statements = [...audit, update];
  if (next.deactivatedAt !== null) {
    // Same batch (one transaction): the sessions and subscriptions go only if the deactivation happened.
    const deactivated = 'EXISTS (SELECT 1 FROM users WHERE id = ?1 AND deactivated_at IS NOT NULL)';
    statements.push(
      d1.prepare(`DELETE FROM sessions WHERE user_id = ?1 AND ${deactivated}`).bind(userId),
      d1.prepare(`DELETE FROM push_subscriptions WHERE user_id = ?1 AND ${deactivated}`).bind(userId),
    );
  }
  let results: D1Result[];
  try {
    results = await d1.batch(statements);
  } catch (err) {
    if (isUniqueViolation(err, 'users.email')) throw emailTaken();
    throw err;
  }
  if ((results[audit.length]?.meta.changes ?? 0) === 0) throw LAST_ADMIN;
  if (next.deactivatedAt !== null)
    await inboxStub(env, companyId)
      .closeUser(userId)
      .catch(() => 0);
  else if (next.role !== current.role || !sameClubs(current.clubIds, next.clubIds))
    // Their open apps' sockets carry the scope they opened with: they reconnect, and get events in the new one.
    await inboxStub(env, companyId)
      .rescopeUser(userId)
      .catch(() => 0);
  const row = await companyDb(env, companyId).select().from(users).where(eq(users.id, userId)).get();
  if (!row) throw notFound('User');
  return row;
}
