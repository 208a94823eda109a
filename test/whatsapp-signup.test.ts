// Embedded Signup (worker/whatsapp/signup/): a company admin's dialog answer becomes a connected number, each Meta
// step against the simulator, each step's failure said in words and resumed from where it stopped, never twice at
// once, refused while the platform admin has WhatsApp switched off. Asserts on what the simulator received too.
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { SIGNUP_STEPS } from '#common/whatsapp-signup';
import { openToken } from '../worker/auth/token-seal';
import { getDb } from '../worker/db/client';
import { companies, whatsappNumbers } from '../worker/db/schema';
import type { SignupFaultStep } from '../worker/sandbox/signup-controls';
import { SANDBOX_BUSINESS_OBJECT } from '../worker/sandbox/signup-store';
import { auditOf } from './helpers/audit';
import { makeClub } from './helpers/clubs';
import { api, BASE, makeCompany, type TestCompany, uniquePhone } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

const business = () => env.META_SANDBOX.getByName(SANDBOX_BUSINESS_OBJECT);

interface SignupJson {
  id: string;
  status: string;
  waba_id: string;
  phone_number_id: string;
  display_phone_number: string | null;
  verified_name: string | null;
  club_id: string | null;
  steps: { name: string; state: string }[];
  error: { step: string; code: string; message: string } | null;
  resumable: boolean;
}

/** A company without WhatsApp yet (a new gym), an admin's session, and its API key. */
async function newGym() {
  const id = `com_signup_${crypto.randomUUID().slice(0, 12)}`;
  await getDb(env).insert(companies).values({ id, name: 'Riverside Fitness', timezone: 'Europe/London' });
  const company: TestCompany = { id, apiKey: '', phoneNumberId: '', wabaId: '' };
  const admin = await staffSession(company, 'admin');
  return { company, admin };
}

type Admin = Awaited<ReturnType<typeof staffSession>>;

/** What Facebook's popup hands back: the simulator's dialog, finished. */
const dialog = (choice: Parameters<ReturnType<typeof business>['signupFinish']>[0] = {}) =>
  business().signupFinish({ verified_name: 'Riverside Fitness', ...choice });

async function start(admin: Admin, session: Awaited<ReturnType<typeof dialog>>, extra: Record<string, unknown> = {}) {
  return admin.fetch('/api/v1/whatsapp/signups', {
    method: 'POST',
    body: {
      code: session.code,
      waba_id: session.waba_id,
      phone_number_id: session.phone_number_id,
      business_id: session.business_id,
      ...extra,
    },
  });
}

const callsOf = async (session: Awaited<ReturnType<typeof dialog>>) =>
  (await business().signupCalls([session.code, session.phone_number_id, session.waba_id])).map((c) => [
    c.step,
    c.status,
  ]);

describe('Embedded Signup', () => {
  it('connects a new gym’s first number: each Meta call once, token stored sealed, WhatsApp on, audited', async () => {
    const { company, admin } = await newGym();
    const session = await dialog({ display_phone_number: '447700900123' });
    const res = await start(admin, session);
    expect(res.status).toBe(201);
    const signup = (await res.json()) as SignupJson;
    expect(signup).toMatchObject({
      status: 'connected',
      waba_id: session.waba_id,
      phone_number_id: session.phone_number_id,
      display_phone_number: '447700900123',
      verified_name: 'Riverside Fitness',
      error: null,
      resumable: false,
    });
    expect(signup.steps.map((s) => s.state)).toEqual(SIGNUP_STEPS.map(() => 'done'));

    // What Meta received: the exchange, register (with a 6-digit PIN), subscribe, the number's fields; once each.
    const calls = await business().signupCalls([session.code, session.phone_number_id, session.waba_id]);
    expect(calls.map((c) => [c.step, c.status])).toEqual([
      ['exchange_code', 200],
      ['register_number', 200],
      ['subscribe_app', 200],
      ['fetch_number', 200],
    ]);
    expect(JSON.parse(calls[1]?.body ?? '{}')).toMatchObject({
      messaging_product: 'whatsapp',
      pin: expect.stringMatching(/^\d{6}$/),
    });
    expect(await business().signupSubscribed(session.waba_id)).toBe(true);
    expect((await business().signupNumber(session.phone_number_id))?.registeredAt).not.toBeNull();

    const row = await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get();
    expect(row).toMatchObject({
      whatsappEnabled: true,
      wabaId: session.waba_id,
      phoneNumberId: session.phone_number_id,
      displayPhoneNumber: '447700900123',
    });
    // Sealed for this company, and it is Meta's business token (the simulator accepts it for this WABA).
    expect(row?.accessTokenEnc).toMatch(/^v2:/);
    const token = await openToken(env, company.id, row?.accessTokenEnc ?? '');
    expect(token).toMatch(/^EAASandbox/);

    const connection = await (await admin.fetch('/api/v1/whatsapp/connection')).json();
    expect(connection).toMatchObject({ status: 'connected', phone_number_id: session.phone_number_id });

    expect((await auditOf(company.id)).map((e) => e.action)).toEqual(['whatsapp.signup_started', 'whatsapp.connected']);
    const [connected] = await auditOf(company.id, 'whatsapp.connected');
    expect(connected?.details).toMatchObject({
      phone_number_id: session.phone_number_id,
      first: true,
      access_token: 'set',
    });
    expect(JSON.stringify(await auditOf(company.id))).not.toContain(token);
  });

  it('the number then works: a message to it through the simulator reaches the inbox', async () => {
    const { admin } = await newGym();
    const session = await dialog();
    expect((await start(admin, session)).status).toBe(201);
    const from = uniquePhone();
    const { status } = await env.META_SANDBOX.getByName(session.phone_number_id).inbound({
      from,
      text: 'Do you have a pool?',
    });
    expect(status).toBe(200);
    const inbox = (await (await admin.fetch('/api/v1/conversations')).json()) as {
      collection: { phone: string | null; last_message: { preview: string } | null }[];
    };
    expect(inbox.collection.map((c) => [c.phone, c.last_message?.preview])).toContainEqual([
      from,
      'Do you have a pool?',
    ]);
  });

  const STEP_FAULTS: [SignupFaultStep, string][] = [
    ['exchange_code', 'exchanging Facebook’s code for a business token'],
    ['register_number', 'registering the number for the Cloud API'],
    ['subscribe_app', 'subscribing ClubChat to the account’s messages'],
    ['fetch_number', 'reading the number’s details'],
  ];

  it.each(STEP_FAULTS)(
    'a refusal at %s is said in words, audited, and Resume continues from that step',
    async (step, words) => {
      const { company, admin } = await newGym();
      const session = await dialog();
      await business().signupQueueFaults(session.phone_number_id, [
        { step, kind: 'http', status: 400, code: 131000, title: 'Something went wrong' },
      ]);
      const res = await start(admin, session);
      expect(res.status).toBe(201);
      const failed = (await res.json()) as SignupJson;
      const at = SIGNUP_STEPS.indexOf(step);
      expect(failed).toMatchObject({ status: 'failed', resumable: true, error: { step, code: 'meta_refused' } });
      expect(failed.error?.message).toContain(`Meta refused ${words}`);
      expect(failed.error?.message).toContain('Something went wrong (code 131000)');
      expect(failed.steps.map((s) => s.state)).toEqual(
        SIGNUP_STEPS.map((_, i) => (i < at ? 'done' : i === at ? 'failed' : 'pending')),
      );
      // Nothing connected yet.
      expect(
        (await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get())?.whatsappEnabled,
      ).toBe(false);
      expect((await auditOf(company.id, 'whatsapp.signup_failed'))[0]?.details).toMatchObject({
        step,
        code: 'meta_refused',
      });

      const resumed = await admin.fetch(`/api/v1/whatsapp/signups/${failed.id}/resume`, { method: 'POST', body: {} });
      expect(resumed.status).toBe(200);
      expect(await resumed.json()).toMatchObject({ status: 'connected', error: null });
      // The failed call twice, the others once: nothing before it ran again (the code is single-use at Meta).
      const steps = (await callsOf(session)).map(([s]) => s);
      expect(steps).toEqual(
        ['exchange_code', 'register_number', 'subscribe_app', 'fetch_number'].flatMap((s) =>
          s === step ? [s, s] : [s],
        ),
      );
      expect(
        (await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get())?.whatsappEnabled,
      ).toBe(true);
    },
  );

  it('Meta not answering in time is its own reason, and resumes', async () => {
    const { admin } = await newGym();
    const session = await dialog();
    await business().signupQueueFaults(session.phone_number_id, [
      { step: 'subscribe_app', kind: 'timeout', status: 400, code: 1 },
    ]);
    const failed = (await (await start(admin, session)).json()) as SignupJson;
    expect(failed.error).toMatchObject({ step: 'subscribe_app', code: 'meta_unreachable' });
    expect(failed.error?.message).toContain('Meta did not answer in time');
    const resumed = await admin.fetch(`/api/v1/whatsapp/signups/${failed.id}/resume`, { method: 'POST', body: {} });
    expect(await resumed.json()).toMatchObject({ status: 'connected' });
  });

  it('a number with its own two-step PIN: Meta’s 133005 asks for it, and Resume with it registers', async () => {
    const { admin } = await newGym();
    const session = await dialog({ existing_pin: '246810' });
    const failed = (await (await start(admin, session)).json()) as SignupJson;
    expect(failed.error).toMatchObject({ step: 'register_number', code: 'pin_mismatch' });
    expect(failed.error?.message).toContain('Enter the number’s PIN');
    const wrong = await admin.fetch(`/api/v1/whatsapp/signups/${failed.id}/resume`, {
      method: 'POST',
      body: { pin: '12345' },
    });
    await expectError(wrong, 422, 'validation_failed');
    const resumed = await admin.fetch(`/api/v1/whatsapp/signups/${failed.id}/resume`, {
      method: 'POST',
      body: { pin: '246810' },
    });
    expect(await resumed.json()).toMatchObject({ status: 'connected' });
    expect((await business().signupNumber(session.phone_number_id))?.pin).toBe('246810');
  });

  it('a spent code is not resumable: Meta’s 36007 at the exchange, then Resume answers 409 code_expired', async () => {
    const { admin } = await newGym();
    const session = await dialog();
    await business().signupExpireCode(session.code);
    const failed = (await (await start(admin, session)).json()) as SignupJson;
    expect(failed).toMatchObject({
      status: 'failed',
      resumable: false,
      error: { step: 'exchange_code', code: 'code_expired' },
    });
    expect(failed.error?.message).toContain('Connect with Facebook again');
    await expectError(
      await admin.fetch(`/api/v1/whatsapp/signups/${failed.id}/resume`, { method: 'POST', body: {} }),
      409,
      'code_expired',
    );
  });

  it('two Resumes at once: one runs the step, the other answers 409 signup_in_progress', async () => {
    const { admin } = await newGym();
    const session = await dialog();
    await business().signupQueueFaults(session.phone_number_id, [
      { step: 'register_number', kind: 'http', status: 503, code: 2 },
    ]);
    const failed = (await (await start(admin, session)).json()) as SignupJson;
    const resume = () => admin.fetch(`/api/v1/whatsapp/signups/${failed.id}/resume`, { method: 'POST', body: {} });
    const answers = await Promise.all([resume(), resume()]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = answers.find((r) => r.status === 409);
    if (refused) await expectError(refused, 409, 'signup_in_progress');
    expect((await callsOf(session)).filter(([s]) => s === 'register_number')).toHaveLength(2);
    await expectError(await resume(), 409, 'signup_finished');
  });

  it('the platform admin’s switch: off refuses a signup (and stops the connected number); on lets it through', async () => {
    const { company, admin } = await newGym();
    const platform = (enabled: boolean) =>
      exports.default.fetch(`${BASE}/api/admin/companies/${company.id}/whatsapp`, {
        method: 'PATCH',
        headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
        body: JSON.stringify({ enabled }),
      });
    expect((await platform(false)).status).toBe(200);
    const state = await (await admin.fetch('/api/v1/whatsapp/signups')).json();
    expect(state).toMatchObject({ switched_off: true, launcher: { mode: 'sandbox' } });
    await expectError(await start(admin, await dialog()), 409, 'whatsapp_switched_off');

    expect((await platform(true)).status).toBe(200);
    const session = await dialog();
    expect(await (await start(admin, session)).json()).toMatchObject({ status: 'connected' });

    const off = await (await platform(false)).json();
    expect(off).toMatchObject({ whatsapp: { enabled: false, phone_number_id: session.phone_number_id } });
    expect(await (await admin.fetch('/api/v1/whatsapp/connection')).json()).toMatchObject({ status: 'off' });
    expect((await auditOf(company.id, 'whatsapp.settings_changed')).length).toBeGreaterThanOrEqual(2);
  });

  it('a further number under the company’s WABA joins the club asked for; another WABA is refused', async () => {
    const company = await makeCompany();
    const admin = await staffSession(company, 'admin');
    const leeds = await makeClub(company, 'Leeds');
    const session = await dialog({ waba_id: company.wabaId });
    const res = await start(admin, session, { club_id: leeds });
    expect(await res.json()).toMatchObject({ status: 'connected', club_id: leeds });
    const number = await getDb(env)
      .select()
      .from(whatsappNumbers)
      .where(eq(whatsappNumbers.phoneNumberId, session.phone_number_id))
      .get();
    expect(number).toMatchObject({ companyId: company.id, clubId: leeds, isFirst: false, disabledAt: null });
    // The company's first number and token are untouched.
    const row = await getDb(env).select().from(companies).where(eq(companies.id, company.id)).get();
    expect(row?.phoneNumberId).toBe(company.phoneNumberId);
    expect(await openToken(env, company.id, row?.accessTokenEnc ?? '')).toBe('test-access-token');

    await expectError(await start(admin, await dialog()), 409, 'waba_mismatch');
  });

  it('a number another company has is refused before anything reaches Meta', async () => {
    const other = await makeCompany();
    const { admin } = await newGym();
    const session = await dialog();
    await getDb(env)
      .update(whatsappNumbers)
      .set({ phoneNumberId: session.phone_number_id })
      .where(eq(whatsappNumbers.phoneNumberId, other.phoneNumberId));
    await expectError(await start(admin, session), 409, 'phone_number_taken');
    expect(await callsOf(session)).toEqual([]);
  });

  it('only admins connect: managers and API keys get 403; the code, token and PIN are never answered', async () => {
    const { company } = await newGym();
    const manager = await staffSession(company, 'manager');
    await expectError(await manager.fetch('/api/v1/whatsapp/signups'), 403, 'forbidden');
    const keyed = await makeCompany();
    await expectError(await api(keyed, 'GET', '/api/v1/whatsapp/signups'), 403, 'forbidden');

    const { admin } = await newGym();
    const session = await dialog();
    const body = await (await start(admin, session)).text();
    expect(body).not.toContain(session.code);
    expect(body).not.toContain('EAASandbox');
    const state = await (await admin.fetch('/api/v1/whatsapp/signups')).text();
    expect(state).not.toContain(session.code);
  });

  it('the stand-in dialog page runs only its own script, and its door is sandbox-only', async () => {
    const page = await exports.default.fetch(`${BASE}/sandbox/embedded-signup`);
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Security-Policy')).toContain("script-src 'self'");
    expect(page.headers.get('X-Frame-Options')).toBe('DENY');
    expect(await page.text()).toContain('/sandbox/embedded-signup.js');
  });
});
