import { env, exports } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../worker/app';
import { sha256Hex, verifyPassword } from '../worker/auth/crypto';
import { requireApiKey } from '../worker/auth/middleware';
import { openToken } from '../worker/auth/token-seal';
import { getDb } from '../worker/db/client';
import { apiKeys, companies, consentLog, conversations, people, templates, users } from '../worker/db/schema';
import type { ApiError } from '../worker/errors';
import { newRouter } from '../worker/http';
import { conversationRows, hasConversationMismatches } from './helpers/integrity';

const BASE = 'http://clubchat.test';

function demoApi(method: string, path: string, body?: unknown): Promise<Response> {
  return exports.default.fetch(`${BASE}${path}`, {
    method,
    headers: {
      Authorization: 'Bearer cc_demo_sandbox_key_do_not_use_in_production',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

interface ConversationJson {
  person_id: string;
  name: string;
  unread_count: number;
  window_open: boolean;
  window_expires_at: string | null;
  opted_out: boolean;
  last_failed: boolean;
  last_message: { direction: string; message_type: string | null; preview: string; status: string | null } | null;
}

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
    // Twelve people; consent: Sheena's, and Olivia's STOP (seed-conversations.ts).
    expect(before).toEqual({ companies: 1, keys: 1, users: 3, people: 12, consent: 2, templates: 2 });

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
      country: 'GB',
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
    expect(consent.map((c) => [c.personId, c.action]).sort()).toEqual([
      ['per_demo_olivia', 'opt_out'],
      ['per_demo_sheena', 'opt_in'],
    ]);
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

  /** The demo gym's two numbers (its first club's and Leeds'), their status webhooks held until flushed. */
  async function demoSimulators() {
    const sims = ['100000000000001', '100000000000002'].map((id) => env.META_SANDBOX.getByName(id));
    for (const sim of sims) await sim.configure({ delivery: 'manual' });
    return {
      flushWebhooks: async () => {
        for (const sim of sims) await sim.flushWebhooks();
      },
      sendRequests: async () => (await Promise.all(sims.map((sim) => sim.sendRequests()))).reduce((a, b) => a + b, 0),
      listDeliveries: async () => (await Promise.all(sims.map((sim) => sim.listDeliveries()))).flat(),
      pendingWebhooks: async () =>
        (await Promise.all(sims.map((sim) => sim.pendingWebhooks()))).reduce((a, b) => a + b, 0),
    };
  }

  it('gives the demo gym an inbox in every state, written through the real paths', async () => {
    // Meta's status webhooks wait for the test, so it reads the inbox once they have all arrived.
    const sim = await demoSimulators();
    await seed();
    await sim.flushWebhooks();

    const inbox = (await (await demoApi('GET', '/api/v1/conversations')).json()) as {
      collection: ConversationJson[];
    };
    const row = (id: string) => inbox.collection.find((c) => c.person_id === id);
    // Newest first: the two unread on top, the opted-out one from two days ago last.
    expect(inbox.collection.map((c) => c.person_id)).toEqual([
      'per_demo_maria',
      'per_demo_noah',
      'per_demo_jack',
      'per_demo_grace',
      'per_demo_chloe',
      'per_demo_ben',
      'per_demo_olivia',
    ]);
    expect(row('per_demo_maria')).toMatchObject({
      name: 'María Gómez',
      unread_count: 2,
      window_open: true,
      last_message: { direction: 'inbound', preview: 'Do you have a student discount?' },
    });
    expect(row('per_demo_noah')).toMatchObject({
      unread_count: 1,
      last_message: { message_type: 'image', preview: expect.stringMatching(/^📷 Photo: The screen/) },
    });
    expect(row('per_demo_jack')).toMatchObject({
      unread_count: 0,
      window_open: true,
      last_message: { direction: 'outbound', status: 'read' },
    });
    // Grace wrote 23 hours and 10 minutes ago: under an hour left to answer her for free.
    const graceLeft = Date.parse(row('per_demo_grace')?.window_expires_at ?? '') - Date.now();
    expect(graceLeft).toBeGreaterThan(0);
    expect(graceLeft).toBeLessThan(60 * 60 * 1000);
    expect(row('per_demo_chloe')).toMatchObject({
      window_open: false,
      last_message: { direction: 'outbound', message_type: 'template', status: 'read' },
    });
    expect(row('per_demo_ben')).toMatchObject({ last_failed: true, last_message: { status: 'failed' } });
    expect(row('per_demo_olivia')).toMatchObject({ opted_out: true, unread_count: 0 });

    // Jack liked the reply; Ben's template failed with Meta's reason.
    const jack = (await (await demoApi('GET', '/api/v1/conversations/per_demo_jack/messages')).json()) as {
      collection: { body: string | null; reactions: { emoji: string }[] }[];
    };
    expect(jack.collection.find((m) => m.body?.startsWith('Of course, Jack'))?.reactions).toMatchObject([
      { emoji: '👍' },
    ]);
    const ben = (await (await demoApi('GET', '/api/v1/people/per_demo_ben/history?filter=whatsapp_sent')).json()) as {
      collection: { status: string; error: { code: number } | null; actor: { name: string } | null }[];
    };
    expect(ben.collection).toMatchObject([{ status: 'failed', error: { code: 131026 }, actor: { name: 'Sam Staff' } }]);

    // The inbox rows are what history says, and the first four demo people (and Liam) were never messaged.
    const { kept, truth } = await conversationRows('com_demo');
    expect(kept).toEqual(truth);
    expect(await hasConversationMismatches('com_demo')).toEqual([]);
    const quiet = (await (await demoApi('GET', '/api/v1/people?never_messaged=true')).json()) as {
      collection: { id: string }[];
    };
    expect(quiet.collection.map((p) => p.id)).toEqual([
      'per_demo_liam',
      'per_demo_priya',
      'per_demo_sheena',
      'per_demo_alex',
      'per_demo_tom',
    ]);
    // Two clubs: Grace, Ben and Liam belong to Leeds, and Grace wrote to Leeds' own number.
    const leeds = await env.DB.prepare(
      "SELECT id, last_number_id FROM people WHERE club_id = 'clb_demo_leeds' ORDER BY id",
    ).all<{ id: string; last_number_id: string | null }>();
    expect(leeds.results).toEqual([
      { id: 'per_demo_ben', last_number_id: null },
      { id: 'per_demo_grace', last_number_id: '100000000000002' },
      { id: 'per_demo_liam', last_number_id: null },
    ]);
    // The second gym stays empty.
    expect(
      await getDb(env).select().from(conversations).where(eq(conversations.companyId, 'com_demo_north')).all(),
    ).toEqual([]);
  });

  it('seeds the conversations once: a second run sends Meta nothing and changes no row', async () => {
    const sim = await demoSimulators();
    await seed();
    await sim.flushWebhooks();
    const snapshot = async () => ({
      notes: (
        await env.DB.prepare('SELECT * FROM history_notes WHERE company_id = ? ORDER BY id').bind('com_demo').all()
      ).results,
      rows: (
        await env.DB.prepare('SELECT * FROM conversations WHERE company_id = ? ORDER BY person_id')
          .bind('com_demo')
          .all()
      ).results,
      people: (await env.DB.prepare('SELECT * FROM people WHERE company_id = ? ORDER BY id').bind('com_demo').all())
        .results,
      counters: (
        await env.DB.prepare('SELECT * FROM counters WHERE company_id = ? ORDER BY person_id, sale_type')
          .bind('com_demo')
          .all()
      ).results,
      sends: await sim.sendRequests(),
      deliveries: (await sim.listDeliveries()).length,
    });
    const before = await snapshot();
    expect(before.sends).toBeGreaterThanOrEqual(4);
    const again = await seed();
    expect(again.status).toBe(200);
    expect(await sim.pendingWebhooks()).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it("leaves each conversation object's window as the story says: free text to Grace, a template only for Chloe", async () => {
    await seed();
    const text = (id: string) =>
      demoApi('POST', `/api/v1/people/${id}/whatsapp/messages`, { text: 'Hello from the front desk' });
    expect((await text('per_demo_grace')).status).toBe(202);
    expect(await (await text('per_demo_chloe')).json()).toMatchObject({ error: { code: 'window_closed' } });
    expect(await (await text('per_demo_olivia')).json()).toMatchObject({ error: { code: 'opted_out' } });
    expect(await (await text('per_demo_alex')).json()).toMatchObject({ error: { code: 'window_closed' } });
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
