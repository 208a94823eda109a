// Company staff logins, managed by the company's admins. Creation reuses the platform admin's createUser.
// Role, name and email changes take effect on the next request (sessions read them from the user row);
// deactivation ends every session, closes the user's open apps and removes their push subscriptions at once.
import { and, asc, eq } from 'drizzle-orm';
import { type AuditBy, type AuditEntry, auditStatement } from '../audit/record';
import type { Db } from '../db/client';
import { companyDatabase, companyDb } from '../db/company-data';
import { isUniqueViolation } from '../db/errors';
import { users } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { inboxStub } from '../realtime/company-inbox';
import type { CompanyUserJson, CompanyUserUpdate } from './schemas';

type UserRow = typeof users.$inferSelect;

export function serializeCompanyUser(u: UserRow): CompanyUserJson {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    active: u.deactivatedAt === null,
    deactivated_at: u.deactivatedAt === null ? null : new Date(u.deactivatedAt).toISOString(),
    created_at: new Date(u.createdAt).toISOString(),
  };
}

export async function listCompanyUsers(db: Db, companyId: string): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.companyId, companyId)).orderBy(asc(users.name), asc(users.email)).all();
}

const LAST_ADMIN = new ApiError(409, 'last_admin', 'The company needs at least one active admin');

/** What one change does to a user, as audit entries: one per action (a role change and a restore are two). */
function entriesOf(current: UserRow, next: Pick<UserRow, 'role' | 'deactivatedAt' | 'name' | 'email'>): AuditEntry[] {
  const target = { type: 'user', id: current.id } as const;
  const who = { email: current.email };
  const entries: AuditEntry[] = [];
  if (next.role !== current.role)
    entries.push({ action: 'user.role_changed', target, details: { ...who, from: current.role, to: next.role } });
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
  companyId: string,
  by: AuditBy,
  userId: string,
  input: CompanyUserUpdate,
  now = Date.now(),
): Promise<UserRow> {
  if (input.active === false && userId === by.actor.id)
    throw new ApiError(409, 'cannot_deactivate_self', 'You cannot deactivate yourself; ask another admin');
  const current = await companyDb(env, companyId)
    .select()
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .get();
  if (!current) throw notFound('User');
  const next = {
    role: input.role ?? current.role,
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
    .prepare(`UPDATE users SET role = ?, deactivated_at = ?, name = ?, email = ? WHERE ${allowed}`)
    .bind(next.role, next.deactivatedAt, next.name, next.email, ...params);
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
    if (isUniqueViolation(err, 'users.email'))
      throw new ApiError(409, 'email_taken', 'A user with that email already exists');
    throw err;
  }
  if ((results[audit.length]?.meta.changes ?? 0) === 0) throw LAST_ADMIN;
  if (next.deactivatedAt !== null)
    await inboxStub(env, companyId)
      .closeUser(userId)
      .catch(() => 0);
  const row = await companyDb(env, companyId).select().from(users).where(eq(users.id, userId)).get();
  if (!row) throw notFound('User');
  return row;
}
