// GET /api/v1/reports/{speed-to-lead,conversations,funnel,templates}: the Reports screen's figures, for everyone
// (their own figures) and managers (everyone's, within their clubs). Each is one or two D1 statements over rows
// kept as notes are written (migrations/0021_reports.sql), so a year of a chain's history costs what a day does.
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { platformDatabase } from '../db/client';
import { readDbOf, readReplica, readsOf } from '../db/company-data';
import { companies } from '../db/schema';
import { notFound } from '../errors';
import { type AppEnv, newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { conversations } from './conversations';
import { type ReportFilter, type ReportQuery, reportFilter } from './filters';
import { funnel } from './funnel';
import { usersStatement } from './names';
import {
  conversationsReportSchema,
  funnelSchema,
  reportQuery,
  speedQuery,
  speedToLeadSchema,
  templatesReportSchema,
} from './schemas';
import { speedToLead } from './speed-to-lead';
import { templateReport } from './templates';

export const reportRoutes = newRouter();
const tags = ['Reports'];
// Everyone who works conversations reads reports; what they see is decided per caller (filters.ts).
const middleware = [requireCompanyAuth, requirePermission('conversations'), readReplica];

async function filterOf(c: Context<AppEnv>, query: ReportQuery): Promise<ReportFilter> {
  const auth = c.get('auth');
  const company = await readDbOf(c)
    .select({ timezone: companies.timezone })
    .from(companies)
    .where(eq(companies.id, auth.companyId))
    .get();
  if (!company) throw notFound('Company');
  return reportFilter(auth, company.timezone, query);
}

const headerOf = (f: ReportFilter, q: ReportQuery) => ({
  timezone: f.timezone,
  from: f.from,
  to: f.to,
  club: q.club ?? null,
  user: f.userId,
});

async function usersOf(c: Context<AppEnv>) {
  const rows = await usersStatement(platformDatabase(c.env), c.get('auth').companyId).all<{
    id: string;
    name: string;
  }>();
  return rows.results;
}

const description = (what: string) =>
  `${what} Days are the company's own (its time zone), \`to\` included, at most a year. Managers, admins and API ` +
  'keys see everyone (a user limited to clubs: their clubs), narrowed by `club` and `user`; staff and salespeople ' +
  'get their own figures whatever `user` says.';

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/speed-to-lead',
    operationId: 'reportSpeedToLead',
    summary: 'Speed to lead: how fast new leads get a first answer from a person',
    description: description(
      "From a lead's first inbound message (or their creation by an API key) to the first message a member of staff " +
        'sent them that Meta accepted (automated items and away replies do not count): median, 90th percentile and ' +
        'the share answered within 5 minutes, on the clock and counting only business hours; by club and by who ' +
        'answered (an unanswered lead: by owner); and the leads never answered, newest first.',
    ),
    tags,
    middleware,
    request: { query: speedQuery },
    responses: { 200: jsonBody(speedToLeadSchema, 'Speed to lead'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const f = await filterOf(c, query);
    const report = await speedToLead(readsOf(c), await usersOf(c), f, query.cursor);
    return c.json({ ...headerOf(f, query), ...report }, 200);
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/conversations',
    operationId: 'reportConversations',
    summary: 'Messages received and sent per day, by template and category, delivery and read rates, failures',
    description: description(
      "A member of staff's figures are the messages they sent and those their own leads sent in. Failures are " +
        "grouped by Meta's error code (or our refusal's).",
    ),
    tags,
    middleware,
    request: { query: reportQuery },
    responses: { 200: jsonBody(conversationsReportSchema, 'Conversations'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const f = await filterOf(c, query);
    return c.json({ ...headerOf(f, query), ...(await conversations(readsOf(c), f)) }, 200);
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/funnel',
    operationId: 'reportFunnel',
    summary: 'Leads per stage, and how many moved from the first stage to a won one',
    description: description(
      'Leads added in the range by the stage they are in now; wins: leads who first reached a won stage in the ' +
        'range; by club, by owner and by source (how the lead came in).',
    ),
    tags,
    middleware,
    request: { query: reportQuery },
    responses: { 200: jsonBody(funnelSchema, 'Funnel'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const f = await filterOf(c, query);
    return c.json({ ...headerOf(f, query), ...(await funnel(readsOf(c), await usersOf(c), f)) }, 200);
  },
);

reportRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/templates',
    operationId: 'reportTemplates',
    summary: 'Automated items and templates: sent, delivered, read, replied within 48 hours',
    description: description('One row per template and the automated item that sent it (null: sent by people).'),
    tags,
    middleware,
    request: { query: reportQuery },
    responses: { 200: jsonBody(templatesReportSchema, 'Templates'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const f = await filterOf(c, query);
    return c.json({ ...headerOf(f, query), ...(await templateReport(readsOf(c), f)) }, 200);
  },
);
