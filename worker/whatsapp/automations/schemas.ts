// Requests and answers of /api/v1/whatsapp/automations: validation and the OpenAPI document come from these.

import { z } from '@hono/zod-openapi';
import { SKIP_REASONS } from '#common/skip-reasons';
import { MAX_LABELS } from '../../labels/schemas';
import { listSchema, paginationQuery } from '../../pagination';
import { PERSON_STATUSES, SALE_TYPES } from '../../people/schemas';
import { MAX_STAGES } from '../../pipeline/schemas';
import { headerMediaInputSchema, templateHeaderMediaSchema } from '../templates/schemas';
import { variableSourceSchema } from '../templates/variables';

const MAX_OFFSET_DAYS = 366;
const MAX_OFFSET_HOURS = 24 * 366;

export const triggerSchema = z
  .discriminatedUnion('event', [
    z.strictObject({
      event: z.literal('person_created'),
      offset_hours: z.number().int().min(0).max(MAX_OFFSET_HOURS),
    }),
    z.strictObject({
      event: z.literal('membership_start'),
      offset_days: z.number().int().min(-MAX_OFFSET_DAYS).max(MAX_OFFSET_DAYS),
    }),
    z.strictObject({
      event: z.literal('membership_end'),
      offset_days: z.number().int().min(-MAX_OFFSET_DAYS).max(MAX_OFFSET_DAYS),
    }),
    z.strictObject({ event: z.literal('date_of_birth') }),
    z.strictObject({ event: z.literal('no_reply'), offset_hours: z.number().int().min(1).max(MAX_OFFSET_HOURS) }),
    z.strictObject({
      event: z.literal('stage_changed'),
      stage_id: z.string().min(1).max(64),
      offset_hours: z.number().int().min(0).max(MAX_OFFSET_HOURS),
    }),
  ])
  .openapi('AutomationTrigger', {
    description:
      'person_created (hours after, only people created after the item), stage_changed (hours after a ' +
      "person's stage became stage_id), membership_start / membership_end " +
      '(days; negative = before), date_of_birth, no_reply (hours after their last message, nothing sent since). ' +
      "Date triggers fall due at the start of the send window on the day, in the company's timezone.",
    example: { event: 'membership_end', offset_days: 3 },
  });

const audienceSchema = z
  .strictObject({
    statuses: z.array(z.enum(PERSON_STATUSES)).min(1).optional(),
    sale_types: z.array(z.enum(SALE_TYPES)).min(1).optional(),
    /** Only people whose home club is one of these; leave out for every club. */
    club_ids: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
    stage_ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(MAX_STAGES)
      .optional()
      .openapi({ description: 'Only people in one of these stages (GET /api/v1/pipeline); leave out for any' }),
    label_ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(MAX_LABELS)
      .optional()
      .openapi({ description: 'Only people wearing at least one of these labels; leave out for any' }),
    source: z
      .enum(['ad'])
      .optional()
      .openapi({ description: "'ad': only people who came from a click-to-WhatsApp ad" }),
    ad_ids: z
      .array(z.string().min(1).max(64))
      .min(1)
      .max(20)
      .optional()
      .openapi({ description: "Only people who came from one of these ads (Meta's source_id)" }),
  })
  .openapi('AutomationAudience');

const hhmm = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a local time HH:MM');

const sendWindowSchema = z
  .strictObject({ start: hhmm, end: hhmm })
  .refine((w) => w.start < w.end, { message: 'start must be before end' })
  .openapi('AutomationSendWindow', {
    description: "Local times in the company's timezone; default 08:00 to 21:00. Nothing goes out outside it.",
    example: { start: '09:00', end: '20:00' },
  });

const variablesSchema = z
  .union([z.array(variableSourceSchema).max(20), z.record(z.string().min(1).max(512), variableSourceSchema)])
  .openapi({
    description:
      'In the order of {{1}}, {{2}}... (an object by name for NAMED templates): a person field (first_name, ' +
      'last_name, full_name, phone, email, membership_start, membership_end, date_of_birth, company_name) or ' +
      "{ text }. Variables left out use the template's variable_map.",
    example: ['first_name', { text: 'a free week' }],
  });

const templateRefSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and underscores'),
  language: z.string().min(2).max(15).openapi({ example: 'en_GB' }),
});

const fields = {
  name: z.string().trim().min(1).max(200).openapi({ example: 'Come back, 3 days after' }),
  enabled: z.boolean(),
  template: templateRefSchema,
  variables: variablesSchema,
  sale_type: z.enum(SALE_TYPES),
  trigger: triggerSchema,
  audience: audienceSchema.nullable(),
  send_window: sendWindowSchema.nullable(),
  header_media: headerMediaInputSchema.nullable().openapi({
    description:
      "The file its template's photo, video or document header carries (an upload's id or a link); null or left " +
      "out: the template's default header_media.",
  }),
};

export const automationCreateSchema = z
  .strictObject({
    ...fields,
    enabled: fields.enabled.default(true),
    variables: fields.variables.default([]),
    audience: fields.audience.optional(),
    send_window: fields.send_window.optional(),
    header_media: fields.header_media.optional(),
  })
  .openapi('AutomationCreate');

export const automationUpdateSchema = z
  .strictObject({
    name: fields.name.optional(),
    enabled: fields.enabled.optional(),
    template: fields.template.optional(),
    variables: fields.variables.optional(),
    sale_type: fields.sale_type.optional(),
    trigger: fields.trigger.optional(),
    audience: fields.audience.optional(),
    send_window: fields.send_window.optional(),
    header_media: fields.header_media.optional(),
  })
  .openapi('AutomationUpdate');

export type AutomationCreate = z.infer<typeof automationCreateSchema>;
export type AutomationUpdate = z.infer<typeof automationUpdateSchema>;

export const automationSchema = z
  .object({
    id: z.string().openapi({ example: 'aut_0123456789abcdefghjk' }),
    name: z.string(),
    enabled: z.boolean(),
    paused_reason: z.string().nullable().openapi({ description: 'Why the item switched itself off' }),
    template: templateRefSchema,
    variables: variablesSchema,
    sale_type: z.enum(SALE_TYPES),
    trigger: triggerSchema,
    audience: audienceSchema.nullable(),
    send_window: sendWindowSchema,
    header_media: templateHeaderMediaSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Automation');

export const automationListSchema = listSchema(automationSchema).openapi('AutomationList');
export const listQuery = z.object({ ...paginationQuery });

export const idParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'aut_0123456789abcdefghjk' }),
});

const skippedSchema = z.record(z.string(), z.number().int()).openapi({
  description: `Skipped occurrences by reason: ${SKIP_REASONS.join(', ')}`,
  example: { opted_out: 3, too_late: 1 },
});

export const runSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['cron', 'manual']),
    started_at: z.string(),
    finished_at: z.string().nullable().openapi({ description: 'Null while some occurrence is still pending' }),
    due: z.number().int(),
    sent: z.number().int(),
    skipped: skippedSchema,
    failed: z.number().int(),
    pending: z.number().int(),
  })
  .openapi('AutomationRun');

export const runListSchema = listSchema(runSchema).openapi('AutomationRunList');

export const runStartedSchema = z
  .object({
    run: runSchema.nullable(),
    in_send_window: z.boolean(),
    queued: z.number().int(),
    too_late: z.number().int(),
    requeued: z.number().int(),
  })
  .openapi('AutomationRunStarted');

const previewPersonSchema = z.object({
  person_id: z.string(),
  name: z.string(),
  due_at: z.string(),
});

export const previewSchema = z
  .object({
    in_send_window: z.boolean(),
    due: z.number().int().openapi({ description: 'Occurrences due now and not yet handled' }),
    too_late: z.number().int(),
    would_send: z.array(
      previewPersonSchema.extend({
        params: z.array(z.string()),
        body: z.string().nullable().openapi({ description: 'The body as the person would read it' }),
      }),
    ),
    would_skip: z.array(previewPersonSchema.extend({ reason: z.string() })),
    truncated: z.boolean().openapi({ description: 'More people are due than listed (the first 100 are)' }),
  })
  .openapi('AutomationPreview');
