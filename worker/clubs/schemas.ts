// Clubs: a gym chain's sites, each with its own WhatsApp numbers, staff and leads. Bodies are strict like every
// other write: a misspelt field is a 422, never silently dropped.
import { z } from '@hono/zod-openapi';

const name = z.string().trim().min(1).max(100).openapi({ example: 'Leeds City' });
/** An IANA zone, checked against Intl in the service (422 invalid_timezone) and stored in its canonical form. */
const timezone = z.string().trim().min(1).max(64).openapi({ example: 'Europe/London' });
const address = z.string().trim().max(300).nullable().openapi({ example: '1 Park Row, Leeds LS1 5HN' });
/** How a new lead gets an owner: by hand, or the next staff member on shift (people/round-robin). */
export const ASSIGNMENT_MODES = ['manual', 'round_robin'] as const;
const assignment = z.enum(ASSIGNMENT_MODES).openapi({ example: 'round_robin' });

export const clubCreateSchema = z
  .object({ name, timezone: timezone.optional(), address: address.optional(), assignment: assignment.optional() })
  .strict()
  .openapi('ClubCreate');

export const clubUpdateSchema = z
  .object({
    name: name.optional(),
    timezone: timezone.optional(),
    address: address.optional(),
    assignment: assignment.optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'send at least one field to change')
  .openapi('ClubUpdate');

export const clubNumberSchema = z
  .object({
    id: z.string(),
    phone_number_id: z.string(),
    display_phone_number: z.string().nullable(),
    enabled: z.boolean(),
  })
  .openapi('ClubNumber');

export const clubSchema = z
  .object({
    id: z.string().openapi({ example: 'clb_0123456789abcdefghjk' }),
    name: z.string(),
    timezone: z.string(),
    address: z.string().nullable(),
    assignment: assignment,
    /** The club's WhatsApp numbers (connected by the platform admin), enabled or not. */
    numbers: z.array(clubNumberSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Club');

export const clubListSchema = z.object({ collection: z.array(clubSchema) }).openapi('ClubList');

export const clubParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'clb_0123456789abcdefghjk' }),
});

export type ClubCreate = z.infer<typeof clubCreateSchema>;
export type ClubUpdate = z.infer<typeof clubUpdateSchema>;
export type ClubJson = z.infer<typeof clubSchema>;
