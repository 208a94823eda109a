// Platform admin requests and responses. Bodies are strict: a misspelt field is a 422, never silently dropped.
import { z } from '@hono/zod-openapi';
import { ROLES } from '../auth/actor';
import { phoneCountry } from '../people/phone';
import { canonicalTimezone } from './timezone';

export const companyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Anytime Gym Leeds' }),
    timezone: z
      .string()
      .refine((tz) => canonicalTimezone(tz) !== null, 'must be an IANA time zone such as Europe/London')
      .openapi({ example: 'Europe/London' }),
    // Numbers staff type without a country code ("07412 345678") are read as this country's.
    country: z
      .string()
      .refine((c) => phoneCountry(c) !== undefined, 'must be an ISO 3166-1 alpha-2 country code such as GB')
      .optional()
      .openapi({ example: 'GB' }),
  })
  .strict();

export const displayPhoneNumber = z
  .string()
  .regex(/^\+?\d[\d ()-]{3,38}\d$/, 'a phone number: digits, spaces, brackets and dashes')
  .openapi({ example: '15550783881' });

export const META_ID = /^\d{1,32}$/;

export const whatsappConfigSchema = z
  .object({
    enabled: z.boolean(),
    // Meta's ids are digits; anything else (spaces, control characters, emoji) is a paste gone wrong.
    waba_id: z.string().regex(META_ID, 'digits only, as Meta shows it').openapi({ example: '102290129340398' }),
    phone_number_id: z.string().regex(META_ID, 'digits only, as Meta shows it').openapi({ example: '106540352242922' }),
    display_phone_number: displayPhoneNumber,
    // Optional so the other fields can be changed without handling the secret again; kept when omitted.
    access_token: z.string().trim().min(1).max(2000).optional(),
    // Meta's throughput tier for the number (130429 beyond it): 80 by default, up to 1,000 after an upgrade.
    // Automated items pace their sends to it. Optional; kept when omitted, null goes back to the default.
    messages_per_second: z.number().int().min(1).max(1000).nullable().optional().openapi({ example: 80 }),
  })
  .strict();

/** The platform's switch alone: off stops the company's WhatsApp and refuses its admins' Embedded Signup. */
export const whatsappSwitchSchema = z.object({ enabled: z.boolean() }).strict();

export const apiKeyCreateSchema = z.object({ name: z.string().trim().min(1).max(100) }).strict();

/** auth/actor.ts's list: a salesperson sees only their own people and unowned leads (#common/scope). */
export const USER_ROLES = ROLES;

export const userCreateSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(200),
    role: z.enum(USER_ROLES),
    // 10 characters minimum; the upper bound keeps PBKDF2 work per request bounded.
    password: z.string().min(10).max(200),
  })
  .strict();

export type CompanyCreateInput = z.infer<typeof companyCreateSchema>;
export type WhatsappConfigInput = z.infer<typeof whatsappConfigSchema>;
export type UserCreateInput = z.infer<typeof userCreateSchema>;

export const companySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    timezone: z.string(),
    country: z.string().nullable(),
    whatsapp: z.object({
      enabled: z.boolean(),
      waba_id: z.string().nullable(),
      phone_number_id: z.string().nullable(),
      display_phone_number: z.string().nullable(),
      // The token itself is never returned, only whether one is stored.
      access_token_set: z.boolean(),
      messages_per_second: z.number().int(),
    }),
    created_at: z.string(),
  })
  .openapi('AdminCompany');

export const apiKeyCreatedSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    key: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
    created_at: z.string(),
  })
  .openapi('AdminApiKeyCreated');

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
    created_at: z.string(),
    revoked_at: z.string().nullable(),
  })
  .openapi('AdminApiKey');

export const apiKeyListSchema = z.object({ collection: z.array(apiKeySchema) }).openapi('AdminApiKeyList');

export const userSchema = z
  .object({
    id: z.string(),
    company_id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    created_at: z.string(),
  })
  .openapi('AdminUser');

export const companyIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'com_0123456789abcdefghjk' }),
});

export const apiKeyParams = companyIdParams.extend({
  key_id: z.string().openapi({ param: { name: 'key_id', in: 'path' }, example: 'key_0123456789abcdefghjk' }),
});
