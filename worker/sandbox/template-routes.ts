// The simulator's template controls over HTTP, for people trying the product by hand (tests use the RPC):
// play Meta's reviewer (reject, pause, disable, reinstate) and its category changes for the caller's WABA.
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { getDb } from '../db/client';
import { companies } from '../db/schema';
import { ApiError } from '../errors';
import { newRouter } from '../http';
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
    return c.json({ webhook_statuses: await sim.setTemplateStatus(c.req.valid('json')) }, 200);
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
    return c.json({ webhook_statuses: await sim.setTemplateCategory(c.req.valid('json')) }, 200);
  },
);
