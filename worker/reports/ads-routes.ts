// GET /api/v1/reports/ads?from=&to=: leads, replies and joined per click-to-WhatsApp ad (ads.ts). Managers,
// admins and API keys; a user limited to clubs counts their clubs' people only.
import { createRoute, z } from '@hono/zod-openapi';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { readReplica, readsOf } from '../db/company-data';
import { ApiError } from '../errors';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { adsReport } from './ads';

export const adReportRoutes = newRouter();

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RANGE_MS = 366 * DAY_MS;

const moment = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .optional()
  .openapi({ example: '2026-06-01' });

const query = z.object({
  from: moment.openapi({ description: 'Start, inclusive (a date is its midnight UTC); default 30 days ago' }),
  to: moment.openapi({ description: 'End, exclusive (a date counts the whole day); default now' }),
  club: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({ description: "Only this club's people (a club outside the caller's clubs counts nobody)" }),
});

const adRowSchema = z
  .object({
    source_id: z.string().openapi({ description: "Meta's ad id (referral.source_id)" }),
    headline: z.string().nullable(),
    source_url: z.string().nullable(),
    source_type: z.string().nullable(),
    leads: z.number().int().openapi({ description: 'People whose first message came from this ad in the period' }),
    replies: z.number().int().openapi({ description: 'Of those, the ones who wrote again after our first answer' }),
    joined: z.number().int().openapi({ description: "Of those, the ones now in a won stage (e.g. 'Joined')" }),
    sample: z
      .object({ person_id: z.string(), note_id: z.string() })
      .nullable()
      .openapi({ description: "A lead's message from this ad: GET /people/{person_id}/ad-thumbnail/{note_id}" }),
  })
  .openapi('AdReportRow');

const reportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    collection: z.array(adRowSchema),
    totals: z.object({ leads: z.number().int(), replies: z.number().int(), joined: z.number().int() }),
  })
  .openapi('AdReport');

function startOf(value: string | undefined, fallback: number, endOfDay: boolean): number {
  if (value === undefined) return fallback;
  const at = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  return value.length === 10 && endOfDay ? at + DAY_MS : at;
}

adReportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'reportsAds',
    summary: 'Leads, replies and joined per click-to-WhatsApp ad',
    description:
      'A lead counts for the ad of their first message from an ad, in the period that message arrived. 422 ' +
      '`invalid_period` when `from` is not before `to`, or the period is longer than 366 days.',
    tags: ['Reports'],
    middleware: [requireCompanyAuth, requirePermission('ad_reports'), readReplica],
    request: { query },
    responses: { 200: jsonBody(reportSchema, 'One row per ad, most leads first'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { from: fromText, to: toText, club } = c.req.valid('query');
    const now = Date.now();
    const to = startOf(toText, now, true);
    const from = startOf(fromText, to - 30 * DAY_MS, false);
    if (!(from < to) || to - from > MAX_RANGE_MS)
      throw new ApiError(422, 'invalid_period', '`from` must be before `to`, at most 366 days apart');
    const auth = c.get('auth');
    // A club narrows the caller's scope, as the other reports' `club` does (reports/filters.ts).
    const seen = auth.scope.clubIds;
    const scope =
      club === undefined
        ? auth.scope
        : { ...auth.scope, clubIds: seen === null || seen.includes(club) ? [club] : ([] as string[]) };
    const rows = await adsReport(readsOf(c), { companyId: auth.companyId, scope }, from, to);
    const sum = (k: 'leads' | 'replies' | 'joined') => rows.reduce((n, r) => n + r[k], 0);
    return c.json(
      {
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        collection: rows,
        totals: { leads: sum('leads'), replies: sum('replies'), joined: sum('joined') },
      },
      200,
    );
  },
);
