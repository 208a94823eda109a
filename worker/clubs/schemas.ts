// Clubs: a gym chain's sites, each with its own WhatsApp numbers, staff and leads. Bodies are strict like every
// other write: a misspelt field is a 422, never silently dropped.
import { z } from '@hono/zod-openapi';
import { INTERACTIVE_LIMITS } from '#common/interactive/interactive-rules';
import type { Interval } from '../db/column-types';

const name = z.string().trim().min(1).max(100).openapi({ example: 'Leeds City' });
/** An IANA zone, checked against Intl in the service (422 invalid_timezone) and stored in its canonical form. */
const timezone = z.string().trim().min(1).max(64).openapi({ example: 'Europe/London' });
const address = z.string().trim().max(300).nullable().openapi({ example: '1 Park Row, Leeds LS1 5HN' });
/** How a new lead gets an owner: by hand, or the next staff member on shift (people/round-robin). */
export const ASSIGNMENT_MODES = ['manual', 'round_robin'] as const;
const assignment = z.enum(ASSIGNMENT_MODES).openapi({ example: 'round_robin' });

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a local time HH:MM');
/** [opens, closes]; a close not after the open runs past midnight, e.g. ["18:00", "02:00"]. */
// An array of two rather than a tuple: OpenAPI 3.0 has no tuples, and the app's types come from the document.
const interval = z
  .array(hhmm)
  .length(2, 'an interval is [opens, closes]')
  .refine(([s, e]) => s !== e, 'an interval opens and closes at different times')
  .refine(([s]) => s !== '24:00', 'an interval opens before 24:00')
  .transform(([s, e]): Interval => [s ?? '', e ?? '']);
const day = z.array(interval).max(4);
const hours = z
  .strictObject({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day })
  .nullable()
  .openapi('ClubHours', {
    description:
      "Local times in the club's time zone, per weekday (all seven; [] is closed all day). Null: always open.",
    example: {
      mon: [['06:00', '22:00']],
      tue: [['06:00', '22:00']],
      wed: [['06:00', '22:00']],
      thu: [['06:00', '22:00']],
      fri: [['06:00', '22:00']],
      sat: [['08:00', '18:00']],
      sun: [],
    },
  });
const closedDates = z
  .array(z.iso.date())
  .max(366)
  .openapi({ description: 'Local dates the club is closed all day (bank holidays)', example: ['2026-12-25'] });
const awayReply = z
  .strictObject({
    enabled: z.boolean(),
    text: z
      .string()
      .trim()
      .min(1)
      .max(1024)
      .openapi({ example: 'Hi {{first_name}}, we are closed right now. We open at {{opens_at}} and will reply then.' }),
    // Meta's reply buttons: up to 3, titles up to 20 characters, each different.
    buttons: z
      .array(z.string().trim().min(1).max(INTERACTIVE_LIMITS.buttonTitle))
      .max(INTERACTIVE_LIMITS.buttons)
      .refine((b) => new Set(b).size === b.length, 'each button title must be different')
      .optional()
      .openapi({
        description: 'Reply buttons under the text (up to 3, titles up to 20 characters): the reply asks with them',
        example: ['Call me back', 'Book a tour'],
      }),
  })
  .nullable()
  .openapi('ClubAwayReply', {
    description:
      'One free-text reply to a message that arrives outside the hours, at most once per person per 12 hours. ' +
      '{{first_name}} and {{opens_at}} ("06:00 tomorrow") are filled in. With `buttons`, it asks with reply buttons.',
  });

/** What managers may change as well as admins: a club's hours and its away reply. */
export const HOURS_FIELDS = ['hours', 'closed_dates', 'away_reply'] as const;

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
    hours: hours.optional(),
    closed_dates: closedDates.optional(),
    away_reply: awayReply.optional(),
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
    hours,
    closed_dates: z.array(z.string()),
    away_reply: awayReply,
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
