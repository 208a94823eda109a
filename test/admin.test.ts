// Platform admin API: companies, WhatsApp configuration, API keys and staff users.
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256Hex, verifyPassword } from '../worker/auth/crypto';
import { openToken } from '../worker/auth/token-seal';
import { getDb } from '../worker/db/client';
import { apiKeys, companies, users } from '../worker/db/schema';
import { api, BASE } from './helpers/fixtures';

const ADMIN_TOKEN = 'test-admin-token';

function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  return exports.default.fetch(`${BASE}/api/admin${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface CompanyJson {
  id: string;
  name: string;
  timezone: string;
  whatsapp: {
    enabled: boolean;
    waba_id: string | null;
    phone_number_id: string | null;
    display_phone_number: string | null;
    access_token_set: boolean;
  };
}

async function newCompany(name = 'Anytime Gym Leeds'): Promise<CompanyJson> {
  const res = await admin('POST', '/companies', { name, timezone: 'Europe/London' });
  expect(res.status).toBe(201);
  return res.json();
}

const uniquePhoneNumberId = () => `1065${Math.floor(Math.random() * 1e11)}`;

describe('platform admin auth', () => {
  const routes: [string, string, unknown][] = [
    ['POST', '/companies', { name: 'X', timezone: 'Europe/London' }],
    [
      'PUT',
      '/companies/com_x/whatsapp',
      { enabled: false, waba_id: '1', phone_number_id: '2', display_phone_number: '3' },
    ],
    ['POST', '/companies/com_x/api-keys', { name: 'k' }],
    ['POST', '/companies/com_x/users', { email: 'a@b.co', name: 'A', role: 'staff', password: '0123456789' }],
  ];

  it.each(routes)('%s %s refuses a missing or wrong token with 401', async (method, path, body) => {
    for (const token of [null, 'wrong-token', '']) {
      const res = await admin(method, path, body, token);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('does not accept a company API key as the admin token', async () => {
    const company = await newCompany();
    const key = (await (await admin('POST', `/companies/${company.id}/api-keys`, { name: 'k' })).json()) as {
      key: string;
    };
    expect((await admin('POST', '/companies', { name: 'X', timezone: 'Europe/London' }, key.key)).status).toBe(401);
  });
});

describe('companies', () => {
  it('creates a company with WhatsApp disabled', async () => {
    const res = await admin('POST', '/companies', { name: 'Anytime Gym Leeds', timezone: 'America/New_York' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as CompanyJson;
    expect(body).toMatchObject({
      id: expect.stringMatching(/^com_/),
      name: 'Anytime Gym Leeds',
      timezone: 'America/New_York',
      whatsapp: { enabled: false, waba_id: null, phone_number_id: null, access_token_set: false },
    });
  });

  it('refuses an unknown time zone, a missing name and unknown fields with 422', async () => {
    const badZone = await admin('POST', '/companies', { name: 'Gym', timezone: 'Mars/Olympus_Mons' });
    expect(badZone.status).toBe(422);
    expect(await badZone.json()).toMatchObject({
      error: { code: 'validation_failed', message: expect.stringContaining('timezone') },
    });

    const noName = await admin('POST', '/companies', { timezone: 'Europe/London' });
    expect(noName.status).toBe(422);

    const extra = await admin('POST', '/companies', { name: 'Gym', timezone: 'Europe/London', whatsapp_enabled: true });
    expect(extra.status).toBe(422);
    expect(await extra.json()).toMatchObject({
      error: { code: 'unknown_field', message: expect.stringContaining('whatsapp_enabled') },
    });
  });

  it('answers malformed JSON with 400 and the error shape', async () => {
    const res = await exports.default.fetch(`${BASE}/api/admin/companies`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('WhatsApp configuration', () => {
  it('stores the access token encrypted and never returns it', async () => {
    const company = await newCompany();
    const token = `EAAG-secret-${crypto.randomUUID()}`;
    const phoneNumberId = uniquePhoneNumberId();
    const res = await admin('PUT', `/companies/${company.id}/whatsapp`, {
      enabled: true,
      waba_id: '102290129340398',
      phone_number_id: phoneNumberId,
      display_phone_number: '15550783881',
      access_token: token,
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(token);
    expect(JSON.parse(text)).toMatchObject({
      id: company.id,
      whatsapp: {
        enabled: true,
        waba_id: '102290129340398',
        phone_number_id: phoneNumberId,
        display_phone_number: '15550783881',
        access_token_set: true,
      },
    });

    const row = await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get();
    expect(row?.accessTokenEnc).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(row?.accessTokenEnc).not.toContain(token);
    expect(await openToken(env, company.id, row?.accessTokenEnc ?? '')).toBe(token);

    // Changing the number without re-sending the token keeps the stored one.
    const again = await admin('PUT', `/companies/${company.id}/whatsapp`, {
      enabled: true,
      waba_id: '102290129340398',
      phone_number_id: phoneNumberId,
      display_phone_number: '15550000000',
    });
    expect(again.status).toBe(200);
    const after = await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get();
    expect(await openToken(env, company.id, after?.accessTokenEnc ?? '')).toBe(token);
    expect(after?.displayPhoneNumber).toBe('15550000000');
  });

  it("refuses another company's phone_number_id with 409", async () => {
    const a = await newCompany('A');
    const b = await newCompany('B');
    const config = {
      enabled: true,
      waba_id: '1022',
      phone_number_id: uniquePhoneNumberId(),
      display_phone_number: '15550783881',
      access_token: 'token-a',
    };
    expect((await admin('PUT', `/companies/${a.id}/whatsapp`, config)).status).toBe(200);
    const res = await admin('PUT', `/companies/${b.id}/whatsapp`, { ...config, access_token: 'token-b' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'phone_number_taken' } });
    const bRow = await getDb(env).select().from(companies).where(eq(companies.id, b.id)).get();
    expect(bRow).toMatchObject({ whatsappEnabled: false, phoneNumberId: null, accessTokenEnc: null });
  });

  it('refuses to enable WhatsApp without any access token', async () => {
    const company = await newCompany();
    const res = await admin('PUT', `/companies/${company.id}/whatsapp`, {
      enabled: true,
      waba_id: '1022',
      phone_number_id: uniquePhoneNumberId(),
      display_phone_number: '15550783881',
    });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'access_token_required' } });
  });

  it('answers 404 for an unknown company', async () => {
    const res = await admin('PUT', '/companies/com_nope/whatsapp', {
      enabled: false,
      waba_id: '1',
      phone_number_id: uniquePhoneNumberId(),
      display_phone_number: '15550783881',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('API keys', () => {
  it('returns the key once, stores only its hash, and the key opens the people API', async () => {
    const company = await newCompany();
    const res = await admin('POST', `/companies/${company.id}/api-keys`, { name: 'CRM sync' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; name: string; key: string; prefix: string };
    expect(created.name).toBe('CRM sync');
    expect(created.key).toMatch(/^cc_live_[0-9a-z]{40}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created.prefix.length).toBeLessThan(16);

    const row = await getDb(env).select().from(apiKeys).where(eq(apiKeys.id, created.id)).get();
    expect(row?.keyHash).toBe(await sha256Hex(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key);

    const people = await api({ apiKey: created.key }, 'GET', '/api/v1/people?count=true');
    expect(people.status).toBe(200);
    expect(await people.json()).toEqual({
      collection: [],
      pagination: { total_pages: 0, total_entries: 0, next_cursor: null },
    });

    // One character off (never the same character: a key ending in "x" would otherwise stay right).
    const last = created.key.endsWith('x') ? 'y' : 'x';
    const wrong = await api({ apiKey: `${created.key.slice(0, -1)}${last}` }, 'GET', '/api/v1/people');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('lists keys without the key itself, and a revoked key answers 401 at once', async () => {
    const company = await newCompany();
    const make = async (name: string) =>
      (await (await admin('POST', `/companies/${company.id}/api-keys`, { name })).json()) as {
        id: string;
        key: string;
      };
    const crm = await make('CRM sync');
    const zapier = await make('Zapier');
    expect((await api({ apiKey: crm.key }, 'GET', '/api/v1/people')).status).toBe(200);

    const listed = await admin('GET', `/companies/${company.id}/api-keys`);
    expect(listed.status).toBe(200);
    const list = (await listed.json()) as { collection: { id: string; name: string; revoked_at: string | null }[] };
    expect(list.collection.map((k) => k.name).sort()).toEqual(['CRM sync', 'Zapier']);
    expect(JSON.stringify(list)).not.toContain(crm.key);
    expect(list.collection.every((k) => k.revoked_at === null)).toBe(true);

    expect((await admin('DELETE', `/companies/${company.id}/api-keys/${crm.id}`)).status).toBe(204);
    const refused = await api({ apiKey: crm.key }, 'GET', '/api/v1/people');
    expect(refused.status).toBe(401);
    expect((await api({ apiKey: zapier.key }, 'GET', '/api/v1/people')).status).toBe(200);
    const after = (await (await admin('GET', `/companies/${company.id}/api-keys`)).json()) as {
      collection: { id: string; revoked_at: string | null }[];
    };
    expect(after.collection.find((k) => k.id === crm.id)?.revoked_at).not.toBeNull();
    // Revoking again is harmless; another company's key, or an unknown one, is 404.
    expect((await admin('DELETE', `/companies/${company.id}/api-keys/${crm.id}`)).status).toBe(204);
    const other = await newCompany('Other Gym');
    expect((await admin('DELETE', `/companies/${other.id}/api-keys/${zapier.id}`)).status).toBe(404);
    expect((await api({ apiKey: zapier.key }, 'GET', '/api/v1/people')).status).toBe(200);
    expect((await admin('GET', '/companies/com_nope/api-keys')).status).toBe(404);
  });

  it('answers 404 for an unknown company and 422 without a name', async () => {
    expect((await admin('POST', '/companies/com_nope/api-keys', { name: 'k' })).status).toBe(404);
    const company = await newCompany();
    expect((await admin('POST', `/companies/${company.id}/api-keys`, {})).status).toBe(422);
  });
});

describe('users', () => {
  it('creates a user without exposing the password hash', async () => {
    const company = await newCompany();
    const email = `Coach.${crypto.randomUUID()}@Example.com`;
    const res = await admin('POST', `/companies/${company.id}/users`, {
      email,
      name: 'Sam Coach',
      role: 'manager',
      password: 'correct horse battery',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['company_id', 'created_at', 'email', 'id', 'name', 'role']);
    expect(body).toMatchObject({
      company_id: company.id,
      email: email.toLowerCase(),
      name: 'Sam Coach',
      role: 'manager',
    });

    const row = await getDb(env)
      .select()
      .from(users)
      .where(eq(users.id, String(body.id)))
      .get();
    expect(await verifyPassword('correct horse battery', row?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('wrong password!', row?.passwordHash ?? '')).toBe(false);

    // The same address in other letter case, even for another company, is the same login.
    const other = await newCompany('Other');
    const dup = await admin('POST', `/companies/${other.id}/users`, {
      email: email.toUpperCase(),
      name: 'Someone else',
      role: 'staff',
      password: 'another password',
    });
    expect(dup.status).toBe(409);
    expect(await dup.json()).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('validates password length, role and email', async () => {
    const company = await newCompany();
    const base = { email: `${crypto.randomUUID()}@example.com`, name: 'A', role: 'staff', password: '0123456789' };
    for (const bad of [{ password: '012345678' }, { role: 'owner' }, { email: 'not-an-email' }]) {
      const res = await admin('POST', `/companies/${company.id}/users`, { ...base, ...bad });
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect((await admin('POST', `/companies/${company.id}/users`, base)).status).toBe(201);
  });

  it('answers 404 for an unknown company', async () => {
    const res = await admin('POST', '/companies/com_nope/users', {
      email: `${crypto.randomUUID()}@example.com`,
      name: 'A',
      role: 'staff',
      password: '0123456789',
    });
    expect(res.status).toBe(404);
  });
});

it('keeps admin routes out of the integrator OpenAPI document', async () => {
  const doc = (await (await exports.default.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  expect(Object.keys(doc.paths).some((p) => p.startsWith('/api/admin'))).toBe(false);
});
