// Company settings for the staff app (admins): staff users, API keys, and the WhatsApp connection (read-only).
// The user and key shapes reuse the platform admin's, under their own names in the company OpenAPI document.
import { z } from '@hono/zod-openapi';
import { apiKeyCreatedSchema, apiKeyCreateSchema, apiKeySchema, USER_ROLES, userCreateSchema } from '../admin/schemas';

export const companyUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    club_ids: z.array(z.string()).nullable().openapi({
      description: "The clubs the user is limited to: they see only those clubs' people; null: every club",
    }),
    active: z.boolean().openapi({ description: 'False once an admin deactivated the user: no login, no sessions' }),
    deactivated_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('CompanyUser');

export const companyUserListSchema = z.object({ collection: z.array(companyUserSchema) }).openapi('CompanyUserList');

/**
 * The clubs a user may see: club ids of the company (422 `unknown_club`), or null (or an empty list) for every
 * club. An admin limited to clubs may give only clubs of their own.
 */
const clubIdsInput = z
  .array(z.string().min(1).max(64))
  // A user's scope rides on their live sockets' attachments (realtime/company-inbox.ts), which hold 2 KB.
  .max(50)
  .nullable()
  .optional()
  .openapi({
    description:
      "Limit the user to these clubs (they see only those clubs' people, chats, history and usage); null or [] " +
      'for every club. Each must be a club of the company (422 `unknown_club`).',
    example: ['clb_0123456789abcdefghjk'],
  });

/** An admin creates the login with a first password and tells the person (there is no email sending yet). */
export const companyUserCreateSchema = userCreateSchema
  .extend({ club_ids: clubIdsInput })
  .strict()
  .openapi('CompanyUserCreate');

export const companyUserUpdateSchema = z
  .object({
    role: z.enum(USER_ROLES).optional(),
    club_ids: clubIdsInput,
    active: z.boolean().optional().openapi({ description: 'false deactivates (sessions end at once), true restores' }),
    name: userCreateSchema.shape.name.optional(),
    email: userCreateSchema.shape.email
      .optional()
      .openapi({ description: 'The login; unique across ClubChat (409 `email_taken`)' }),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send role, club_ids, active, name or email')
  .openapi('CompanyUserUpdate');

export const userIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'usr_0123456789abcdefghjk' }),
});

export const companyApiKeyCreateSchema = apiKeyCreateSchema.openapi('ApiKeyCreate');
export const companyApiKeySchema = apiKeySchema.openapi('ApiKey');
export const companyApiKeyCreatedSchema = apiKeyCreatedSchema.openapi('ApiKeyCreated');
export const companyApiKeyListSchema = z.object({ collection: z.array(companyApiKeySchema) }).openapi('ApiKeyList');

export const apiKeyIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'key_0123456789abcdefghjk' }),
});

export const WHATSAPP_CONNECTION_STATUSES = ['connected', 'off', 'not_configured'] as const;

export const whatsappConnectionSchema = z
  .object({
    status: z.enum(WHATSAPP_CONNECTION_STATUSES).openapi({
      description:
        '`connected`: on, with a number and token; `off`: no number connected yet (an admin connects one with Facebook), or the platform admin switched WhatsApp off; ' +
        '`not_configured`: on, but the number or token is missing',
    }),
    display_phone_number: z.string().nullable(),
    phone_number_id: z.string().nullable(),
    waba_id: z.string().nullable(),
    messages_per_second: z.number().int(),
  })
  .openapi('WhatsappConnection');

export type CompanyUserJson = z.infer<typeof companyUserSchema>;
export type CompanyUserUpdate = z.infer<typeof companyUserUpdateSchema>;
export type CompanyUserCreate = z.infer<typeof companyUserCreateSchema>;
export type WhatsappConnectionJson = z.infer<typeof whatsappConnectionSchema>;
