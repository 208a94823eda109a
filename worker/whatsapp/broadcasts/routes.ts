// /api/v1/whatsapp/broadcasts: scheduled broadcasts. Managers, admins and API keys (the `broadcasts`
// permission); a user limited to clubs works inside their clubs (service.ts).
import { createRoute } from '@hono/zod-openapi';
import { auditByOf } from '../../audit/record';
import { requireCompanyAuth } from '../../auth/middleware';
import { requirePermission } from '../../auth/permissions';
import { companyDb } from '../../db/company-data';
import { newRouter } from '../../http';
import { errorResponses, jsonBody } from '../../openapi-responses';
import { getCompanyRow } from '../automations/service';
import { queueSink } from '../automations/sweep';
import { previewBroadcast } from './preview';
import {
  broadcastCreateSchema,
  broadcastIdParams,
  broadcastListQuery,
  broadcastListSchema,
  broadcastPreviewSchema,
  broadcastSchema,
  broadcastUpdateSchema,
} from './schemas';
import {
  type BroadcastAction,
  createBroadcast,
  getBroadcast,
  listBroadcasts,
  moveBroadcast,
  updateBroadcast,
  withReports,
} from './service';
import { sweepBroadcast } from './sweep';

export const broadcastRoutes = newRouter();
broadcastRoutes.use('*', requireCompanyAuth, requirePermission('broadcasts'));

const common = { tags: ['Broadcasts'], security: [{ apiKey: [] }] };

broadcastRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/',
    operationId: 'broadcastsCreate',
    summary: 'Create a broadcast (a draft)',
    description:
      'An APPROVED template and its variables, an audience, a start time and a send window. It sends nothing ' +
      'until `POST /{id}/start`. A user limited to clubs: the audience stays inside their clubs (another club: ' +
      '422 `unknown_club`).',
    request: { body: { required: true, ...jsonBody(broadcastCreateSchema, 'The broadcast') } },
    responses: { 201: jsonBody(broadcastSchema, 'Created'), ...errorResponses(400, 401, 403, 422) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const row = await createBroadcast(c.env, companyId, scope, auditByOf(c), c.req.valid('json'));
    const [json] = await withReports(c.env, companyId, [row]);
    return c.json(json, 201);
  },
);

broadcastRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/',
    operationId: 'broadcastsList',
    summary: 'List broadcasts, newest first, with their figures',
    request: { query: broadcastListQuery },
    responses: { 200: jsonBody(broadcastListSchema, 'A page of broadcasts'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const { rows, pagination } = await listBroadcasts(c.env, companyId, scope, c.req.valid('query'));
    return c.json({ collection: await withReports(c.env, companyId, rows), pagination }, 200);
  },
);

broadcastRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/{id}',
    operationId: 'broadcastsGet',
    summary: 'A broadcast and its report: sent, delivered, read, replied, failed and skipped by reason',
    request: { params: broadcastIdParams },
    responses: { 200: jsonBody(broadcastSchema, 'The broadcast'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const row = await getBroadcast(companyDb(c.env, companyId), companyId, scope, c.req.valid('param').id);
    const [json] = await withReports(c.env, companyId, [row]);
    return c.json(json, 200);
  },
);

broadcastRoutes.openapi(
  createRoute({
    ...common,
    method: 'patch',
    path: '/{id}',
    operationId: 'broadcastsUpdate',
    summary: 'Change a draft',
    description: 'Any field, while it is a draft (else 409 `broadcast_not_draft`).',
    request: {
      params: broadcastIdParams,
      body: { required: true, ...jsonBody(broadcastUpdateSchema, 'The changes') },
    },
    responses: { 200: jsonBody(broadcastSchema, 'The broadcast'), ...errorResponses(400, 401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const row = await updateBroadcast(
      c.env,
      companyId,
      scope,
      auditByOf(c),
      c.req.valid('param').id,
      c.req.valid('json'),
    );
    const [json] = await withReports(c.env, companyId, [row]);
    return c.json(json, 200);
  },
);

broadcastRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/{id}/preview',
    operationId: 'broadcastsPreview',
    summary: 'How many it would reach now, who would be skipped and why, and what Meta would bill',
    description:
      'Nothing is sent or recorded. Counted as if it started now: the frequency cap as the people stand now.',
    request: { params: broadcastIdParams },
    responses: { 200: jsonBody(broadcastPreviewSchema, 'The preview'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const db = companyDb(c.env, companyId);
    const row = await getBroadcast(db, companyId, scope, c.req.valid('param').id);
    const company = await getCompanyRow(db, companyId);
    return c.json(await previewBroadcast(c.env, row, company, scope, Date.now()), 200);
  },
);

const moves: { action: BroadcastAction; summary: string; description: string }[] = [
  {
    action: 'start',
    summary: 'Start a draft, or resume a paused broadcast',
    description:
      'Its recipients are written at its start time (at once when that has passed) and sent inside its send ' +
      'window, each person once. A paused one resumes where it left. 409 `broadcast_state` from any other state; ' +
      '422 `template_not_approved` when its template is no longer APPROVED.',
  },
  {
    action: 'pause',
    summary: 'Pause a scheduled or running broadcast',
    description: 'No new send is claimed; sends already claimed finish. Start resumes it.',
  },
  {
    action: 'cancel',
    summary: 'Cancel a broadcast for good',
    description: 'Everyone still waiting is skipped `cancelled`; sends already claimed finish.',
  },
];

for (const move of moves)
  broadcastRoutes.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: `/{id}/${move.action}`,
      operationId: `broadcasts${move.action[0]?.toUpperCase()}${move.action.slice(1)}`,
      summary: move.summary,
      description: move.description,
      request: { params: broadcastIdParams },
      responses: { 200: jsonBody(broadcastSchema, 'The broadcast'), ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { companyId, scope } = c.get('auth');
      let row = await moveBroadcast(c.env, companyId, scope, auditByOf(c), c.req.valid('param').id, move.action);
      // A start whose time has come goes at once (the cron's own sweep), rather than at the next tick.
      const now = Date.now();
      if (move.action === 'start' && row.startAt <= now) {
        const db = companyDb(c.env, companyId);
        await sweepBroadcast(c.env, row, await getCompanyRow(db, companyId), now, queueSink(c.env));
        row = await getBroadcast(db, companyId, scope, row.id);
      }
      const [json] = await withReports(c.env, companyId, [row]);
      return c.json(json, 200);
    },
  );
