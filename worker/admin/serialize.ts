import type { z } from '@hono/zod-openapi';
import type { apiKeys, companies, users } from '../db/schema';
import { DEFAULT_MESSAGES_PER_SECOND } from '../whatsapp/automations/pacer';
import type { apiKeyCreatedSchema, apiKeySchema, companySchema, userSchema } from './schemas';

const iso = (ms: number): string => new Date(ms).toISOString();

/** The company without its encrypted token: only `access_token_set` says whether one is stored. */
export function serializeCompany(c: typeof companies.$inferSelect): z.infer<typeof companySchema> {
  return {
    id: c.id,
    name: c.name,
    timezone: c.timezone,
    country: c.country,
    whatsapp: {
      enabled: c.whatsappEnabled,
      waba_id: c.wabaId,
      phone_number_id: c.phoneNumberId,
      display_phone_number: c.displayPhoneNumber,
      access_token_set: c.accessTokenEnc !== null,
      messages_per_second: c.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND,
    },
    created_at: iso(c.createdAt),
  };
}

/** Without the password hash. */
export function serializeUser(u: typeof users.$inferSelect): z.infer<typeof userSchema> {
  return {
    id: u.id,
    company_id: u.companyId,
    email: u.email,
    name: u.name,
    role: u.role,
    created_at: iso(u.createdAt),
  };
}

export function serializeApiKeyCreated(
  k: typeof apiKeys.$inferSelect,
  key: string,
): z.infer<typeof apiKeyCreatedSchema> {
  return { id: k.id, name: k.name, prefix: k.prefix, key, created_at: iso(k.createdAt) };
}

export function serializeApiKey(k: typeof apiKeys.$inferSelect): z.infer<typeof apiKeySchema> {
  return {
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    created_at: iso(k.createdAt),
    revoked_at: k.revokedAt === null ? null : iso(k.revokedAt),
  };
}
