import { and, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { scopeOf, UNSCOPED } from '#common/scope';
import { platformDb } from '../db/client';
import { apiKeys } from '../db/schema';
import { ApiError } from '../errors';
import type { AuthEnv, SessionUser } from './actor';
import { sha256Hex, timingSafeEqual } from './crypto';
import { findSession, sessionToken } from './sessions';

function bearer(header: string | undefined): string | null {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1] ?? null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery guard for cookie-authenticated requests. SameSite=Lax already keeps the cookie off
 * cross-site POSTs; on top of that a write must come from our own origin (browsers always send `Origin` on
 * POST/PUT/DELETE) and be JSON, which a plain HTML form cannot send. Hono's `csrf()` only looks at form
 * content types, so it would let a cross-site JSON body through.
 */
export function assertSameOriginWrite(c: Context): void {
  if (SAFE_METHODS.has(c.req.method)) return;
  assertSameOrigin(c);
  const type = c.req.header('Content-Type');
  // A write without a body (logout, mark read) has nothing to smuggle; any body must be JSON.
  const bodyless =
    type === undefined && !c.req.header('Transfer-Encoding') && Number(c.req.header('Content-Length') ?? 0) === 0;
  if (!bodyless && !/^application\/json\s*(;|$)/i.test(type ?? ''))
    throw new ApiError(415, 'unsupported_media_type', 'Send a JSON body (Content-Type: application/json)');
}

export function assertSameOrigin(c: Context): void {
  const origin = c.req.header('Origin');
  if (!origin || origin !== new URL(c.req.url).origin)
    throw new ApiError(403, 'bad_origin', 'This request must come from the ClubChat app itself');
}

/** The staff member behind the session cookie, or null (no cookie, unknown, expired or revoked). */
export async function sessionOf(c: Context<AuthEnv>): Promise<SessionUser | null> {
  const token = sessionToken(c);
  return token ? findSession(platformDb(c.env), token) : null;
}

/**
 * A file upload from the app (POST /api/v1/whatsapp/media) is multipart, which a cross-site HTML form can send
 * too: the Origin check is what stops that one (browsers always send Origin on a cross-site POST).
 */
function assertSameOriginUpload(c: Context): void {
  assertSameOrigin(c);
  if (!/^multipart\/form-data\s*;/i.test(c.req.header('Content-Type') ?? ''))
    throw new ApiError(415, 'unsupported_media_type', 'Send the file as multipart/form-data');
}

/** A staff member's request: cookie writes must come from our own Origin; then the company is theirs. */
function actAsStaff(c: Context<AuthEnv>, session: SessionUser, body: 'json' | 'upload' = 'json'): void {
  if (body === 'upload') assertSameOriginUpload(c);
  else assertSameOriginWrite(c);
  c.set('auth', {
    companyId: session.companyId,
    actor: { kind: 'user', id: session.userId, name: session.name },
    role: session.role,
    // Read from the user row at every request (sessions.ts): a changed role or club list holds at once.
    scope: scopeOf({ id: session.userId, role: session.role, clubIds: session.clubIds }),
  });
  c.set('session', session);
}

const SESSION_REQUIRED = 'Log in, or send an API key as `Authorization: Bearer <key>`';

/**
 * Every company-scoped route: an API key (integrators) or a staff session cookie (the app), one authorisation
 * layer either way. It sets `auth` with the company every query is scoped to; role checks come after it,
 * only through `requirePermission` (permissions.ts).
 */
export const requireCompanyAuth = createMiddleware<AuthEnv>(async (c, next) => {
  if (c.req.header('Authorization') !== undefined) return requireApiKey(c, next);
  const session = await sessionOf(c);
  if (!session) throw new ApiError(401, 'unauthorized', SESSION_REQUIRED);
  actAsStaff(c, session);
  await next();
});

/** requireCompanyAuth for a route whose body is a multipart file upload rather than JSON. */
export const requireCompanyAuthForUpload = createMiddleware<AuthEnv>(async (c, next) => {
  if (c.req.header('Authorization') !== undefined) return requireApiKey(c, next);
  const session = await sessionOf(c);
  if (!session) throw new ApiError(401, 'unauthorized', SESSION_REQUIRED);
  actAsStaff(c, session, 'upload');
  await next();
});

/** Routes only a logged-in staff member has (who am I, the live socket): the cookie alone, never an API key. */
export const requireSession = createMiddleware<AuthEnv>(async (c, next) => {
  const session = await sessionOf(c);
  if (!session) throw new ApiError(401, 'unauthorized', 'Log in first');
  actAsStaff(c, session);
  await next();
});

/** Integrator API: `Authorization: Bearer <api key>`; the key decides the company every query is scoped to. */
export const requireApiKey = createMiddleware<AuthEnv>(async (c, next) => {
  const token = bearer(c.req.header('Authorization'));
  if (!token) throw new ApiError(401, 'unauthorized', 'Send an API key as `Authorization: Bearer <key>`');
  const row = await platformDb(c.env)
    .select({ id: apiKeys.id, name: apiKeys.name, companyId: apiKeys.companyId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(token)), isNull(apiKeys.revokedAt)))
    .get();
  if (!row) throw new ApiError(401, 'unauthorized', 'That API key is not valid');
  // The company's own integration: every person of every club.
  c.set('auth', { companyId: row.companyId, actor: { kind: 'api_key', id: row.id, name: row.name }, scope: UNSCOPED });
  await next();
});

/** The operator who switches WhatsApp on for companies: `Authorization: Bearer <PLATFORM_ADMIN_TOKEN>`. */
export const requirePlatformAdmin = createMiddleware<AuthEnv>(async (c, next) => {
  const token = bearer(c.req.header('Authorization'));
  const expected = c.env.PLATFORM_ADMIN_TOKEN;
  if (!token || !expected || !timingSafeEqual(token, expected))
    throw new ApiError(401, 'unauthorized', 'Platform admin token required');
  await next();
});
