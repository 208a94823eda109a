// Company settings for admins: staff users (create, role, deactivate), API keys (create once, revoke) and the
// WhatsApp connection (read-only). Only admins manage users and keys; API keys cannot.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, BASE, makeCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { appFetch, login, PASSWORD, staffSession } from './helpers/staff';

interface UserJson {
  id: string;
  email: string;
  role: string;
  active: boolean;
}

describe('users', () => {
  it('an admin creates a login with a role; the new user can log in with it', async () => {
    const company = await makeCompany();
    const admin = await staffSession(company, 'admin');
    const email = `new-${Date.now()}@test.gym`;
    const res = await admin.fetch('/api/v1/users', {
      method: 'POST',
      body: { email, name: 'New Coach', role: 'manager', password: PASSWORD },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ email, role: 'manager', active: true });
    expect((await login(email)).status).toBe(200);
    const list = (await (await admin.fetch('/api/v1/users')).json()) as { collection: UserJson[] };
    expect(list.collection.map((u) => u.email)).toContain(email);
    await expectError(
      await admin.fetch('/api/v1/users', {
        method: 'POST',
        body: { email, name: 'Again', role: 'staff', password: PASSWORD },
      }),
      409,
      'email_taken',
    );
  });

  it('only admins: managers, staff and API keys are refused', async () => {
    const company = await makeCompany();
    const [manager, staff] = await Promise.all([staffSession(company, 'manager'), staffSession(company)]);
    await expectError(await manager.fetch('/api/v1/users'), 403, 'forbidden');
    await expectError(await staff.fetch('/api/v1/api-keys'), 403, 'forbidden');
    await expectError(await api(company, 'GET', '/api/v1/users'), 403, 'forbidden');
    await expectError(await api(company, 'POST', '/api/v1/api-keys', { name: 'more' }), 403, 'forbidden');
  });

  it('a role change applies on the next request', async () => {
    const company = await makeCompany();
    const [admin, staff] = await Promise.all([staffSession(company, 'admin'), staffSession(company)]);
    await expectError(await staff.fetch('/api/v1/whatsapp/automations'), 403, 'forbidden');
    const res = await admin.fetch(`/api/v1/users/${staff.user.id}`, { method: 'PATCH', body: { role: 'manager' } });
    expect(res.status).toBe(200);
    expect((await staff.fetch('/api/v1/whatsapp/automations')).status).toBe(200);
  });

  it('deactivating ends the sessions and the live app at once, and login refuses the user', async () => {
    const company = await makeCompany();
    const [admin, staff] = await Promise.all([staffSession(company, 'admin'), staffSession(company)]);
    const live = await appFetch('/api/v1/live', {
      cookie: staff.cookie,
      headers: { Upgrade: 'websocket', Origin: BASE },
    });
    const ws = live.webSocket;
    if (!ws) throw new Error('no socket');
    ws.accept();
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));

    const res = await admin.fetch(`/api/v1/users/${staff.user.id}`, { method: 'PATCH', body: { active: false } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ active: false });

    expect(await closed).toBe(4003);
    await expectError(await staff.fetch('/api/auth/me'), 401, 'unauthorized');
    await expectError(await login(staff.user.email), 403, 'account_deactivated');
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?')
      .bind(staff.user.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);

    // Restored: they can log in again.
    expect(
      (await admin.fetch(`/api/v1/users/${staff.user.id}`, { method: 'PATCH', body: { active: true } })).status,
    ).toBe(200);
    expect((await login(staff.user.email)).status).toBe(200);
  });

  it('keeps one active admin, even when two admins demote each other at the same moment', async () => {
    const company = await makeCompany();
    const [a, b] = await Promise.all([staffSession(company, 'admin'), staffSession(company, 'admin')]);
    await expectError(
      await a.fetch(`/api/v1/users/${a.user.id}`, { method: 'PATCH', body: { active: false } }),
      409,
      'cannot_deactivate_self',
    );
    const answers = await Promise.all([
      a.fetch(`/api/v1/users/${b.user.id}`, { method: 'PATCH', body: { role: 'staff' } }),
      b.fetch(`/api/v1/users/${a.user.id}`, { method: 'PATCH', body: { role: 'staff' } }),
    ]);
    const statuses = answers.map((r) => r.status);
    // One demotion wins; the other is refused (409 last_admin, or 403 when its author was demoted first).
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    const admins = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM users WHERE company_id = ? AND role = 'admin' AND deactivated_at IS NULL",
    )
      .bind(company.id)
      .first<{ n: number }>();
    expect(admins?.n).toBe(1);
  });

  it('cannot reach another company’s users', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const [admin, stranger] = await Promise.all([staffSession(company, 'admin'), staffSession(other)]);
    await expectError(
      await admin.fetch(`/api/v1/users/${stranger.user.id}`, { method: 'PATCH', body: { active: false } }),
      404,
      'not_found',
    );
    expect((await stranger.fetch('/api/auth/me')).status).toBe(200);
  });
});

describe('API keys', () => {
  it('an admin creates a key (shown once), it works, the list never shows it, and revoking stops it', async () => {
    const company = await makeCompany();
    const admin = await staffSession(company, 'admin');
    const created = await admin.fetch('/api/v1/api-keys', { method: 'POST', body: { name: 'CRM' } });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect(key).toMatch(/^cc_live_/);
    const newKey = { ...company, apiKey: key };
    expect((await api(newKey, 'GET', '/api/v1/people')).status).toBe(200);

    const listed = await (await admin.fetch('/api/v1/api-keys')).text();
    expect(listed).not.toContain(key);
    expect(JSON.parse(listed)).toMatchObject({
      collection: expect.arrayContaining([expect.objectContaining({ id, revoked_at: null })]),
    });

    expect((await admin.fetch(`/api/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    await expectError(await api(newKey, 'GET', '/api/v1/people'), 401, 'unauthorized');
  });

  it('cannot revoke another company’s key', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const [admin, otherAdmin] = await Promise.all([staffSession(company, 'admin'), staffSession(other, 'admin')]);
    const { id } = (await (
      await otherAdmin.fetch('/api/v1/api-keys', { method: 'POST', body: { name: 'x' } })
    ).json()) as {
      id: string;
    };
    await expectError(await admin.fetch(`/api/v1/api-keys/${id}`, { method: 'DELETE' }), 404, 'not_found');
  });
});

describe('WhatsApp connection', () => {
  it('shows the number and status to any staff member, never the token', async () => {
    const company = await makeCompany();
    const off = await makeCompany({ whatsapp: false });
    const [staff, offStaff] = await Promise.all([staffSession(company), staffSession(off)]);
    const res = await staff.fetch('/api/v1/whatsapp/connection');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      status: 'connected',
      display_phone_number: '15550783881',
      phone_number_id: company.phoneNumberId,
      waba_id: company.wabaId,
      messages_per_second: 80,
    });
    expect(JSON.stringify(body)).not.toContain('token');
    expect(await (await offStaff.fetch('/api/v1/whatsapp/connection')).json()).toMatchObject({ status: 'off' });
  });
});
