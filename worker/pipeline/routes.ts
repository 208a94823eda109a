// /api/v1/pipeline: the company's lead stages. Every staff member reads them (the stage pickers and filters);
// admins and API keys replace them (`pipeline`).
import { createRoute } from '@hono/zod-openapi';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { pipelinePutSchema, pipelineSchema } from './schemas';
import { listStages, replacePipeline, serializeStage } from './service';

export const pipelineRoutes = newRouter();
pipelineRoutes.use('*', requireCompanyAuth);

const tags = ['Pipeline'];

pipelineRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'pipelineGet',
    summary: "The company's lead stages, in order",
    tags,
    middleware: [requirePermission('conversations')],
    responses: { 200: jsonBody(pipelineSchema, 'The stages'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const stages = await listStages(companyDb(c.env, companyId), companyId);
    return c.json({ stages: stages.map(serializeStage) }, 200);
  },
);

pipelineRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/',
    operationId: 'pipelinePut',
    summary: 'Rename, reorder, add or remove stages (admins)',
    tags,
    middleware: [requirePermission('pipeline')],
    request: { body: { required: true, ...jsonBody(pipelinePutSchema, 'The whole pipeline, in order') } },
    responses: { 200: jsonBody(pipelineSchema, 'The stages now'), ...errorResponses(400, 401, 403, 409, 415, 422) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const stages = await replacePipeline(companyDb(c.env, companyId), companyId, auditByOf(c), c.req.valid('json'));
    return c.json({ stages: stages.map(serializeStage) }, 200);
  },
);
