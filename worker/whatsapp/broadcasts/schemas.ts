// Requests and answers of /api/v1/whatsapp/broadcasts: validation and the OpenAPI document come from these.
import { z } from '@hono/zod-openapi';
import { SKIP_REASONS } from '#common/skip-reasons';
import { cursorQuery, listSchema } from '../../pagination';
import { PERSON_STATUSES, SALE_TYPES } from '../../people/schemas';
import { FREQUENCY_CAP_LIMITS } from '../frequency-cap';
import { headerMediaInputSchema, templateHeaderMediaSchema } from '../templates/schemas';
import { variableSourceSchema } from '../templates/variables';

export const BROADCAST_STATES = ['draft', 'scheduled', 'running', 'paused', 'cancelled', 'finished'] as const;

// Bounded so the audience's statement stays under D1's 100 bound parameters (clubs, stages, labels and the rest).
const ids = (max: number) => z.array(z.string().min(1).max(64)).min(1).max(max);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'not a calendar date');

export const broadcastAudienceSchema = z
  .strictObject({
    club_ids: ids(20)
      .optional()
      .openapi({ description: 'Home clubs; left out: every club (a user limited to clubs: theirs)' }),
    statuses: z.array(z.enum(PERSON_STATUSES)).min(1).optional(),
    sale_types: z.array(z.enum(SALE_TYPES)).min(1).optional(),
    stage_ids: ids(12).optional().openapi({ description: 'In one of these pipeline stages (GET /api/v1/pipeline)' }),
    label_ids: ids(20).optional().openapi({ description: 'Wearing at least one of these labels' }),
    last_contact_before: isoDate.optional().openapi({
      description: "Last message either way before this day (company's timezone), or never messaged: people gone quiet",
      example: '2025-06-01',
    }),
    last_contact_after: isoDate.optional().openapi({ description: 'Last message either way on or after this day' }),
    source: z
      .enum(['ad'])
      .optional()
      .openapi({ description: "'ad': only people who came from a click-to-WhatsApp ad" }),
    ad_ids: ids(20)
      .optional()
      .openapi({ description: "Only people who came from one of these ads (Meta's source_id)" }),
    consent_recorded: z.boolean().optional().openapi({
      description: 'true: people with no recorded WhatsApp consent (consent log) are skipped `no_consent`',
    }),
  })
  .openapi('BroadcastAudience', {
    description: 'Every field narrows (all must hold; a list is any of it).',
    example: { statuses: ['lead'], last_contact_before: '2025-06-01', consent_recorded: true },
  });

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a local time HH:MM');

export const broadcastSendWindowSchema = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((w) => w.start < w.end, { message: 'start must be before end' })
  .openapi('BroadcastSendWindow', {
    description: "Local hours in the company's timezone when sends may go; default 08:00 to 21:00.",
    example: { start: '10:00', end: '19:00' },
  });

const variablesSchema = z
  .union([z.array(variableSourceSchema).max(20), z.record(z.string().min(1).max(512), variableSourceSchema)])
  .openapi({
    description:
      'In the order of {{1}}, {{2}}... (an object by name for NAMED templates): a person field or { text }; ' +
      "variables left out use the template's variable_map.",
    example: ['first_name', { text: 'Spin' }],
  });

const templateRefSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and underscores'),
  language: z.string().min(2).max(15).openapi({ example: 'en_GB' }),
});

const startAt = z.string().datetime({ offset: true }).openapi({
  description: 'When it may start (ISO 8601); a time already past starts it at once on start',
  example: '2025-07-01T09:00:00Z',
});

const fields = {
  name: z.string().trim().min(1).max(200).openapi({ example: 'Summer open day' }),
  template: templateRefSchema,
  variables: variablesSchema,
  sale_type: z.enum(SALE_TYPES),
  audience: broadcastAudienceSchema,
  start_at: startAt,
  send_window: broadcastSendWindowSchema,
  header_media: headerMediaInputSchema.nullable().openapi({
    description:
      "The file its template's photo, video or document header carries (an upload's id or a link); null or left " +
      "out: the template's default header_media.",
  }),
};

export const broadcastCreateSchema = z
  .strictObject({
    ...fields,
    variables: fields.variables.default([]),
    sale_type: fields.sale_type.default('membership'),
    audience: fields.audience.default({}),
    send_window: fields.send_window.optional(),
    header_media: fields.header_media.optional(),
  })
  .openapi('BroadcastCreate');

export const broadcastUpdateSchema = z
  .strictObject({
    name: fields.name.optional(),
    template: fields.template.optional(),
    variables: fields.variables.optional(),
    sale_type: fields.sale_type.optional(),
    audience: fields.audience.optional(),
    start_at: fields.start_at.optional(),
    send_window: fields.send_window.optional(),
    header_media: fields.header_media.optional(),
  })
  .openapi('BroadcastUpdate');

export type BroadcastCreate = z.infer<typeof broadcastCreateSchema>;
export type BroadcastUpdate = z.infer<typeof broadcastUpdateSchema>;

const countsByReason = (what: string) =>
  z.record(z.string(), z.number().int()).openapi({
    description: `${what} by reason: ${SKIP_REASONS.join(', ')} (failed: Meta's error code or ours)`,
    example: { opted_out: 2, frequency_cap: 1 },
  });

export const broadcastReportSchema = z
  .object({
    recipients: z.number().int().openapi({ description: 'People written when it started' }),
    pending: z.number().int(),
    sent: z.number().int().openapi({ description: 'Accepted by Meta and not failed since' }),
    delivered: z.number().int().openapi({ description: 'Delivered or read' }),
    read: z.number().int(),
    replied: z.number().int().openapi({ description: 'Wrote to the gym after it was sent' }),
    failed: countsByReason('Failed'),
    skipped: countsByReason('Skipped'),
  })
  .openapi('BroadcastReport');

export const broadcastSchema = z
  .object({
    id: z.string().openapi({ example: 'brc_0123456789abcdefghjk' }),
    name: z.string(),
    state: z.enum(BROADCAST_STATES),
    paused_reason: z.string().nullable().openapi({ description: 'Why ClubChat paused it' }),
    template: templateRefSchema,
    variables: variablesSchema,
    sale_type: z.enum(SALE_TYPES),
    audience: broadcastAudienceSchema,
    start_at: z.string(),
    send_window: broadcastSendWindowSchema,
    header_media: templateHeaderMediaSchema,
    created_by: z.object({ kind: z.string(), id: z.string(), name: z.string() }),
    started_at: z.string().nullable().openapi({ description: 'When its recipients were written' }),
    finished_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    report: broadcastReportSchema.nullable().openapi({ description: 'Null until it starts' }),
  })
  .openapi('Broadcast');

export const broadcastListSchema = listSchema(broadcastSchema).openapi('BroadcastList');
export const broadcastListQuery = z.object({ ...cursorQuery });

export const broadcastIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'brc_0123456789abcdefghjk' }),
});

export const broadcastPreviewSchema = z
  .object({
    audience: z.number().int().openapi({ description: 'People the audience names (within your clubs)' }),
    will_send: z.number().int(),
    skipped: countsByReason('Would be skipped'),
    cost: z
      .object({
        category: z.enum(['marketing', 'utility', 'authentication']),
        messages: z.number().int().openapi({ description: 'Messages Meta bills in this category if all deliver' }),
      })
      .openapi({ description: "Meta bills each delivered template by the template's category" }),
    frequency_cap: z.object({ max: z.number().int(), days: z.number().int() }).nullable().openapi({
      description: 'The cap that applies (marketing templates only); counted as of now',
    }),
    people: z
      .array(z.object({ person_id: z.string(), name: z.string(), skipped: z.string().nullable() }))
      .openapi({ description: 'The first 50 by name, each with why they would be skipped (null: sent)' }),
    body: z.string().nullable().openapi({ description: 'The message as the first of them would read it' }),
  })
  .openapi('BroadcastPreview');

export const frequencyCapSchema = z
  .strictObject({
    max: z.number().int().min(FREQUENCY_CAP_LIMITS.max.min).max(FREQUENCY_CAP_LIMITS.max.max),
    days: z.number().int().min(FREQUENCY_CAP_LIMITS.days.min).max(FREQUENCY_CAP_LIMITS.days.max),
  })
  .openapi('FrequencyCap', {
    description:
      'At most `max` MARKETING templates per person in `days` days, broadcasts and automated items together; ' +
      'a person over it is skipped `frequency_cap`. Default 2 in 7.',
    example: { max: 2, days: 7 },
  });
