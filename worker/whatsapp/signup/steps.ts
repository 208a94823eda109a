// Embedded Signup's Meta steps, one function each: what to call, and what a refusal means in words for the admin
// who is connecting. Each answers either the fields to store or a failure; none writes anything itself
// (service.ts stores the outcome under the signup's claim).
import { SIGNUP_CODE_TTL_MS, type SignupStep } from '#common/whatsapp-signup';
import { openToken, sealToken } from '../../auth/token-seal';
import { embeddedSignupConfig } from '../../config';
import type { whatsappSignups } from '../../db/schema';
import { metaApiFor } from '../meta';
import type { SignupCallError, SignupCallResult } from '../meta/signup-types';

export type SignupRow = typeof whatsappSignups.$inferSelect;
type SignupFields = Partial<typeof whatsappSignups.$inferInsert>;

export interface StepFailure {
  code: string;
  message: string;
  /** Meta said the code is spent (expired or used): forget it, so Resume is not offered for it. */
  codeSpent?: boolean;
}

export type StepOutcome = { ok: true; fields: SignupFields } | { ok: false; failure: StepFailure };

type Keys = Env;

/** Meta: "The token code has a time-to-live of 30 seconds"; an exchange after that can only fail. */
export const codeAlive = (row: SignupRow, now: number): boolean =>
  row.codeEnc !== null && row.codeExpiresAt !== null && row.codeExpiresAt > now;

/** A business token that does not expire has no expiry; one that does is good until then. */
export const tokenAlive = (row: SignupRow, now: number): boolean =>
  row.tokenEnc !== null && (row.tokenExpiresAt === null || row.tokenExpiresAt > now);

export const codeExpiresAt = (now: number): number => now + SIGNUP_CODE_TTL_MS;

const AGAIN = 'Connect with Facebook again to get a new one.';

/** Meta's refusal in words: what was being done, then Meta's own message and code for support. */
function refused(what: string, r: { error: SignupCallError; reached: boolean }): StepFailure {
  if (!r.reached)
    return {
      code: 'meta_unreachable',
      message: `Meta did not answer in time while ${what} (${r.error.title}). Nothing is lost: resume to try again.`,
    };
  const e = r.error;
  // Meta's token errors (190) mean the business token no longer works: only the dialog gives a new one.
  if (e.code === 190)
    return { code: 'token_invalid', message: `Meta no longer accepts the business token while ${what}. ${AGAIN}` };
  const said = (e.message ?? e.title).replace(/^\(#\d+\)\s*/, '');
  return { code: 'meta_refused', message: `Meta refused ${what}: ${said} (code ${e.code}). Resume to try again.` };
}

type StepRun = (env: Keys, row: SignupRow, now: number) => Promise<StepOutcome>;

async function businessToken(env: Keys, row: SignupRow, now: number): Promise<string | StepFailure> {
  if (!tokenAlive(row, now) || row.tokenEnc === null)
    return { code: 'token_expired', message: `The business token from Facebook has expired. ${AGAIN}` };
  return openToken(env, row.companyId, row.tokenEnc);
}

const fail = (failure: StepFailure): StepOutcome => ({ ok: false, failure });

const exchangeCode: StepRun = async (env, row, now) => {
  if (!codeAlive(row, now) || row.codeEnc === null)
    return fail({
      code: 'code_expired',
      message: `Facebook’s code lasts 30 seconds and ran out before it could be used. ${AGAIN}`,
    });
  const app = embeddedSignupConfig(env);
  if (!app) return fail({ code: 'signup_not_configured', message: 'Embedded Signup is not set up on this server.' });
  const code = await openToken(env, row.companyId, row.codeEnc);
  const r = await metaApiFor(env).exchangeCode({ appId: app.appId, appSecret: env.META_APP_SECRET }, code);
  if (!r.ok) {
    // OAuthException 100 with Meta's subcodes for a spent code.
    if (r.reached && r.error.subcode === 36007)
      return fail({
        code: 'code_expired',
        message: `Meta says Facebook’s code has expired. ${AGAIN}`,
        codeSpent: true,
      });
    if (r.reached && r.error.subcode === 36009)
      return fail({
        code: 'code_used',
        message: `Meta says Facebook’s code was already used. ${AGAIN}`,
        codeSpent: true,
      });
    return fail(refused('exchanging Facebook’s code for a business token', r));
  }
  const { accessToken, expiresInSeconds } = r.value;
  return {
    ok: true,
    fields: {
      tokenEnc: await sealToken(env, row.companyId, accessToken),
      tokenExpiresAt: expiresInSeconds === null ? null : now + expiresInSeconds * 1000,
      // Spent: a code is used once, and nothing reads it again.
      codeEnc: null,
      codeExpiresAt: null,
    },
  };
};

const registerNumber: StepRun = async (env, row, now) => {
  const token = await businessToken(env, row, now);
  if (typeof token !== 'string') return fail(token);
  if (row.pinEnc === null)
    return fail({ code: 'pin_missing', message: 'No two-step PIN for the number: resume with one.' });
  const pin = await openToken(env, row.companyId, row.pinEnc);
  const r = await metaApiFor(env).registerNumber({ phoneNumberId: row.phoneNumberId, accessToken: token }, pin);
  if (r.ok) return { ok: true, fields: {} };
  // 133005: the number already has a two-step verification PIN (set in WhatsApp Manager) and ours is not it.
  if (r.reached && r.error.code === 133005)
    return fail({
      code: 'pin_mismatch',
      message:
        'The number already has a two-step verification PIN, and Meta refused ours. Enter the number’s PIN (six digits, from WhatsApp Manager) and resume.',
    });
  return fail(refused('registering the number for the Cloud API', r));
};

const subscribeApp: StepRun = async (env, row, now) => {
  const token = await businessToken(env, row, now);
  if (typeof token !== 'string') return fail(token);
  const r = await metaApiFor(env).subscribeApp(row.wabaId, token);
  return r.ok ? { ok: true, fields: {} } : fail(refused('subscribing ClubChat to the account’s messages', r));
};

const fetchNumber: StepRun = async (env, row, now) => {
  const token = await businessToken(env, row, now);
  if (typeof token !== 'string') return fail(token);
  const r: SignupCallResult<{ displayPhoneNumber: string; verifiedName: string | null }> = await metaApiFor(
    env,
  ).phoneNumberInfo({ phoneNumberId: row.phoneNumberId, accessToken: token });
  if (!r.ok) return fail(refused('reading the number’s details', r));
  return {
    ok: true,
    fields: { displayPhoneNumber: r.value.displayPhoneNumber, verifiedName: r.value.verifiedName },
  };
};

/** The Meta steps; `connect` is D1 only (connect.ts). */
export const META_STEPS: Record<Exclude<SignupStep, 'connect'>, StepRun> = {
  exchange_code: exchangeCode,
  register_number: registerNumber,
  subscribe_app: subscribeApp,
  fetch_number: fetchNumber,
};
