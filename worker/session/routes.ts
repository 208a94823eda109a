// Staff sessions: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me (shapes in schemas.ts).
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { scopeOf } from '#common/scope';
import type { Role } from '../auth/actor';
import { hashPassword, verifyPassword } from '../auth/crypto';
import { assertSameOriginWrite, requireSession, sessionOf } from '../auth/middleware';
import { can } from '../auth/permissions';
import { clearSessionCookie, createSession, revokeSession, sessionTag, setSessionCookie } from '../auth/sessions';
import { sandboxEnabled } from '../config';
import { platformDb } from '../db/client';
import { companyDb } from '../db/company-data';
import { companies, users } from '../db/schema';
import { ApiError, errorBody } from '../errors';
import { type AppEnv, newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { inboxStub } from '../realtime/company-inbox';
import { readShift, setShift } from '../shifts/service';
import { LOGIN_RETRY_AFTER_SECONDS, TooManyAttempts, throttleLogin } from './login-throttle';
import { loginSchema, type MeJson, meSchema, PERMISSIONS } from './schemas';

export const sessionRoutes = newRouter();

const tags = ['Staff sessions'];

/** One answer for an unknown email, a wrong password or anything else: it must not tell which. */
const INVALID_LOGIN = new ApiError(401, 'invalid_login', 'That email and password do not match');

// Unknown emails still pay for one PBKDF2 run, so the answer time does not reveal which emails exist.
let decoyHash: Promise<string> | undefined;
const decoy = () => {
  decoyHash ??= hashPassword('decoy password that matches nothing');
  return decoyHash;
};

interface MeUser {
  userId: string;
  name: string;
  email: string;
  role: Role;
  companyId: string;
  clubIds: string[] | null;
}

async function meOf(env: Env, user: MeUser) {
  const [company, onShift] = await Promise.all([
    companyDb(env, user.companyId).select().from(companies).where(eq(companies.id, user.companyId)).get(),
    readShift(env, user),
  ]);
  if (!company) throw new ApiError(401, 'unauthorized', 'Log in first');
  const auth = {
    companyId: company.id,
    actor: { kind: 'user' as const, id: user.userId, name: user.name },
    role: user.role,
    scope: scopeOf({ id: user.userId, role: user.role, clubIds: user.clubIds }),
  };
  const me: MeJson = {
    user: { id: user.userId, name: user.name, email: user.email },
    role: user.role,
    club_ids: auth.scope.clubIds === null ? null : [...auth.scope.clubIds],
    permissions: PERMISSIONS.filter((p) => can(auth, p)),
    company: {
      id: company.id,
      name: company.name,
      timezone: company.timezone,
      whatsapp: {
        enabled: company.whatsappEnabled,
        configured: Boolean(company.phoneNumberId && company.accessTokenEnc),
        display_phone_number: company.displayPhoneNumber,
      },
    },
    sandbox: sandboxEnabled(env),
    on_shift: onShift,
  };
  return me;
}

function clientAddress(c: Context<AppEnv>): string {
  // Cloudflare sets CF-Connecting-IP on every request at the edge (and wrangler dev on local ones).
  return c.req.header('CF-Connecting-IP') ?? 'unknown';
}

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/login',
    operationId: 'authLogin',
    summary: 'Log a staff member in (sets the session cookie)',
    description:
      'Sets `__Host-cc_session` (HttpOnly, Secure, SameSite=Lax), a new session at every login. Wrong email or ' +
      'password answer the same 401. Throttled per account and per address: 429 with `Retry-After`.',
    tags,
    security: [],
    request: { body: { required: true, ...jsonBody(loginSchema, 'Email and password') } },
    responses: { 200: jsonBody(meSchema, 'Logged in'), ...errorResponses(401, 403, 415, 422, 429) },
  }),
  async (c) => {
    // Login CSRF: a forged login would put a victim in the attacker's account; the same-origin rules apply.
    if (c.req.header('Origin') !== undefined) assertSameOriginWrite(c);
    const { email, password } = c.req.valid('json');
    try {
      await throttleLogin(c.env, email, clientAddress(c));
    } catch (err) {
      if (!(err instanceof TooManyAttempts)) throw err;
      c.header('Retry-After', String(LOGIN_RETRY_AFTER_SECONDS));
      return c.json(errorBody(err.code, err.message), 429);
    }
    // Before any company is known: the directory finds the login's email.
    const db = platformDb(c.env);
    const user = await db.select().from(users).where(eq(users.email, email)).get();
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoy()));
    if (!user || !ok) throw INVALID_LOGIN;
    // Told only after the right password, so it reveals nothing to someone guessing.
    if (user.deactivatedAt !== null)
      throw new ApiError(403, 'account_deactivated', 'This account was deactivated; ask an admin of your gym');
    const session = await createSession(db, user);
    setSessionCookie(c, session.token, session.expiresAt);
    const me = await meOf(c.env, { ...user, userId: user.id });
    return c.json(me, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/logout',
    operationId: 'authLogout',
    summary: 'End this session (revoked server-side; its live sockets close; the staff member goes off shift)',
    tags,
    security: [],
    responses: { 204: { description: 'Logged out' }, ...errorResponses(403, 415) },
  }),
  async (c) => {
    const session = await sessionOf(c);
    if (session) {
      assertSameOriginWrite(c);
      // Off shift first: a staff member who has left must not be given leads, even if the revocation then fails.
      await setShift(c.env, session, false);
      await revokeSession(platformDb(c.env), session.tokenHash);
      await inboxStub(c.env, session.companyId)
        .closeSession(sessionTag(session.tokenHash))
        .catch(() => 0);
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    operationId: 'authMe',
    summary: 'The logged-in staff member, their role and company',
    tags,
    security: [],
    middleware: requireSession,
    responses: { 200: jsonBody(meSchema, 'Who is logged in'), ...errorResponses(401) },
  }),
  async (c) => {
    const session = c.get('session');
    if (!session) throw new ApiError(401, 'unauthorized', 'Log in first');
    return c.json(await meOf(c.env, session), 200);
  },
);
