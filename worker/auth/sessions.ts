// Staff sessions: an opaque random token in a `__Host-` cookie; the server keeps only its SHA-256, so a
// session can be listed and revoked, and a copy of the table logs nobody in.
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Db } from '../db/client';
import { platformDatabase } from '../db/client';
import { sessions, users } from '../db/schema';
import { randomToken } from '../ids';
import type { SessionUser } from './actor';
import { sha256Hex } from './crypto';

/** The browser sends `__Host-cc_session`: Secure, Path=/ and no Domain, so no subdomain can set or read it. */
export const SESSION_COOKIE = 'cc_session';
export const SESSION_COOKIE_HEADER_NAME = `__Host-${SESSION_COOKIE}`;

/** Absolute lifetime: a lost phone's session ends on its own; staff log in again every two weeks. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** A fresh token at every login (no session fixation): 32 characters of a 32-letter alphabet, 160 bits. */
export async function createSession(db: Db, user: { id: string; companyId: string }, now = Date.now()) {
  const token = randomToken(32);
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + SESSION_TTL_MS;
  await db.insert(sessions).values({ tokenHash, userId: user.id, companyId: user.companyId, expiresAt });
  return { token, tokenHash, expiresAt };
}

export async function findSession(db: Db, token: string, now = Date.now()): Promise<SessionUser | null> {
  const tokenHash = await sha256Hex(token);
  const row = await db
    .select({
      userId: users.id,
      companyId: users.companyId,
      name: users.name,
      email: users.email,
      role: users.role,
      clubIds: users.clubIds,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    // The user's company, not the session's copy, decides: a user moved between companies loses old sessions.
    // A deactivated user's sessions are deleted at once; this also refuses one that raced the deactivation.
    .where(
      and(
        eq(sessions.tokenHash, tokenHash),
        gt(sessions.expiresAt, now),
        eq(sessions.companyId, users.companyId),
        isNull(users.deactivatedAt),
      ),
    )
    .get();
  return row ? { tokenHash, ...row } : null;
}

export async function revokeSession(db: Db, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

export function sessionToken(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE, 'host');
}

export function setSessionCookie(c: Context, token: string, expiresAt: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    prefix: 'host',
    path: '/',
    secure: true,
    httpOnly: true,
    // Lax: a link from WhatsApp Web or an email opens the app logged in; cross-site POSTs carry no cookie.
    sameSite: 'Lax',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { prefix: 'host', path: '/', secure: true });
}

/** Sockets are tagged with this, not the hash itself: enough to find a session's sockets, useless to log in. */
export const sessionTag = (tokenHash: string): string => tokenHash.slice(0, 16);

/** Daily cron: expired sessions can never be used again, so their rows go. */
export async function pruneExpiredSessions(env: Env, now: number): Promise<void> {
  await platformDatabase(env).prepare('DELETE FROM sessions WHERE expires_at <= ?').bind(now).run();
}
