// Platform admin operations as plain functions: the admin routes and the seed script both call these.
import { and, desc, eq, isNull } from 'drizzle-orm';
import { hashPassword, sha256Hex } from '../auth/crypto';
import { sealToken } from '../auth/token-seal';
import { type Db, getDb } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { apiKeys, companies, users } from '../db/schema';
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
): Promise<CompanyRow> {
  const db = getDb(env);
  const current = await getCompany(db, companyId);
  if (input.enabled && !input.access_token && !current.accessTokenEnc)
    throw new ApiError(422, 'access_token_required', 'access_token is required to enable WhatsApp');
  const sealed = input.access_token ? await sealToken(env, companyId, input.access_token) : undefined;
  try {
    return await db
      .update(companies)
      .set({
        whatsappEnabled: input.enabled,
        wabaId: input.waba_id,
        phoneNumberId: input.phone_number_id,
        displayPhoneNumber: input.display_phone_number,
        ...(sealed ? { accessTokenEnc: sealed } : {}),
        ...(input.messages_per_second !== undefined ? { messagesPerSecond: input.messages_per_second } : {}),
      })
      .where(eq(companies.id, companyId))
      .returning()
      .get();
  } catch (err) {
    if (isUniqueViolation(err, 'companies.phone_number_id'))
      throw new ApiError(409, 'phone_number_taken', 'That phone_number_id belongs to another company');
    throw err;
  }
}

/** A new API key; the plain key is returned this once and only its SHA-256 is stored. */
export async function createApiKey(db: Db, companyId: string, name: string): Promise<{ row: ApiKeyRow; key: string }> {
  await getCompany(db, companyId);
  const key = `${API_KEY_PREFIX}${randomToken(40)}`;
  const row = await db
    .insert(apiKeys)
    .values({
      id: newId('key'),
      companyId,
      name,
      keyHash: await sha256Hex(key),
      prefix: key.slice(0, DISPLAY_PREFIX_LENGTH),
    })
    .returning()
    .get();
  return { row, key };
}

/** A staff user. Emails are stored lower-cased: login is by email alone, across all companies. */
export async function createUser(db: Db, companyId: string, input: UserCreateInput): Promise<UserRow> {
  await getCompany(db, companyId);
  try {
    return await db
      .insert(users)
      .values({
        id: newId('usr'),
        companyId,
        email: input.email.trim().toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash: await hashPassword(input.password),
      })
      .returning()
      .get();
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

/** Revokes a key: requireApiKey looks keys up on every request, so it answers 401 from the next request on. */
export async function revokeApiKey(db: Db, companyId: string, keyId: string, now = Date.now()): Promise<void> {
  const where = and(eq(apiKeys.companyId, companyId), eq(apiKeys.id, keyId));
  const key = await db.select({ id: apiKeys.id }).from(apiKeys).where(where).get();
  if (!key) throw notFound('API key');
  await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(where, isNull(apiKeys.revokedAt)));
}
