// The audit log's entries for who may do what: staff users (created, role, name and email, deactivated,
// restored), API keys (created, revoked) and the WhatsApp settings the platform admin sets. No secret is ever
// written down: not a password, not a key, not an access token.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { auditOf, testIp } from './helpers/audit';
import { BASE, makeCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { PASSWORD, staffSession } from './helpers/staff';

const ADMIN_TOKEN = 'test-admin-token';
const operator = { kind: 'platform_admin', id: 'platform_admin', name: 'ClubChat operator' };

function admin(method: string, path: string, body: unknown, ip: string): Promise<Response> {
  return exports.default.fetch(`${BASE}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json', 'CF-Connecting-IP': ip },
    body: JSON.stringify(body),
  });
}

/** Every entry's details as text: what must never appear in it. */
const written = async (companyId: string) => JSON.stringify(await auditOf(companyId));

describe('users', () => {
  it('an admin creates, promotes, renames, deactivates and restores a user: one entry each, theirs', async () => {
    const company = await makeCompany();
    const owner = await staffSession(company, 'admin');
    const ip = testIp();
    const call = (method: string, path: string, body: unknown) =>
      owner.fetch(path, { method, body, headers: { 'CF-Connecting-IP': ip } });
    const email = `coach-${Date.now()}@test.gym`;
    const created = await call('POST', '/api/v1/users', { email, name: 'Coach', role: 'staff', password: PASSWORD });
    expect(created.status).toBe(201);
    const user = (await created.json()) as { id: string };
    const path = `/api/v1/users/${user.id}`;
    expect((await call('PATCH', path, { role: 'manager' })).status).toBe(200);
    expect((await call('PATCH', path, { name: 'Head Coach', email: `HEAD-${email}` })).status).toBe(200);
    expect((await call('PATCH', path, { active: false })).status).toBe(200);
    expect((await call('PATCH', path, { active: true, role: 'manager' })).status).toBe(200);
    // Only that user changed.
    const list = (await (await owner.fetch('/api/v1/users')).json()) as { collection: { id: string; email: string }[] };
    expect(list.collection.find((u) => u.id === owner.user.id)?.email).toBe(owner.user.email);

    const entries = await auditOf(company.id);
    for (const e of entries)
      expect(e).toMatchObject({
        actor: { kind: 'user', id: owner.user.id, name: 'Test admin' },
        ip,
        target: { type: 'user', id: user.id },
      });
    expect(entries.map((e) => [e.action, e.details])).toEqual([
      ['user.created', { email, name: 'Coach', role: 'staff', club_ids: null }],
      ['user.role_changed', { email, from: 'staff', to: 'manager' }],
      [
        'user.updated',
        { changed: { name: { from: 'Coach', to: 'Head Coach' }, email: { from: email, to: `head-${email}` } } },
      ],
      ['user.deactivated', { email: `head-${email}` }],
      ['user.reactivated', { email: `head-${email}` }],
    ]);
    expect(await written(company.id)).not.toContain(PASSWORD);
  });

  it('a refused change writes nothing: the last admin, deactivating yourself, an email taken', async () => {
    const company = await makeCompany();
    const owner = await staffSession(company, 'admin');
    const other = await staffSession(company);
    await expectError(
      await owner.fetch(`/api/v1/users/${owner.user.id}`, { method: 'PATCH', body: { role: 'staff' } }),
      409,
      'last_admin',
    );
    await expectError(
      await owner.fetch(`/api/v1/users/${owner.user.id}`, { method: 'PATCH', body: { active: false } }),
      409,
      'cannot_deactivate_self',
    );
    await expectError(
      await owner.fetch(`/api/v1/users/${other.user.id}`, {
        method: 'PATCH',
        body: { email: owner.user.email, role: 'manager' },
      }),
      409,
      'email_taken',
    );
    expect(await auditOf(company.id)).toEqual([]);
  });
});

describe('API keys', () => {
  it('created and revoked by an admin: one entry each, naming the key by its label and prefix only', async () => {
    const company = await makeCompany();
    const owner = await staffSession(company, 'admin');
    const ip = testIp();
    const res = await owner.fetch('/api/v1/api-keys', {
      method: 'POST',
      body: { name: 'Website' },
      headers: { 'CF-Connecting-IP': ip },
    });
    expect(res.status).toBe(201);
    const key = (await res.json()) as { id: string; key: string; prefix: string };
    const revoke = () =>
      owner.fetch(`/api/v1/api-keys/${key.id}`, { method: 'DELETE', headers: { 'CF-Connecting-IP': ip } });
    expect((await revoke()).status).toBe(204);
    expect((await revoke()).status).toBe(204);

    const target = { type: 'api_key', id: key.id };
    const actor = { kind: 'user', id: owner.user.id, name: 'Test admin' };
    expect(await auditOf(company.id)).toEqual([
      expect.objectContaining({
        actor,
        ip,
        action: 'api_key.created',
        target,
        details: { name: 'Website', prefix: key.prefix },
      }),
      expect.objectContaining({
        actor,
        ip,
        action: 'api_key.revoked',
        target,
        details: { name: 'Website', prefix: key.prefix },
      }),
    ]);
    expect(await written(company.id)).not.toContain(key.key);
  });
});

describe('the platform admin', () => {
  it('is the actor of WhatsApp settings, keys and users it makes; the access token is never written', async () => {
    const created = await exports.default.fetch(`${BASE}/api/admin/companies`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Riverside Gym', timezone: 'Europe/London' }),
    });
    const company = (await created.json()) as { id: string };
    const ip = testIp();
    const token = 'EAAG-very-secret-token';
    const config = {
      enabled: true,
      waba_id: '200000000000002',
      phone_number_id: `1065${Math.floor(Math.random() * 1e11)}`,
      display_phone_number: '15550100002',
      access_token: token,
    };
    expect((await admin('PUT', `/companies/${company.id}/whatsapp`, config, ip)).status).toBe(200);
    // The same settings again, without a token: nothing changed, nothing logged.
    const { access_token: _, ...same } = config;
    expect((await admin('PUT', `/companies/${company.id}/whatsapp`, same, ip)).status).toBe(200);
    expect(
      (
        await admin(
          'PUT',
          `/companies/${company.id}/whatsapp`,
          { ...same, enabled: false, access_token: `${token}-2` },
          ip,
        )
      ).status,
    ).toBe(200);
    const key = await admin('POST', `/companies/${company.id}/api-keys`, { name: 'crm' }, ip);
    const keyId = ((await key.json()) as { id: string }).id;
    expect((await admin('DELETE', `/companies/${company.id}/api-keys/${keyId}`, {}, ip)).status).toBe(204);
    const user = { email: `owner-${Date.now()}@riverside.gym`, name: 'Owner', role: 'admin', password: PASSWORD };
    expect((await admin('POST', `/companies/${company.id}/users`, user, ip)).status).toBe(201);

    const entries = await auditOf(company.id);
    for (const e of entries) expect(e).toMatchObject({ actor: operator, ip });
    expect(entries.map((e) => [e.action, e.target.type])).toEqual([
      ['whatsapp.settings_changed', 'company'],
      ['whatsapp.settings_changed', 'company'],
      ['api_key.created', 'api_key'],
      ['api_key.revoked', 'api_key'],
      ['user.created', 'user'],
    ]);
    expect(entries[0]?.details).toEqual({
      changed: {
        enabled: { from: false, to: true },
        waba_id: { from: null, to: '200000000000002' },
        phone_number_id: { from: null, to: config.phone_number_id },
        display_phone_number: { from: null, to: '15550100002' },
        access_token: 'set',
      },
    });
    expect(entries[1]?.details).toEqual({ changed: { enabled: { from: true, to: false }, access_token: 'replaced' } });
    expect(await written(company.id)).not.toContain(token);
    expect(await written(company.id)).not.toContain(PASSWORD);
  });
});
