// /api/v1/whatsapp/automations: automated items over the integrator API. Authorisation is the one layer every
// company route uses (requireCompanyAuth, then the `automations` permission).
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { auditByOf } from '../../audit/record';
import { requireCompanyAuth } from '../../auth/middleware';
import { requirePermission } from '../../auth/permissions';
import { companyDb } from '../../db/company-data';
import { automationRuns } from '../../db/schema';
import { ApiError } from '../../errors';
import { newRouter } from '../../http';
import { errorResponses, jsonBody } from '../../openapi-responses';
import { paginationOf } from '../../pagination';
import { previewAutomation } from './preview';
import {
  automationCreateSchema,
  automationListSchema,
  automationSchema,
  automationUpdateSchema,
  idParams,
  listQuery,
  previewSchema,
  runListSchema,
  runStartedSchema,
} from './schemas';
import {
  createAutomation,
  deleteAutomation,
  getAutomation,
  getCompanyRow,
  listAutomations,
  listRuns,
  serializeAutomation,
  summarizeRuns,
  updateAutomation,
} from './service';
import { queueSink, sweepItem } from './sweep';

export const automationRoutes = newRouter();
automationRoutes.use('*', requireCompanyAuth, requirePermission('automations'));

const common = { tags: ['Automated items'], security: [{ apiKey: [] }] };

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/',
    operationId: 'automationsCreate',
    summary: 'Create an automated item',
    description:
      'Sends an approved template to each person when the trigger falls due, inside the send window, at most once ' +
      'per occurrence. An enabled item needs an APPROVED template (422 `template_not_approved`).',
    request: { body: { required: true, ...jsonBody(automationCreateSchema, 'The item') } },
    responses: { 201: jsonBody(automationSchema, 'Created'), ...errorResponses(400, 401, 403, 422) },
  }),
  async (c) => {
    const row = await createAutomation(c.env, c.get('auth').companyId, auditByOf(c), c.req.valid('json'));
    return c.json(serializeAutomation(row), 201);
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/',
    operationId: 'automationsList',
    summary: 'List automated items, newest first',
    request: { query: listQuery },
    responses: { 200: jsonBody(automationListSchema, 'A page of items'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { page, per_page } = c.req.valid('query');
    const { rows, total } = await listAutomations(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth').companyId,
      page,
      per_page,
    );
    return c.json({ collection: rows.map(serializeAutomation), pagination: paginationOf(total, per_page) }, 200);
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/{id}',
    operationId: 'automationsGet',
    summary: 'Get an automated item',
    request: { params: idParams },
    responses: { 200: jsonBody(automationSchema, 'The item'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const row = await getAutomation(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth').companyId,
      c.req.valid('param').id,
    );
    return c.json(serializeAutomation(row), 200);
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'patch',
    path: '/{id}',
    operationId: 'automationsUpdate',
    summary: 'Change an automated item',
    description: 'Any field; `enabled: true` clears `paused_reason` (the template must be APPROVED again).',
    request: { params: idParams, body: { required: true, ...jsonBody(automationUpdateSchema, 'The changes') } },
    responses: { 200: jsonBody(automationSchema, 'The item'), ...errorResponses(400, 401, 403, 404, 422) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const row = await updateAutomation(c.env, c.get('auth').companyId, auditByOf(c), id, c.req.valid('json'));
    return c.json(serializeAutomation(row), 200);
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'delete',
    path: '/{id}',
    operationId: 'automationsDelete',
    summary: 'Delete an automated item',
    description: 'Its pending occurrences are not sent; the history notes of what it sent stay.',
    request: { params: idParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    await deleteAutomation(c.env, c.get('auth').companyId, auditByOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/{id}/preview',
    operationId: 'automationsPreview',
    summary: 'Who is due now, and what they would be sent, without sending',
    request: { params: idParams },
    responses: { 200: jsonBody(previewSchema, 'The preview'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const db = companyDb(c.env, c.get('auth').companyId);
    const { companyId } = c.get('auth');
    const item = await getAutomation(db, companyId, c.req.valid('param').id);
    const company = await getCompanyRow(db, companyId);
    const clubIds = c.get('auth').scope.clubIds;
    return c.json(await previewAutomation(c.env, item, company, Date.now(), clubIds), 200);
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/{id}/run',
    operationId: 'automationsRun',
    summary: 'Run an automated item now',
    description:
      'The same sweep the cron runs (same rules, same idempotency: nobody already handled is sent again). ' +
      'Due occurrences are queued and sent in the background; follow them in `GET /{id}/runs`.',
    request: { params: idParams },
    responses: {
      202: jsonBody(runStartedSchema, 'Queued'),
      ...errorResponses(401, 403, 404, 409),
    },
  }),
  async (c) => {
    const db = companyDb(c.env, c.get('auth').companyId);
    const { companyId } = c.get('auth');
    const item = await getAutomation(db, companyId, c.req.valid('param').id);
    if (!item.enabled)
      throw new ApiError(409, 'automation_disabled', item.pausedReason ?? 'This automated item is disabled');
    const company = await getCompanyRow(db, companyId);
    const result = await sweepItem(c.env, item, company, Date.now(), 'manual', queueSink(c.env));
    if (result.paused) throw new ApiError(409, 'automation_disabled', result.paused);
    const runRow = result.runId
      ? await db.select().from(automationRuns).where(eq(automationRuns.id, result.runId)).get()
      : undefined;
    const [run] = runRow ? await summarizeRuns(db, [runRow]) : [];
    return c.json(
      {
        run: run ?? null,
        in_send_window: result.inSendWindow,
        queued: result.queued,
        too_late: result.tooLate,
        requeued: result.requeued,
      },
      202,
    );
  },
);

automationRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/{id}/runs',
    operationId: 'automationsRuns',
    summary: 'The run log of an automated item, newest first',
    request: { params: idParams, query: listQuery },
    responses: { 200: jsonBody(runListSchema, 'A page of runs'), ...errorResponses(401, 403, 404, 422) },
  }),
  async (c) => {
    const db = companyDb(c.env, c.get('auth').companyId);
    const item = await getAutomation(db, c.get('auth').companyId, c.req.valid('param').id);
    const { page, per_page } = c.req.valid('query');
    const { runs, total } = await listRuns(db, item.id, page, per_page);
    return c.json({ collection: runs, pagination: paginationOf(total, per_page) }, 200);
  },
);
