// `POST /sandbox/seed`: a demo company for local mode, so `npm start` leaves a newcomer something to try at once:
// a dozen people and an inbox in every state (seed-conversations.ts). Sandbox only, platform admin only, and
// idempotent: fixed ids plus INSERT ... ON CONFLICT DO NOTHING, and conversation steps skipped once in history,
// so running it again changes nothing and the demo API key keeps working (stored as its SHA-256, like every key).
import { and, eq, inArray, ne } from 'drizzle-orm';
import { hashPassword, sha256Hex } from '../auth/crypto';
import { requirePlatformAdmin } from '../auth/middleware';
import { sealToken } from '../auth/token-seal';
import { getDb } from '../db/client';
import { apiKeys, clubs, companies, consentLog, people, templates, users, whatsappNumbers } from '../db/schema';
import { ApiError } from '../errors';
import { newRouter } from '../http';
import { wabaObject } from './graph-path';
import { sandboxOnly } from './guard';
import { DEMO_LEEDS, DEMO_QUIET_PEOPLE, DEMO_SCRIPTS, type DemoPerson, seedConversations } from './seed-conversations';

export const DEMO = {
  companyId: 'com_demo',
  companyName: 'Demo Gym',
  timezone: 'Europe/London',
  wabaId: '200000000000001',
  phoneNumberId: '100000000000001',
  displayPhoneNumber: '15550100001',
  accessToken: 'sandbox-token',
  // Deterministic on purpose: the README and `npm start` print it. The seed answers 404 outside sandbox mode,
  // so a live deployment never holds this key.
  apiKey: 'cc_demo_sandbox_key_do_not_use_in_production',
  password: 'clubchat-demo',
  staffEmail: 'staff@demo.gym',
  managerEmail: 'manager@demo.gym',
  adminEmail: 'admin@demo.gym',
} as const;

/** A second gym, so a newcomer (and the e2e tests) can see that one company's staff never see another's data. */
export const OTHER = {
  companyId: 'com_demo_north',
  companyName: 'Northside Gym',
  wabaId: '200000000000009',
  phoneNumberId: '100000000000009',
  displayPhoneNumber: '15550100009',
  staffEmail: 'staff@northside.gym',
} as const;

const DEMO_USERS = [
  { id: 'usr_demo_staff', companyId: DEMO.companyId, email: DEMO.staffEmail, name: 'Sam Staff', role: 'staff' },
  {
    id: 'usr_demo_manager',
    companyId: DEMO.companyId,
    email: DEMO.managerEmail,
    name: 'Morgan Manager',
    role: 'manager',
  },
  { id: 'usr_demo_admin', companyId: DEMO.companyId, email: DEMO.adminEmail, name: 'Alex Admin', role: 'admin' },
  { id: 'usr_north_staff', companyId: OTHER.companyId, email: OTHER.staffEmail, name: 'Nell North', role: 'staff' },
] as const;

// UK mobiles (valid for libphonenumber); Sheena has given WhatsApp consent, Priya is a secondary-sale lead. None of
// the four has been messaged: the README's walk-throughs start from there. The people with conversations, and
// one more who has none, are in seed-conversations.ts.
const FIRST_PEOPLE: DemoPerson[] = [
  { id: 'per_demo_sheena', firstName: 'Sheena', lastName: 'Lead', phone: '+447412345601', status: 'lead' },
  { id: 'per_demo_tom', firstName: 'Tom', lastName: 'Member', phone: '+447412345602', status: 'member' },
  {
    id: 'per_demo_priya',
    firstName: 'Priya',
    lastName: 'Patel',
    phone: '+447412345603',
    status: 'lead',
    saleType: 'secondary',
  },
  { id: 'per_demo_alex', firstName: 'Alex', lastName: 'Former', phone: '+447412345604', status: 'former_member' },
];

const DEMO_PEOPLE = [...FIRST_PEOPLE, ...DEMO_SCRIPTS.map((s) => s.person), ...DEMO_QUIET_PEOPLE];

/** Oldest first: when each joined the directory (a day apart), so the People screen reads like a gym's. */
const JOINED = [
  'per_demo_tom',
  'per_demo_alex',
  'per_demo_olivia',
  'per_demo_grace',
  'per_demo_jack',
  'per_demo_noah',
  'per_demo_sheena',
  'per_demo_priya',
  'per_demo_chloe',
  'per_demo_ben',
  'per_demo_liam',
  'per_demo_maria',
];
const DAY_MS = 24 * 60 * 60 * 1000;

const DEMO_TEMPLATES = [
  {
    id: 'tpl_demo_welcome_offer',
    companyId: DEMO.companyId,
    name: 'welcome_offer',
    language: 'en_GB',
    category: 'UTILITY',
    status: 'APPROVED',
    metaId: '300000000000001',
    components: [{ type: 'BODY', text: 'Hi {{1}}, welcome to Demo Gym! Your free day pass is ready at reception.' }],
    variables: ['1'],
  },
  {
    id: 'tpl_demo_class_reminder',
    companyId: DEMO.companyId,
    name: 'class_reminder',
    language: 'en_GB',
    category: 'MARKETING',
    status: 'APPROVED',
    metaId: '300000000000002',
    components: [
      { type: 'BODY', text: 'Hi {{1}}, your {{2}} class starts soon. See you there! Reply STOP to opt out.' },
    ],
    variables: ['1', '2'],
  },
] satisfies (typeof templates.$inferInsert)[];

export const seedRoutes = newRouter();

seedRoutes.post('/seed', sandboxOnly, requirePlatformAdmin, async (c) => {
  const db = getDb(c.env);

  // phone_number_id is unique across companies: if another company already holds the sandbox number, say so
  // instead of failing on a foreign key below.
  for (const company of [DEMO, OTHER]) {
    const holder = await db
      .select({ id: companies.id })
      .from(companies)
      .where(and(eq(companies.phoneNumberId, company.phoneNumberId), ne(companies.id, company.companyId)))
      .get();
    if (holder)
      throw new ApiError(409, 'phone_number_taken', `Company ${holder.id} already uses the sandbox phone number id`);
  }

  // PBKDF2 is deliberately slow: hash only for users that do not exist yet.
  const existing = await db
    .select({ id: users.id })
    .from(users)
    .where(
      inArray(
        users.id,
        DEMO_USERS.map((u) => u.id),
      ),
    )
    .all();
  const existingIds = new Set(existing.map((u) => u.id));
  const newUsers = await Promise.all(
    DEMO_USERS.filter((u) => !existingIds.has(u.id)).map(async (u) => ({
      ...u,
      passwordHash: await hashPassword(DEMO.password),
    })),
  );

  const now = Date.now();
  const consentingId = 'per_demo_sheena';
  const seedActor = { kind: 'system', id: 'sandbox_seed', name: 'Sandbox seed' } as const;

  // One batch is one transaction in D1: the demo appears whole or not at all.
  await db.batch([
    db
      .insert(companies)
      .values({
        id: DEMO.companyId,
        name: DEMO.companyName,
        timezone: DEMO.timezone,
        country: 'GB',
        whatsappEnabled: true,
        wabaId: DEMO.wabaId,
        phoneNumberId: DEMO.phoneNumberId,
        displayPhoneNumber: DEMO.displayPhoneNumber,
        accessTokenEnc: await sealToken(c.env, DEMO.companyId, DEMO.accessToken),
      })
      .onConflictDoNothing(),
    db
      .insert(apiKeys)
      .values({
        id: 'key_demo',
        companyId: DEMO.companyId,
        name: 'Demo key (sandbox)',
        keyHash: await sha256Hex(DEMO.apiKey),
        prefix: DEMO.apiKey.slice(0, 12),
      })
      .onConflictDoNothing(),
    db
      .insert(companies)
      .values({
        id: OTHER.companyId,
        name: OTHER.companyName,
        timezone: DEMO.timezone,
        country: 'GB',
        whatsappEnabled: true,
        wabaId: OTHER.wabaId,
        phoneNumberId: OTHER.phoneNumberId,
        displayPhoneNumber: OTHER.displayPhoneNumber,
        accessTokenEnc: await sealToken(c.env, OTHER.companyId, DEMO.accessToken),
      })
      .onConflictDoNothing(),
    ...newUsers.map((u) => db.insert(users).values(u).onConflictDoNothing()),
    // Roles as documented, also for demo users an older seed made (the manager used to be an admin).
    ...DEMO_USERS.map((u) => db.update(users).set({ role: u.role }).where(eq(users.id, u.id))),
    // One statement per person: a row has 20-odd columns and D1 binds at most 100 values per statement.
    ...[
      ...DEMO_PEOPLE.map((p) => {
        const joined = now - (JOINED.length - JOINED.indexOf(p.id)) * DAY_MS;
        return {
          ...p,
          companyId: DEMO.companyId,
          membershipStart: p.status === 'lead' ? null : '2025-01-06',
          membershipEnd: p.status === 'former_member' ? '2025-09-30' : null,
          createdBy: seedActor,
          createdAt: joined,
          updatedAt: joined,
        };
      }),
      {
        id: 'per_north_nora',
        companyId: OTHER.companyId,
        firstName: 'Nora',
        lastName: 'North',
        phone: '+447412345699',
        createdBy: seedActor,
      },
    ].map((row) => db.insert(people).values(row).onConflictDoNothing()),
    db
      .insert(consentLog)
      .values({
        id: 'con_demo_sheena',
        companyId: DEMO.companyId,
        personId: consentingId,
        channel: 'whatsapp',
        action: 'opt_in',
        method: 'web_form',
        text: 'Yes, Demo Gym may message me on WhatsApp about my membership and offers.',
        capturedAt: now,
        actor: seedActor,
      })
      .onConflictDoNothing(),
    db.insert(templates).values(DEMO_TEMPLATES).onConflictDoNothing(),
  ]);

  // The second club and its number, after the batch that made the company and its first club (a trigger), so
  // that one stays the first. Leeds' people name their club; the others get the first by default.
  await db.batch([
    db
      .insert(clubs)
      .values({
        id: DEMO_LEEDS.clubId,
        companyId: DEMO.companyId,
        name: DEMO_LEEDS.name,
        timezone: DEMO.timezone,
        address: DEMO_LEEDS.address,
      })
      .onConflictDoNothing(),
    db
      .insert(whatsappNumbers)
      .values({
        id: DEMO_LEEDS.numberId,
        companyId: DEMO.companyId,
        clubId: DEMO_LEEDS.clubId,
        phoneNumberId: DEMO_LEEDS.phoneNumberId,
        displayPhoneNumber: DEMO_LEEDS.displayPhoneNumber,
      })
      .onConflictDoNothing(),
  ]);

  // Meta (the simulator) has them too, or the hourly template sync would mark them DELETED.
  const waba = c.env.META_SANDBOX.getByName(wabaObject(DEMO.wabaId));
  for (const t of DEMO_TEMPLATES)
    await waba.putTemplate({
      id: t.metaId,
      name: t.name,
      language: t.language,
      category: t.category,
      status: t.status,
      components: t.components,
    });

  // After the batch: the conversations are written through the webhook and the send service, which need the
  // company, its people and templates in place.
  await seedConversations(c.env, DEMO.companyId, DEMO.phoneNumberId);

  return c.json({
    company_id: DEMO.companyId,
    api_key: DEMO.apiKey,
    staff_login: { email: DEMO.staffEmail, password: DEMO.password },
    manager_login: { email: DEMO.managerEmail, password: DEMO.password },
    admin_login: { email: DEMO.adminEmail, password: DEMO.password },
    other_company: {
      company_id: OTHER.companyId,
      staff_login: { email: OTHER.staffEmail, password: DEMO.password },
    },
  });
});
