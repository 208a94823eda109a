// Company staff logins, managed by the company's admins. Creation reuses the platform admin's createUser.
// Role changes take effect on the next request (sessions read the role from the user row); deactivation ends
// every session, closes the user's open apps and removes their push subscriptions at once.
import { and, asc, eq } from 'drizzle-orm';
import { type Db, getDb } from '../db/client';
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

/**
 * Changes a user's role or deactivates/restores them. The "at least one active admin" rule is part of the
 * UPDATE itself, so two admins demoting each other at the same moment cannot both succeed.
 */
export async function updateCompanyUser(
  env: Env,
  companyId: string,
  actorId: string,
  userId: string,
  input: CompanyUserUpdate,
  now = Date.now(),
): Promise<UserRow> {
  if (input.active === false && userId === actorId)
    throw new ApiError(409, 'cannot_deactivate_self', 'You cannot deactivate yourself; ask another admin');
  const current = await getDb(env)
    .select()
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, userId)))
    .get();
  if (!current) throw notFound('User');
  const role = input.role ?? current.role;
  const deactivatedAt =
    input.active === undefined ? current.deactivatedAt : input.active ? null : (current.deactivatedAt ?? now);
  const losesAdmin =
    current.role === 'admin' && current.deactivatedAt === null && (role !== 'admin' || deactivatedAt !== null);
  const update = env.DB.prepare(
    `UPDATE users SET role = ?1, deactivated_at = ?2
      WHERE id = ?3 AND company_id = ?4
        AND (?5 = 0 OR EXISTS (SELECT 1 FROM users o WHERE o.company_id = ?4 AND o.id != ?3
                                AND o.role = 'admin' AND o.deactivated_at IS NULL))`,
  ).bind(role, deactivatedAt, userId, companyId, losesAdmin ? 1 : 0);
  const statements = [update];
  if (deactivatedAt !== null) {
    // Same batch (one transaction): the sessions and subscriptions go only if the deactivation happened.
    const deactivated = 'EXISTS (SELECT 1 FROM users WHERE id = ?1 AND deactivated_at IS NOT NULL)';
    statements.push(
      env.DB.prepare(`DELETE FROM sessions WHERE user_id = ?1 AND ${deactivated}`).bind(userId),
      env.DB.prepare(`DELETE FROM push_subscriptions WHERE user_id = ?1 AND ${deactivated}`).bind(userId),
    );
  }
  const [result] = await env.DB.batch(statements);
  if ((result?.meta.changes ?? 0) === 0) throw LAST_ADMIN;
  if (deactivatedAt !== null)
    await inboxStub(env, companyId)
      .closeUser(userId)
      .catch(() => 0);
  const row = await getDb(env).select().from(users).where(eq(users.id, userId)).get();
  if (!row) throw notFound('User');
  return row;
}
