// Platform admin operations as plain functions: the admin routes and the company's own settings routes call
// these. Every change writes its audit entry in the same batch, as whoever asked (`by`): the platform admin or
// one of the company's admins.
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { type AuditBy, auditRow, auditRowIf } from '../audit/record';
import { hashPassword, sha256Hex } from '../auth/crypto';
import { sealToken } from '../auth/token-seal';
import type { Db } from '../db/client';
import { companyDb } from '../db/company-data';
import { isUniqueViolation } from '../db/errors';
import { apiKeys, auditLog, companies, users } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId, randomToken } from '../ids';
import { phoneCountry } from '../people/phone';
import type { CompanyCreateInput, UserCreateInput, WhatsappConfigInput } from './schemas';
import { canonicalTimezone } from './timezone';

export type CompanyRow = typeof companies.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type UserRow = typeof users.$inferSelect;

export const API_KEY_PREFIX = 'cc_live_';
// "cc_live_" plus four random characters: enough to tell keys apart in a list, far too little to guess one.
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 4;

export const PHONE_NUMBER_TAKEN = new ApiError(
  409,
  'phone_number_taken',
  'That phone_number_id is already connected (Meta delivers each number to one place)',
);

export async function getCompany(db: Db, id: string): Promise<CompanyRow> {
  const row = await db.select().from(companies).where(eq(companies.id, id)).get();
  if (!row) throw notFound('Company');
  return row;
}

/** A new company; WhatsApp stays off until configureWhatsapp switches it on. */
export async function createCompany(db: Db, input: CompanyCreateInput): Promise<CompanyRow> {
  const timezone = canonicalTimezone(input.timezone);
  if (!timezone)
    throw new ApiError(422, 'validation_failed', 'timezone: must be an IANA time zone such as Europe/London');
  const row = await db
    .insert(companies)
    .values({
      id: newId('com'),
      name: input.name,
      timezone,
      country: input.country === undefined ? null : (phoneCountry(input.country) ?? null),
      whatsappEnabled: false,
    })
    .returning()
    .get();
  return row;
}

/**
 * Sets the company's Meta WhatsApp number. The access token is sealed with DATA_ENCRYPTION_KEY (AES-GCM,
 * auth/crypto.ts) and never read back by any route; leaving it out keeps the stored one. A phone number id
 * routes inbound webhooks to exactly one company, hence 409 `phone_number_taken` when another company has it.
 */
export async function configureWhatsapp(
  env: Pick<Env, 'DB' | 'DATA_ENCRYPTION_KEY' | 'DATA_ENCRYPTION_KEY_PREVIOUS'>,
  companyId: string,
  input: WhatsappConfigInput,
  by: AuditBy,
): Promise<CompanyRow> {
  const db = companyDb(env, companyId);
  const current = await getCompany(db, companyId);
  if (input.enabled && !input.access_token && !current.accessTokenEnc)
    throw new ApiError(422, 'access_token_required', 'access_token is required to enable WhatsApp');
  const sealed = input.access_token ? await sealToken(env, companyId, input.access_token) : undefined;
  const changed = settingsChanges(current, input);
  const update = db
    .update(companies)
    .set({
      whatsappEnabled: input.enabled,
      // The platform's switch (0027): off keeps a company admin's Embedded Signup from switching it back on.
      whatsappSwitchedOffAt: input.enabled ? null : (current.whatsappSwitchedOffAt ?? Date.now()),
      wabaId: input.waba_id,
      phoneNumberId: input.phone_number_id,
      displayPhoneNumber: input.display_phone_number,
      ...(sealed ? { accessTokenEnc: sealed } : {}),
      ...(input.messages_per_second !== undefined ? { messagesPerSecond: input.messages_per_second } : {}),
    })
    .where(eq(companies.id, companyId))
    .returning();
  try {
    const [rows] =
      Object.keys(changed).length === 0
        ? [await update]
        : await db.batch([
            update,
            db.insert(auditLog).values(
              auditRow(companyId, by, {
                action: 'whatsapp.settings_changed',
                target: { type: 'company', id: companyId },
                details: { changed },
              }),
            ),
          ]);
    const row = rows[0];
    if (!row) throw notFound('Company');
    return row;
  } catch (err) {
    // The company row's, or the numbers table's (the first number's row, kept by a trigger in the same statement).
    if (
      isUniqueViolation(err, 'companies.phone_number_id') ||
      isUniqueViolation(err, 'whatsapp_numbers.phone_number_id')
    )
      throw PHONE_NUMBER_TAKEN;
    throw err;
  }
}

/**
 * The platform admin's switch alone (PATCH /api/admin/companies/{id}/whatsapp), whoever connected the number (they,
 * or the company's admin with Embedded Signup). Off: nothing is sent and a signup is refused until it is switched
 * on again. On: WhatsApp works again if a number and token are connected (else once a signup connects one).
 */
export async function switchWhatsapp(
  env: Pick<Env, 'DB'>,
  companyId: string,
  enabled: boolean,
  by: AuditBy,
): Promise<CompanyRow> {
  const db = companyDb(env, companyId);
  const current = await getCompany(db, companyId);
  const configured = current.phoneNumberId !== null && current.accessTokenEnc !== null;
  const next = { whatsappEnabled: enabled && configured, whatsappSwitchedOffAt: enabled ? null : Date.now() };
  const update = db.update(companies).set(next).where(eq(companies.id, companyId)).returning();
  if (current.whatsappEnabled === next.whatsappEnabled && (current.whatsappSwitchedOffAt === null) === enabled) {
    const [row] = await update;
    return row ?? current;
  }
  const [rows] = await db.batch([
    update,
    db.insert(auditLog).values(
      auditRow(companyId, by, {
        action: 'whatsapp.settings_changed',
        target: { type: 'company', id: companyId },
        details: {
          changed: { enabled: { from: current.whatsappEnabled, to: next.whatsappEnabled } },
          switched_off: !enabled,
        },
      }),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound('Company');
  return row;
}

/**
 * What a WhatsApp configuration changes, field by field. The access token is never written down: only that a
 * new one was set (we cannot tell whether it is the same token without opening the old one).
 */
function settingsChanges(current: CompanyRow, input: WhatsappConfigInput): Record<string, unknown> {
  const changed: Record<string, unknown> = {};
  const compare = (key: string, from: unknown, to: unknown) => {
    if (from !== to) changed[key] = { from, to };
  };
  compare('enabled', current.whatsappEnabled, input.enabled);
  compare('waba_id', current.wabaId, input.waba_id);
  compare('phone_number_id', current.phoneNumberId, input.phone_number_id);
  compare('display_phone_number', current.displayPhoneNumber, input.display_phone_number);
  if (input.messages_per_second !== undefined)
    compare('messages_per_second', current.messagesPerSecond, input.messages_per_second);
  if (input.access_token) changed.access_token = current.accessTokenEnc ? 'replaced' : 'set';
  return changed;
}

/** A new API key; the plain key is returned this once and only its SHA-256 is stored. */
export async function createApiKey(
  db: Db,
  companyId: string,
  name: string,
  by: AuditBy,
): Promise<{ row: ApiKeyRow; key: string }> {
  await getCompany(db, companyId);
  const key = `${API_KEY_PREFIX}${randomToken(40)}`;
  const id = newId('key');
  const prefix = key.slice(0, DISPLAY_PREFIX_LENGTH);
  const [rows] = await db.batch([
    db
      .insert(apiKeys)
      .values({ id, companyId, name, keyHash: await sha256Hex(key), prefix })
      .returning(),
    // The prefix tells keys apart in the list and is far too short to guess one; the key itself is never logged.
    db.insert(auditLog).values(
      auditRow(companyId, by, {
        action: 'api_key.created',
        target: { type: 'api_key', id },
        details: { name, prefix },
      }),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound('API key');
  return { row, key };
}

/** A staff user. Emails are stored lower-cased: login is by email alone, across all companies. */
export async function createUser(db: Db, companyId: string, input: UserCreateInput, by: AuditBy): Promise<UserRow> {
  await getCompany(db, companyId);
  const id = newId('usr');
  const email = input.email.trim().toLowerCase();
  try {
    const [rows] = await db.batch([
      db
        .insert(users)
        .values({
          id,
          companyId,
          email,
          name: input.name,
          role: input.role,
          passwordHash: await hashPassword(input.password),
        })
        .returning(),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'user.created',
          target: { type: 'user', id },
          details: { email, name: input.name, role: input.role },
        }),
      ),
    ]);
    const row = rows[0];
    if (!row) throw notFound('User');
    return row;
  } catch (err) {
    if (isUniqueViolation(err, 'users.email'))
      throw new ApiError(409, 'email_taken', 'A user with that email already exists');
    throw err;
  }
}

export async function listApiKeys(db: Db, companyId: string): Promise<ApiKeyRow[]> {
  await getCompany(db, companyId);
  return db.select().from(apiKeys).where(eq(apiKeys.companyId, companyId)).orderBy(desc(apiKeys.createdAt)).all();
}

/**
 * Revokes a key: requireApiKey looks keys up on every request, so it answers 401 from the next request on.
 * Revoking a revoked key changes nothing and logs nothing.
 */
export async function revokeApiKey(
  db: Db,
  companyId: string,
  keyId: string,
  by: AuditBy,
  now = Date.now(),
): Promise<void> {
  const where = and(eq(apiKeys.companyId, companyId), eq(apiKeys.id, keyId));
  const key = await db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
    .from(apiKeys)
    .where(where)
    .get();
  if (!key) throw notFound('API key');
  const live = and(where, isNull(apiKeys.revokedAt));
  await db.batch([
    // Before the update, under its condition.
    auditRowIf(
      db,
      companyId,
      by,
      {
        action: 'api_key.revoked',
        target: { type: 'api_key', id: keyId },
        details: { name: key.name, prefix: key.prefix },
      },
      sql`EXISTS (SELECT 1 FROM ${apiKeys} WHERE ${live})`,
      now,
    ),
    db.update(apiKeys).set({ revokedAt: now }).where(live),
  ]);
}
