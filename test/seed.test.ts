import { env, exports } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../worker/app';
import { sha256Hex, verifyPassword } from '../worker/auth/crypto';
import { requireApiKey } from '../worker/auth/middleware';
import { openToken } from '../worker/auth/token-seal';
import { getDb } from '../worker/db/client';
import { apiKeys, companies, consentLog, people, templates, users } from '../worker/db/schema';
import type { ApiError } from '../worker/errors';
import { newRouter } from '../worker/http';

const BASE = 'http://clubchat.test';

function seed(token: string | null = env.PLATFORM_ADMIN_TOKEN): Promise<Response> {
  return exports.default.fetch(`${BASE}/sandbox/seed`, {
    method: 'POST',
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

interface SeedAnswer {
  company_id: string;
  api_key: string;
  staff_login: { email: string; password: string };
}

describe('POST /sandbox/seed', () => {
  it('creates the demo company once, and running it again changes nothing', async () => {
    const first = await seed();
    expect(first.status).toBe(200);
    const body = (await first.json()) as SeedAnswer;
    expect(body).toMatchObject({
      company_id: 'com_demo',
      api_key: 'cc_demo_sandbox_key_do_not_use_in_production',
      staff_login: { email: 'staff@demo.gym', password: 'clubchat-demo' },
    });

    const db = getDb(env);
    const count = async () => ({
      companies: (await db.select().from(companies).where(eq(companies.id, body.company_id)).all()).length,
      keys: (await db.select().from(apiKeys).where(eq(apiKeys.companyId, body.company_id)).all()).length,
      users: (await db.select().from(users).where(eq(users.companyId, body.company_id)).all()).length,
      people: (await db.select().from(people).where(eq(people.companyId, body.company_id)).all()).length,
      consent: (await db.select().from(consentLog).where(eq(consentLog.companyId, body.company_id)).all()).length,
      templates: (await db.select().from(templates).where(eq(templates.companyId, body.company_id)).all()).length,
    });
    const before = await count();
    expect(before).toEqual({ companies: 1, keys: 1, users: 3, people: 4, consent: 1, templates: 2 });

    const again = await seed();
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(body);
    expect(await count()).toEqual(before);
  });

  it('makes a company that is ready to message: WhatsApp on, sandbox number, token encrypted, templates approved', async () => {
    await seed();
    const db = getDb(env);
    const company = await db.select().from(companies).where(eq(companies.id, 'com_demo')).get();
    expect(company).toMatchObject({
      name: 'Demo Gym',
      timezone: 'Europe/London',
      whatsappEnabled: true,
      phoneNumberId: '100000000000001',
      wabaId: '200000000000001',
      displayPhoneNumber: '15550100001',
    });
    expect(company?.accessTokenEnc).toMatch(/^v2:/);
    expect(await openToken(env, company?.id ?? '', company?.accessTokenEnc ?? '')).toBe('sandbox-token');

    const tpls = await db.select().from(templates).where(eq(templates.companyId, 'com_demo')).all();
    expect(tpls.map((t) => [t.name, t.language, t.category, t.status, t.variables.length]).sort()).toEqual([
      ['class_reminder', 'en_GB', 'MARKETING', 'APPROVED', 2],
      ['welcome_offer', 'en_GB', 'UTILITY', 'APPROVED', 1],
    ]);

    const demoPeople = await db.select().from(people).where(eq(people.companyId, 'com_demo')).all();
    for (const p of demoPeople) expect(p.phone).toMatch(/^\+447412345\d{3}$/);
    const consent = await db
      .select()
      .from(consentLog)
      .where(and(eq(consentLog.companyId, 'com_demo'), eq(consentLog.channel, 'whatsapp')))
      .all();
    expect(consent).toHaveLength(1);
    expect(consent[0]).toMatchObject({ action: 'opt_in' });
    expect(demoPeople.some((p) => p.id === consent[0]?.personId)).toBe(true);
  });

  it('gives Meta (the simulator) the demo templates too, so a template sync keeps them APPROVED', async () => {
    const body = (await (await seed()).json()) as SeedAnswer;
    const res = await exports.default.fetch(`${BASE}/api/v1/whatsapp/templates/sync`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${body.api_key}` },
    });
    expect(await res.json()).toMatchObject({ imported: 0, deleted: 0, unchanged: 2 });
  });

  it('returns a key that authenticates and logins whose passwords verify', async () => {
    const body = (await (await seed()).json()) as SeedAnswer;
    const db = getDb(env);
    const key = await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, await sha256Hex(body.api_key)))
      .get();
    expect(key).toMatchObject({ companyId: 'com_demo', revokedAt: null });

    // Through the real middleware, whatever routes exist: the key resolves to the demo company.
    const probe = newRouter();
    probe.get('/probe', requireApiKey, (c) => c.json(c.get('auth')));
    probe.onError((err, c) => c.json({ error: (err as ApiError).code }, (err as ApiError).status));
    const ok = await probe.request('/probe', { headers: { Authorization: `Bearer ${body.api_key}` } }, env);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ companyId: 'com_demo', actor: { kind: 'api_key', id: key?.id } });
    const bogus = await probe.request('/probe', { headers: { Authorization: 'Bearer cc_not_a_key' } }, env);
    expect(bogus.status).toBe(401);

    const staff = await db.select().from(users).where(eq(users.email, body.staff_login.email)).get();
    expect(staff?.role).toBe('staff');
    expect(await verifyPassword(body.staff_login.password, staff?.passwordHash ?? '')).toBe(true);
    const manager = await db.select().from(users).where(eq(users.email, 'manager@demo.gym')).get();
    expect(manager?.role).toBe('manager');
    const admin = await db.select().from(users).where(eq(users.email, 'admin@demo.gym')).get();
    expect(admin?.role).toBe('admin');
    expect(await verifyPassword('clubchat-demo', manager?.passwordHash ?? '')).toBe(true);
  });

  it('refuses without the platform admin token', async () => {
    for (const token of [null, 'wrong-token', 'cc_demo_sandbox_key_do_not_use_in_production']) {
      const res = await seed(token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('does not exist unless WHATSAPP_MODE is sandbox', async () => {
    const app = buildApp();
    const seed = (mode: string) =>
      app.request(
        '/sandbox/seed',
        { method: 'POST', headers: { Authorization: `Bearer ${env.PLATFORM_ADMIN_TOKEN}` } },
        { ...env, WHATSAPP_MODE: mode },
      );
    const live = await seed('live');
    expect(live.status).toBe(404);
    expect(await live.json()).toMatchObject({ error: { code: 'sandbox_disabled' } });
    // Anything but live or sandbox stops the whole worker with a clear error, rather than guess.
    for (const mode of ['', 'Sandbox', 'sandbx']) {
      const res = await seed(mode);
      expect(res.status).toBe(500);
      expect(await res.json()).toMatchObject({
        error: { code: 'config_error', message: expect.stringContaining('WHATSAPP_MODE') },
      });
    }
  });
});
