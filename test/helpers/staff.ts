// Staff logins for tests: users with a role, a logged-in session, and requests the way the app sends them.
import { env, exports } from 'cloudflare:workers';
import type { Role } from '../../worker/auth/actor';
import { hashPassword } from '../../worker/auth/crypto';
import { getDb } from '../../worker/db/client';
import { users } from '../../worker/db/schema';
import { newId, randomToken } from '../../worker/ids';
import { BASE, type TestCompany } from './fixtures';

export const PASSWORD = 'correct horse battery staple';

let passwordHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  companyId: string;
}

/** `clubIds`: the clubs the user is limited to (users.club_ids); left out, every club. */
export interface UserOptions {
  clubIds?: string[];
  name?: string;
}

export async function makeUser(
  company: Pick<TestCompany, 'id'>,
  role: TestUser['role'] = 'staff',
  opts: UserOptions = {},
): Promise<TestUser> {
  // PBKDF2 is slow on purpose: one hash serves every test user.
  passwordHash ??= hashPassword(PASSWORD);
  const user = { id: newId('usr'), email: `${role}-${randomToken(10)}@test.gym`, role, companyId: company.id };
  await getDb(env)
    .insert(users)
    .values({
      ...user,
      name: opts.name ?? `Test ${role}`,
      passwordHash: await passwordHash,
      clubIds: opts.clubIds ?? null,
    });
  return user;
}

/** Requests as the app sends them: same origin, JSON, a fresh test address unless told. */
export function appFetch(
  path: string,
  init: { method?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
) {
  const method = init.method ?? 'GET';
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(method === 'GET' ? {} : { Origin: BASE }),
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(init.cookie ? { Cookie: init.cookie } : {}),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

export function login(email: string, password = PASSWORD, headers: Record<string, string> = {}) {
  return appFetch('/api/auth/login', {
    method: 'POST',
    body: { email, password },
    headers: { 'CF-Connecting-IP': `203.0.113.${Math.floor(Math.random() * 250)}`, ...headers },
  });
}

/** The `name=value` part of the session cookie a response set. */
export function sessionCookieOf(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('__Host-cc_session='));
  if (!set) throw new Error(`no session cookie in ${res.status} response`);
  return set.split(';')[0] ?? '';
}

/** A logged-in staff member of the company: `{ user, cookie, fetch }`. */
export async function staffSession(
  company: Pick<TestCompany, 'id'>,
  role: TestUser['role'] = 'staff',
  opts: UserOptions = {},
) {
  const user = await makeUser(company, role, opts);
  const res = await login(user.email);
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  const cookie = sessionCookieOf(res);
  return {
    user,
    cookie,
    fetch: (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
      appFetch(path, { ...init, cookie }),
  };
}
