// Embedded Signup on the server: a company admin's code and ids from Meta's dialog become a connected number,
// step by step (steps.ts, connect.ts). The signup row holds the progress, so a failed step is resumed where it
// stopped; a claim on the row (one request at a time) keeps two tabs or a double tap from running a step twice.
import { and, desc, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { SIGNUP_STEPS, type SignupStep } from '#common/whatsapp-signup';
import { getCompany } from '../../admin/service';
import { type AuditBy, auditRow } from '../../audit/record';
import { sealToken } from '../../auth/token-seal';
import { requireClub } from '../../clubs/service';
import { embeddedSignupConfig, sandboxEnabled } from '../../config';
import { platformDb } from '../../db/client';
import { companyDb } from '../../db/company-data';
import { auditLog, whatsappNumbers, whatsappSignups } from '../../db/schema';
import { ApiError, notFound } from '../../errors';
import { randomToken } from '../../ids';
import { connectNumber } from './connect';
import type { SignupJson, SignupResumeInput, SignupStartInput, SignupStateJson } from './schemas';
import { codeAlive, codeExpiresAt, META_STEPS, type SignupRow, type StepFailure, tokenAlive } from './steps';

/** Four Meta calls under META_TIMEOUT_MS (10 s) each, and the D1 batch: a claim outlives any honest run. */
const CLAIM_MS = 60_000;

const IN_PROGRESS = new ApiError(
  409,
  'signup_in_progress',
  'This signup is running already (another tab or a double tap); wait for it to finish',
);

/** Where the simulator's stand-in for Facebook's popup lives (worker/sandbox/signup-routes.ts). */
const SANDBOX_DIALOG_URL = '/sandbox/embedded-signup';

const graphVersion = (env: Env): string => env.META_GRAPH_URL.match(/\/(v\d+\.\d+)/)?.[1] ?? 'v23.0';

const newSignupId = (): string => `wsu_${randomToken(20)}`;

/** Six random digits for the number's two-step verification PIN (Meta keeps it; ClubChat keeps it sealed). */
function newPin(): string {
  const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
  return String(n % 1_000_000).padStart(6, '0');
}

export function serializeSignup(row: SignupRow, now = Date.now()): SignupJson {
  const at = row.step === 'done' ? SIGNUP_STEPS.length : SIGNUP_STEPS.indexOf(row.step);
  const steps = SIGNUP_STEPS.map((name, i) => ({
    name,
    state:
      i < at
        ? ('done' as const)
        : i > at
          ? ('pending' as const)
          : row.status === 'failed'
            ? ('failed' as const)
            : row.status === 'running'
              ? ('running' as const)
              : ('pending' as const),
  }));
  const failedStep = row.step === 'done' ? null : row.step;
  return {
    id: row.id,
    status: row.status,
    waba_id: row.wabaId,
    phone_number_id: row.phoneNumberId,
    display_phone_number: row.displayPhoneNumber,
    verified_name: row.verifiedName,
    club_id: row.clubId,
    steps,
    error:
      row.status === 'failed' && failedStep && row.errorCode
        ? { step: failedStep, code: row.errorCode, message: row.errorMessage ?? row.errorCode }
        : null,
    resumable: row.status === 'failed' && resumable(row, now),
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

/** Resume needs no dialog while the step's credential lives: the code for the exchange, the token after it. */
function resumable(row: SignupRow, now: number): boolean {
  if (row.step === 'done') return false;
  if (row.step === 'exchange_code') return codeAlive(row, now);
  return tokenAlive(row, now);
}

export async function signupState(env: Env, companyId: string): Promise<SignupStateJson> {
  const db = companyDb(env, companyId);
  const company = await getCompany(db, companyId);
  const latest = await db
    .select()
    .from(whatsappSignups)
    .where(and(eq(whatsappSignups.companyId, companyId), ne(whatsappSignups.status, 'abandoned')))
    .orderBy(desc(whatsappSignups.createdAt))
    .limit(1)
    .get();
  const app = embeddedSignupConfig(env);
  const sandbox = sandboxEnabled(env);
  return {
    launcher: app
      ? {
          mode: sandbox ? 'sandbox' : 'facebook',
          app_id: app.appId,
          config_id: app.configId,
          graph_version: graphVersion(env),
          dialog_url: sandbox ? SANDBOX_DIALOG_URL : null,
        }
      : null,
    switched_off: company.whatsappSwitchedOffAt !== null,
    waba_id: company.wabaId,
    latest: latest ? serializeSignup(latest) : null,
  };
}

export async function getSignup(env: Env, companyId: string, id: string): Promise<SignupRow> {
  const row = await companyDb(env, companyId)
    .select()
    .from(whatsappSignups)
    .where(and(eq(whatsappSignups.companyId, companyId), eq(whatsappSignups.id, id)))
    .get();
  if (!row) throw notFound('Signup');
  return row;
}

/** Meta's dialog finished: record the signup (code, ids, a PIN) and run its steps. */
export async function startSignup(
  env: Env,
  companyId: string,
  userId: string,
  input: SignupStartInput,
  by: AuditBy,
): Promise<SignupRow> {
  if (!embeddedSignupConfig(env))
    throw new ApiError(
      503,
      'signup_not_configured',
      'Embedded Signup is not set up: META_APP_ID and META_ES_CONFIG_ID',
    );
  const db = companyDb(env, companyId);
  const company = await getCompany(db, companyId);
  if (company.whatsappSwitchedOffAt !== null)
    throw new ApiError(
      409,
      'whatsapp_switched_off',
      'ClubChat’s platform admin has switched WhatsApp off for this gym; ask them to switch it back on',
    );
  if (company.wabaId !== null && company.wabaId !== input.waba_id)
    throw new ApiError(
      409,
      'waba_mismatch',
      `This gym’s numbers are under WhatsApp Business Account ${company.wabaId}: pick that account in Facebook’s dialog`,
    );
  // A courtesy before any Meta call; the unique index on phone_number_id decides at the connect step.
  const elsewhere = await platformDb(env)
    .select({ companyId: whatsappNumbers.companyId })
    .from(whatsappNumbers)
    .where(eq(whatsappNumbers.phoneNumberId, input.phone_number_id))
    .get();
  if (elsewhere && elsewhere.companyId !== companyId)
    throw new ApiError(409, 'phone_number_taken', 'This number is already connected to another ClubChat account');
  const furtherNumber = company.phoneNumberId !== null && company.phoneNumberId !== input.phone_number_id;
  if (input.club_id !== undefined && furtherNumber) await requireClub(db, companyId, input.club_id);

  const now = Date.now();
  const claim = randomToken(24);
  const row: SignupRow = {
    id: newSignupId(),
    companyId,
    clubId: furtherNumber ? (input.club_id ?? null) : null,
    startedBy: userId,
    wabaId: input.waba_id,
    phoneNumberId: input.phone_number_id,
    businessId: input.business_id ?? null,
    step: 'exchange_code',
    status: 'running',
    codeEnc: await sealToken(env, companyId, input.code),
    codeExpiresAt: codeExpiresAt(now),
    tokenEnc: null,
    tokenExpiresAt: null,
    pinEnc: await sealToken(env, companyId, input.pin ?? newPin()),
    displayPhoneNumber: null,
    verifiedName: null,
    errorCode: null,
    errorMessage: null,
    claim,
    claimedUntil: now + CLAIM_MS,
    createdAt: now,
    updatedAt: now,
  };
  const running = and(
    eq(whatsappSignups.companyId, companyId),
    eq(whatsappSignups.status, 'running'),
    sql`${whatsappSignups.claimedUntil} >= ${now}`,
  );
  if (await db.select({ id: whatsappSignups.id }).from(whatsappSignups).where(running).get()) throw IN_PROGRESS;
  await db.batch([
    // A new dialog replaces what an earlier signup left unfinished: its code is spent and its token is not needed.
    db
      .update(whatsappSignups)
      .set({
        status: 'abandoned',
        codeEnc: null,
        tokenEnc: null,
        pinEnc: null,
        claim: null,
        claimedUntil: null,
        updatedAt: now,
      })
      .where(and(eq(whatsappSignups.companyId, companyId), inArray(whatsappSignups.status, ['running', 'failed']))),
    db.insert(whatsappSignups).values(row),
    db.insert(auditLog).values(
      auditRow(
        companyId,
        by,
        {
          action: 'whatsapp.signup_started',
          target: { type: 'company', id: companyId },
          details: { signup_id: row.id, waba_id: row.wabaId, phone_number_id: row.phoneNumberId },
        },
        now,
      ),
    ),
  ]);
  return runSteps(env, row, claim, by);
}

/** Continues a failed signup from its failed step, without Meta's dialog. */
export async function resumeSignup(
  env: Env,
  companyId: string,
  id: string,
  input: SignupResumeInput,
  by: AuditBy,
): Promise<SignupRow> {
  const db = companyDb(env, companyId);
  const current = await getSignup(env, companyId, id);
  const now = Date.now();
  if (current.status === 'connected' || current.status === 'abandoned')
    throw new ApiError(
      409,
      'signup_finished',
      current.status === 'connected'
        ? 'This signup has connected its number already'
        : 'A newer signup replaced this one',
    );
  if (current.status === 'failed' && !resumable(current, now))
    throw new ApiError(
      409,
      current.step === 'exchange_code' ? 'code_expired' : 'token_expired',
      current.step === 'exchange_code'
        ? 'Facebook’s code lasts 30 seconds and has run out: connect with Facebook again'
        : 'The business token from Facebook has expired: connect with Facebook again',
    );
  const claim = randomToken(24);
  const pinEnc = input.pin ? await sealToken(env, companyId, input.pin) : undefined;
  // The claim is the statement's own condition: of two resumes at once, one gets the row, the other nothing.
  const claimed = await db
    .update(whatsappSignups)
    .set({ status: 'running', claim, claimedUntil: now + CLAIM_MS, updatedAt: now, ...(pinEnc ? { pinEnc } : {}) })
    .where(
      and(
        eq(whatsappSignups.companyId, companyId),
        eq(whatsappSignups.id, id),
        inArray(whatsappSignups.status, ['running', 'failed']),
        or(isNull(whatsappSignups.claimedUntil), lt(whatsappSignups.claimedUntil, now)),
      ),
    )
    .returning()
    .get();
  if (!claimed) throw IN_PROGRESS;
  return runSteps(env, claimed, claim, by);
}

/** Runs from the row's step to the end, storing each step's outcome under the claim; stops at the first failure. */
async function runSteps(env: Env, start: SignupRow, claim: string, by: AuditBy): Promise<SignupRow> {
  const db = companyDb(env, start.companyId);
  let row = start;
  while (row.step !== 'done') {
    const step: SignupStep = row.step;
    const now = Date.now();
    if (step === 'connect') {
      const connected = await connectNumber(env, row, claim, by, now);
      if (connected.ok) return connected.row;
      return failStep(env, row, claim, step, connected.failure, by);
    }
    const outcome = await META_STEPS[step](env, row, now);
    if (!outcome.ok) return failStep(env, row, claim, step, outcome.failure, by);
    const next = SIGNUP_STEPS[SIGNUP_STEPS.indexOf(step) + 1] ?? 'done';
    const saved = await db
      .update(whatsappSignups)
      .set({ ...outcome.fields, step: next, updatedAt: Date.now() })
      .where(and(eq(whatsappSignups.id, row.id), eq(whatsappSignups.claim, claim)))
      .returning()
      .get();
    if (!saved) throw IN_PROGRESS;
    row = saved;
  }
  return row;
}

async function failStep(
  env: Env,
  row: SignupRow,
  claim: string,
  step: SignupStep,
  failure: StepFailure,
  by: AuditBy,
): Promise<SignupRow> {
  const db = companyDb(env, row.companyId);
  const now = Date.now();
  const [rows] = await db.batch([
    db
      .update(whatsappSignups)
      .set({
        status: 'failed',
        errorCode: failure.code,
        errorMessage: failure.message,
        ...(failure.codeSpent ? { codeEnc: null, codeExpiresAt: null } : {}),
        claim: null,
        claimedUntil: null,
        updatedAt: now,
      })
      .where(and(eq(whatsappSignups.id, row.id), eq(whatsappSignups.claim, claim)))
      .returning(),
    db.insert(auditLog).values(
      auditRow(
        row.companyId,
        by,
        {
          action: 'whatsapp.signup_failed',
          target: { type: 'company', id: row.companyId },
          details: { signup_id: row.id, step, code: failure.code },
        },
        now,
      ),
    ),
  ]);
  const failed = rows[0];
  if (!failed) throw IN_PROGRESS;
  return failed;
}
