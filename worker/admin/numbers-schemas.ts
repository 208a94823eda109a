// The platform admin's WhatsApp numbers per company: each number belongs to one club, all under the company's
// WABA. Bodies are strict like every admin write.
import { z } from '@hono/zod-openapi';
import { companyIdParams, displayPhoneNumber, META_ID } from './schemas';

export const numberCreateSchema = z
  .object({
    club_id: z.string().min(1).max(64).openapi({ example: 'clb_0123456789abcdefghjk' }),
    phone_number_id: z.string().regex(META_ID, 'digits only, as Meta shows it').openapi({ example: '106540352242923' }),
    display_phone_number: displayPhoneNumber,
    // The company's token serves every number of its WABA; a number may carry its own. Never returned.
    access_token: z.string().trim().min(1).max(2000).optional(),
    messages_per_second: z.number().int().min(1).max(1000).nullable().optional().openapi({ example: 80 }),
  })
  .strict();

export const numberUpdateSchema = z
  .object({
    /** false: the number sends nothing (people it served are answered from their club's other numbers). */
    enabled: z.boolean().optional(),
    club_id: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((v) => v.enabled !== undefined || v.club_id !== undefined, 'send enabled, club_id or both');

export const numberSchema = z
  .object({
    id: z.string(),
    club_id: z.string(),
    phone_number_id: z.string(),
    display_phone_number: z.string().nullable(),
    /** Whether this number has a token of its own (else the company's serves it). */
    access_token_set: z.boolean(),
    messages_per_second: z.number().int().nullable(),
    /** The company's first number: the one PUT /api/admin/companies/{id}/whatsapp sets. */
    first: z.boolean(),
    enabled: z.boolean(),
    created_at: z.string(),
  })
  .openapi('AdminWhatsappNumber');

export const numberListSchema = z.object({ collection: z.array(numberSchema) });

export const numberParams = companyIdParams.extend({
  number_id: z.string().openapi({ param: { name: 'number_id', in: 'path' }, example: 'wan_0123456789abcdefghjk' }),
});

export type NumberCreateInput = z.infer<typeof numberCreateSchema>;
export type NumberUpdateInput = z.infer<typeof numberUpdateSchema>;
export type NumberJson = z.infer<typeof numberSchema>;
