import { createScheduledController } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { requireCompanyAuth } from '../worker/auth/middleware';
import { requirePermission } from '../worker/auth/permissions';
import { getDb } from '../worker/db/client';
import { sessions } from '../worker/db/schema';
import { type ApiError, errorBody } from '../worker/errors';
import { newRouter } from '../worker/http';
import { CRON, runScheduled } from '../worker/scheduled';
import { approveTemplate, BASE, makeCompany, makePerson } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { appFetch, login, makeUser, PASSWORD, sessionCookieOf, staffSession } from './helpers/staff';

describe('staff login', () => {
  it('sets a __Host- session cookie and answers who is logged in', async () => {
    const company = await makeCompany({ name: 'Login Gym' });
    const user = await makeUser(company, 'manager');
    const res = await login(user.email.toUpperCase());
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/^__Host-cc_session=[0-9a-z]{32};/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).not.toMatch(/Domain=/);
    const me = await appFetch('/api/auth/me', { cookie: sessionCookieOf(res) });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      user: { id: user.id, email: user.email },
      role: 'manager',
      permissions: [
        'conversations',
        'templates',
        'automations',
        'quick_replies',
        'assign_owners',
        'club_hours',
        'labels',
        'reports',
        'ad_reports',
      ],
      club_ids: null,
      company: { id: company.id, name: 'Login Gym', whatsapp: { enabled: true, configured: true } },
      sandbox: true,
    });
  });

  it('stores only a hash of the session token, and a new session at every login', async () => {
    const company = await makeCompany();
    const user = await makeUser(company);
    const first = sessionCookieOf(await login(user.email));
    const second = sessionCookieOf(await login(user.email));
    expect(first).not.toBe(second);
    const token = first.split('=')[1] ?? '';
    const rows = await getDb(env).select().from(sessions).all();
    expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    expect((await appFetch('/api/auth/me', { cookie: first })).status).toBe(200);
    expect((await appFetch('/api/auth/me', { cookie: second })).status).toBe(200);
  });

  it('answers the same 401 for a wrong password, an unknown email and a missing session', async () => {
    const company = await makeCompany();
    const user = await makeUser(company);
    const wrong = await login(user.email, 'not the password');
    const unknown = await login('nobody@nowhere.gym', PASSWORD);
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
    expect(wrong.headers.getSetCookie()).toEqual([]);
    await expectError(await appFetch('/api/auth/me'), 401, 'unauthorized');
    await expectError(await appFetch('/api/auth/me', { cookie: '__Host-cc_session=forged' }), 401, 'unauthorized');
  });

  it('logout revokes the session server-side, so the old cookie stops working', async () => {
    const company = await makeCompany();
    const { cookie, fetch } = await staffSession(company);
    // The app posts logout without a body: allowed (same origin), as is an empty JSON object.
    const out = await fetch('/api/auth/logout', { method: 'POST' });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/__Host-cc_session=;.*Max-Age=0/);
    await expectError(await appFetch('/api/auth/me', { cookie }), 401, 'unauthorized');
  });

  it('throttles logins per account with 429 and Retry-After, even from many addresses', async () => {
    const company = await makeCompany();
    const user = await makeUser(company);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login(user.email, 'guess', { 'CF-Connecting-IP': `198.51.100.${i}` })),
    );
    const throttled = answers.filter((r) => r.status === 429);
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled[0]?.headers.get('Retry-After')).toBe('60');
    await expectError(throttled[0] as Response, 429, 'too_many_attempts');
    // Even the right password waits: the account is being guessed at.
    expect((await login(user.email, PASSWORD, { 'CF-Connecting-IP': '198.51.100.200' })).status).toBe(429);
  });

  it('throttles logins per address across accounts', async () => {
    const answers = await Promise.all(
      Array.from({ length: 35 }, (_, i) =>
        login(`guess${i}@nowhere.gym`, 'guess', { 'CF-Connecting-IP': '192.0.2.77' }),
      ),
    );
    expect(answers.some((r) => r.status === 429)).toBe(true);
    expect(answers.every((r) => r.status === 401 || r.status === 429)).toBe(true);
  });
});

describe('the session on company routes', () => {
  it('reads and writes people with the cookie, scoped to the staff member’s company', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const { fetch } = await staffSession(company);
    expect((await fetch(`/api/v1/people/${person.id}`)).status).toBe(200);
    const optOut = await fetch(`/api/v1/people/${person.id}/whatsapp/opt-out`, { method: 'POST', body: {} });
    expect(optOut.status).toBe(200);
    const history = await fetch(`/api/v1/people/${person.id}/history?filter=whatsapp`);
    const notes = ((await history.json()) as { collection: { actor: { kind: string } }[] }).collection;
    expect(notes[0]?.actor.kind).toBe('user');
  });

  it('refuses cookie writes from another origin, without an Origin, or not in JSON', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const { fetch } = await staffSession(company);
    const path = `/api/v1/people/${person.id}/whatsapp/opt-out`;
    await expectError(
      await fetch(path, { method: 'POST', body: {}, headers: { Origin: 'https://evil.example' } }),
      403,
      'bad_origin',
    );
    const noOrigin = await fetch(path, { method: 'POST', body: {}, headers: { Origin: '' } });
    expect(noOrigin.status).toBe(403);
    await expectError(
      await fetch(path, { method: 'POST', headers: { 'Content-Type': 'text/plain' } }),
      415,
      'unsupported_media_type',
    );
    const person2 = await (await fetch(`/api/v1/people/${person.id}`)).json();
    expect(person2).toMatchObject({ whatsapp_opted_out: false });
  });

  it('never shows a second company’s staff the first company’s people', async () => {
    const first = await makeCompany();
    const second = await makeCompany();
    const person = await makePerson(first);
    const other = await staffSession(second);
    await expectError(await other.fetch(`/api/v1/people/${person.id}`), 404, 'not_found');
    await expectError(await other.fetch(`/api/v1/people/${person.id}/history`), 404, 'not_found');
    const list = (await (await other.fetch('/api/v1/people')).json()) as { collection: unknown[] };
    expect(list.collection).toEqual([]);
  });

  it('the origin check uses the request’s own origin', () => {
    expect(new URL(`${BASE}/x`).origin).toBe(BASE);
  });
});

describe('the seeded demo logins', () => {
  it('log in with their roles, and the second gym sees none of Demo Gym', async () => {
    const seeded = await exports.default.fetch(`${BASE}/sandbox/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.PLATFORM_ADMIN_TOKEN}` },
    });
    expect(seeded.status).toBe(200);
    const roles: Record<string, string> = {};
    for (const email of ['staff@demo.gym', 'manager@demo.gym', 'admin@demo.gym', 'staff@northside.gym']) {
      const res = await login(email, 'clubchat-demo');
      expect(res.status).toBe(200);
      roles[email] = ((await res.json()) as { role: string }).role;
    }
    expect(roles).toEqual({
      'staff@demo.gym': 'staff',
      'manager@demo.gym': 'manager',
      'admin@demo.gym': 'admin',
      'staff@northside.gym': 'staff',
    });
    const north = sessionCookieOf(await login('staff@northside.gym', 'clubchat-demo'));
    await expectError(await appFetch('/api/v1/people/per_demo_sheena', { cookie: north }), 404, 'not_found');
    const people = (await (await appFetch('/api/v1/people', { cookie: north })).json()) as {
      collection: { id: string }[];
    };
    expect(people.collection.map((p) => p.id)).toEqual(['per_north_nora']);
  });
});

describe('session expiry', () => {
  it('an expired session is refused, and the daily cron deletes it', async () => {
    const company = await makeCompany();
    const { cookie, user } = await staffSession(company);
    await getDb(env)
      .update(sessions)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(sessions.userId, user.id));
    await expectError(await appFetch('/api/auth/me', { cookie }), 401, 'unauthorized');
    await runScheduled(createScheduledController({ cron: CRON.daily, scheduledTime: Date.now() }), env);
    expect(await getDb(env).select().from(sessions).where(eq(sessions.userId, user.id)).all()).toEqual([]);
  });
});

describe('roles through requirePermission', () => {
  // A manager-only route as any feature declares one: requireCompanyAuth, then requirePermission.
  const probe = newRouter();
  probe.post('/manager-only', requireCompanyAuth, requirePermission('templates'), (c) => c.json(c.get('auth')));
  probe.post('/admin-only', requireCompanyAuth, requirePermission('users'), (c) => c.json(c.get('auth')));
  probe.onError((err, c) => c.json(errorBody((err as ApiError).code, err.message), (err as ApiError).status));
  const call = (path: string, cookie: string) =>
    probe.request(
      `${BASE}${path}`,
      { method: 'POST', headers: { Cookie: cookie, Origin: BASE, 'Content-Type': 'application/json' }, body: '{}' },
      env,
    );

  it('staff get 403 from manager and admin routes; managers from admin routes only; admins from none', async () => {
    const company = await makeCompany();
    const outcomes: Record<string, number[]> = {};
    for (const role of ['staff', 'manager', 'admin'] as const) {
      const { cookie } = await staffSession(company, role);
      outcomes[role] = [(await call('/manager-only', cookie)).status, (await call('/admin-only', cookie)).status];
    }
    expect(outcomes).toEqual({ staff: [403, 403], manager: [200, 403], admin: [200, 200] });
    const { cookie } = await staffSession(company, 'staff');
    await expectError(await call('/manager-only', cookie), 403, 'forbidden');
  });
});

describe('roles on the real template routes', () => {
  it('staff read and preview templates (the composer needs them) but get 403 managing them; managers may', async () => {
    const company = await makeCompany();
    await approveTemplate(company.id, { name: 'welcome_offer' });
    const staff = await staffSession(company, 'staff');
    const manager = await staffSession(company, 'manager');
    const list = await staff.fetch('/api/v1/whatsapp/templates');
    expect(list.status).toBe(200);
    const [template] = ((await list.json()) as { collection: { id: string }[] }).collection;
    const create = { name: 'spring_offer', language: 'en_GB', category: 'MARKETING', components: [] };
    await expectError(
      await staff.fetch('/api/v1/whatsapp/templates', { method: 'POST', body: create }),
      403,
      'forbidden',
    );
    await expectError(
      await staff.fetch(`/api/v1/whatsapp/templates/${template?.id}`, { method: 'DELETE' }),
      403,
      'forbidden',
    );
    await expectError(await staff.fetch('/api/v1/whatsapp/automations'), 403, 'forbidden');
    expect((await manager.fetch('/api/v1/whatsapp/automations')).status).toBe(200);
    expect((await manager.fetch('/api/v1/whatsapp/templates', { method: 'POST', body: create })).status).not.toBe(403);
  });
});
