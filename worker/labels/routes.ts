// /api/v1/labels: the company's labels. Every staff member reads them (pickers and filters) and puts them on
// people (people/:id/labels); managers, admins and API keys add, change and delete them (`labels`).
import { createRoute } from '@hono/zod-openapi';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { labelCreateSchema, labelListSchema, labelParams, labelSchema, labelUpdateSchema } from './schemas';
import { createLabel, deleteLabel, listLabels, serializeLabel, updateLabel } from './service';

export const labelRoutes = newRouter();
labelRoutes.use('*', requireCompanyAuth);

const tags = ['Labels'];
const write = [requirePermission('labels')];

labelRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'labelsList',
    summary: "The company's labels, A to Z",
    tags,
    middleware: [requirePermission('conversations')],
    responses: { 200: jsonBody(labelListSchema, 'Every label'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    return c.json({ collection: (await listLabels(companyDb(c.env, companyId), companyId)).map(serializeLabel) }, 200);
  },
);

labelRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'labelsCreate',
    summary: 'Add a label (managers and admins; up to 50)',
    tags,
    middleware: write,
    request: { body: { required: true, ...jsonBody(labelCreateSchema, 'Name and colour') } },
    responses: { 201: jsonBody(labelSchema, 'Added'), ...errorResponses(400, 401, 403, 409, 415, 422) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const row = await createLabel(companyDb(c.env, companyId), companyId, auditByOf(c), c.req.valid('json'));
    return c.json(serializeLabel(row), 201);
  },
);

labelRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    operationId: 'labelsUpdate',
    summary: 'Rename or recolour a label (managers and admins)',
    tags,
    middleware: write,
    request: { params: labelParams, body: { required: true, ...jsonBody(labelUpdateSchema, 'What to change') } },
    responses: { 200: jsonBody(labelSchema, 'Changed'), ...errorResponses(400, 401, 403, 404, 409, 415, 422) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const { id } = c.req.valid('param');
    const row = await updateLabel(companyDb(c.env, companyId), companyId, auditByOf(c), id, c.req.valid('json'));
    return c.json(serializeLabel(row), 200);
  },
);

labelRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    operationId: 'labelsDelete',
    summary: 'Delete a label: it comes off everyone wearing it (managers and admins)',
    description: 'Not while an automated item sends to its wearers (409 label_in_use): change the item first.',
    tags,
    middleware: write,
    request: { params: labelParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404, 409) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    await deleteLabel(companyDb(c.env, companyId), companyId, auditByOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  },
);
