// The simulator's template controls over HTTP, for people trying the product by hand (tests use the RPC):
// play Meta's reviewer (reject, pause, disable, reinstate) and its category changes for the caller's WABA.
// Each is audited as `template.review_simulated` by whoever played the reviewer, once the simulator has
// delivered its webhooks; the change those make is audited on its own, as Meta's.
import { createRoute } from '@hono/zod-openapi';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { auditByOf, auditEachRow } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { getDb } from '../db/client';
import { companies, templates } from '../db/schema';
import { ApiError } from '../errors';
import { type AppEnv, newRouter } from '../http';
import { templateCategorySchema, templateStatusSchema } from './controls';
import { wabaObject } from './graph-path';
import { sandboxOnly } from './guard';

export const sandboxTemplateRoutes = newRouter();

async function wabaOf(env: Env, companyId: string): Promise<string> {
  const row = await getDb(env)
    .select({ wabaId: companies.wabaId })
    .from(companies)
    .where(eq(companies.id, companyId))
    .get();
  if (!row?.wabaId)
    throw new ApiError(409, 'whatsapp_not_configured', 'This company has no WhatsApp Business Account configured');
  return row.wabaId;
}

/** One entry per template of ours the reviewer's decision was about (every language, when none was named). */
async function auditReview(c: Context<AppEnv>, t: { name: string; language?: string }, what: SQL): Promise<void> {
  await auditEachRow(
    getDb(c.env),
    auditByOf(c),
    {
      action: 'template.review_simulated',
      targetType: 'template',
      table: templates,
      companyId: templates.companyId,
      targetId: templates.id,
      details: sql`json_object('name', ${templates.name}, 'language', ${templates.language}, ${what})`,
    },
    and(
      eq(templates.companyId, c.get('auth').companyId),
      eq(templates.name, t.name),
      t.language === undefined ? undefined : eq(templates.language, t.language),
    ) ?? sql`0`,
  );
}

// sandboxOnly first: outside sandbox mode the routes do not exist, whoever asks. Then the same rule as the real
// template routes: an API key, or the session of someone who may manage templates (a manager trying the
// reviewer's side from the app); a staff role is refused.
const middleware = [sandboxOnly, requireCompanyAuth, requirePermission('templates')];
const ok = { description: 'The receiver statuses of the webhooks sent' };

sandboxTemplateRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/templates/status',
    hide: true,
    middleware,
    request: { body: { required: true, content: { 'application/json': { schema: templateStatusSchema } } } },
    responses: { 200: ok },
  }),
  async (c) => {
    const sim = c.env.META_SANDBOX.getByName(wabaObject(await wabaOf(c.env, c.get('auth').companyId)));
    const input = c.req.valid('json');
    const statuses = await sim.setTemplateStatus(input);
    const reason = input.event === 'REJECTED' ? (input.reason ?? 'INVALID_FORMAT') : null;
    if (statuses.length > 0) await auditReview(c, input, sql`'event', ${input.event}, 'reason', ${reason}`);
    return c.json({ webhook_statuses: statuses }, 200);
  },
);

sandboxTemplateRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/templates/category',
    hide: true,
    middleware,
    request: { body: { required: true, content: { 'application/json': { schema: templateCategorySchema } } } },
    responses: { 200: ok },
  }),
  async (c) => {
    const sim = c.env.META_SANDBOX.getByName(wabaObject(await wabaOf(c.env, c.get('auth').companyId)));
    const input = c.req.valid('json');
    const statuses = await sim.setTemplateCategory(input);
    if (statuses.length > 0) await auditReview(c, input, sql`'category', ${input.category}`);
    return c.json({ webhook_statuses: statuses }, 200);
  },
);
