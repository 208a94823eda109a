// The reports' query and answers (routes.ts): one query shape for all four, and each report's figures.
import { z } from '@hono/zod-openapi';
import { MAX_DAYS } from './filters';

const isoDate = (example: string) => z.iso.date().openapi({ example });

export const reportQuery = z.object({
  from: isoDate('2026-03-01').openapi({ description: "The first day, in the company's time zone" }),
  to: isoDate('2026-03-31').openapi({ description: `The last day (included); at most ${MAX_DAYS} days after from` }),
  club: z.string().min(1).max(64).optional().openapi({
    description: 'Only this club (a club id); a club you may not see matches nothing',
    example: 'clb_0123456789abcdefghjk',
  }),
  user: z.string().min(1).max(64).optional().openapi({
    description: "Only this user's figures (managers, admins, API keys); staff and salespeople always get their own",
    example: 'usr_0123456789abcdefghjk',
  }),
});

export const speedQuery = reportQuery.extend({
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'The `next_cursor` of the unanswered leads before (keyset)' }),
});

const header = {
  timezone: z.string().openapi({ description: "The company's time zone: days run midnight to midnight there" }),
  from: z.string(),
  to: z.string(),
  club: z.string().nullable().openapi({ description: 'The club asked for, or null for every club you may see' }),
  user: z.string().nullable().openapi({ description: "Whose figures: a user id, or null for everyone's" }),
};

const rate = z
  .number()
  .nullable()
  .openapi({ description: 'A share from 0 to 1 (4 places); null when nothing to divide' });
const ms = z.number().int().nullable();

const figures = z
  .object({
    leads: z.number().int().openapi({ description: 'Leads whose clock started in the range' }),
    answered: z.number().int(),
    median_ms: ms.openapi({ description: 'Median wait of the answered leads (nearest rank)' }),
    p90_ms: ms.openapi({ description: '90th percentile wait of the answered leads (nearest rank)' }),
    within_5_min: z.number().int(),
    within_5_min_share: rate.openapi({ description: 'Answered within 5 minutes, of all the leads (unanswered count)' }),
  })
  .openapi('SpeedFigures');
const clockAndBusiness = {
  overall: figures.openapi({ description: 'On the clock' }),
  business_hours: figures.openapi({
    description: "Counting only the time the lead's club was open (its hours and closed dates; no hours: always open)",
  }),
};

export const speedToLeadSchema = z
  .object({
    ...header,
    ...clockAndBusiness,
    by_club: z.array(z.object({ club_id: z.string(), name: z.string(), ...clockAndBusiness })),
    by_user: z.array(
      z.object({
        user_id: z
          .string()
          .nullable()
          .openapi({ description: 'Who answered first; unanswered: the owner (null: none)' }),
        name: z.string().nullable(),
        ...clockAndBusiness,
      }),
    ),
    unanswered: z.object({
      collection: z.array(
        z.object({
          person_id: z.string(),
          name: z.string(),
          club_id: z.string().nullable(),
          owner_user_id: z.string().nullable(),
          owner_name: z.string().nullable(),
          lead_at: z.number().int().openapi({ description: 'When their clock started (ms)' }),
        }),
      ),
      pagination: z.object({ next_cursor: z.string().nullable() }),
    }),
  })
  .openapi('SpeedToLeadReport');

const outcomes = {
  sent: z.number().int().openapi({ description: 'Messages we sent (failed ones too)' }),
  delivered: z.number().int().openapi({ description: 'Delivered or read' }),
  read: z.number().int(),
  failed: z.number().int(),
  delivery_rate: rate.openapi({ description: 'delivered / sent' }),
  read_rate: rate.openapi({ description: 'read / delivered' }),
};

export const conversationsReportSchema = z
  .object({
    ...header,
    days: z.array(z.object({ date: z.string(), received: z.number().int(), sent: z.number().int() })),
    totals: z.object({ received: z.number().int(), ...outcomes }),
    by_category: z.array(
      z.object({
        category: z.string().openapi({ description: 'marketing, utility, authentication, or service (free text)' }),
        ...outcomes,
      }),
    ),
    by_template: z.array(z.object({ template: z.string(), ...outcomes })),
    failures: z.array(
      z.object({
        code: z.string().openapi({ description: "Meta's error code (e.g. 131026), or our refusal's (e.g. opted_out)" }),
        title: z.string().nullable(),
        failed: z.number().int(),
      }),
    ),
  })
  .openapi('ConversationsReport');

const funnelGroup = {
  added: z.number().int().openapi({ description: 'Leads added in the range (in the pipeline now)' }),
  won: z.number().int().openapi({ description: 'Moved from the first stage to a won stage in the range' }),
  win_rate: rate.openapi({ description: 'won / added' }),
};

export const funnelSchema = z
  .object({
    ...header,
    stages: z.array(
      z.object({
        stage_id: z.string(),
        name: z.string(),
        outcome: z.string(),
        leads: z.number().int().openapi({ description: 'Leads added in the range who are in this stage now' }),
      }),
    ),
    ...funnelGroup,
    by_club: z.array(z.object({ club_id: z.string(), name: z.string(), ...funnelGroup })),
    by_user: z.array(
      z.object({
        user_id: z.string().nullable().openapi({ description: 'The owner; null: unassigned' }),
        name: z.string().nullable(),
        ...funnelGroup,
      }),
    ),
    by_source: z.array(
      z.object({
        source: z.string().openapi({
          description: 'whatsapp (they wrote in), api (the integration added them), staff (added in the app), other',
        }),
        ...funnelGroup,
      }),
    ),
  })
  .openapi('FunnelReport');

export const templatesReportSchema = z
  .object({
    ...header,
    items: z.array(
      z.object({
        template: z.string(),
        automation_id: z.string().nullable().openapi({ description: 'The automated item that sent it; null: people' }),
        automation_name: z.string().nullable(),
        sent: z.number().int(),
        delivered: z.number().int(),
        read: z.number().int(),
        replied: z.number().int().openapi({ description: 'Answered by the person within 48 hours' }),
        delivery_rate: rate,
        read_rate: rate,
        reply_rate: rate.openapi({ description: 'replied / sent' }),
      }),
    ),
  })
  .openapi('TemplatesReport');
