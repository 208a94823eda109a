// /api/admin/companies/{id}/whatsapp/numbers: the platform admin connects a company's further numbers, each to
// one of its clubs (PUT .../whatsapp still sets the first). Behind the same platform token as admin/routes.ts.
import { createRoute } from '@hono/zod-openapi';
import { platformAdminBy } from '../audit/record';
import { requirePlatformAdmin } from '../auth/middleware';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import {
  numberCreateSchema,
  numberListSchema,
  numberParams,
  numberSchema,
  numberUpdateSchema,
} from './numbers-schemas';
import { addNumber, listNumbers, serializeNumber, updateNumber } from './numbers-service';
import { companyIdParams } from './schemas';

export const adminNumberRoutes = newRouter();
adminNumberRoutes.use('*', requirePlatformAdmin);

const common = { tags: ['Platform admin'], hide: true };

adminNumberRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/companies/{id}/whatsapp/numbers',
    operationId: 'adminNumberList',
    request: { params: companyIdParams },
    responses: { 200: jsonBody(numberListSchema, 'Every number, oldest first'), ...errorResponses(401, 404) },
  }),
  async (c) => {
    const rows = await listNumbers(c.env, c.req.valid('param').id);
    return c.json({ collection: rows.map(serializeNumber) }, 200);
  },
);

adminNumberRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/companies/{id}/whatsapp/numbers',
    operationId: 'adminNumberAdd',
    request: { params: companyIdParams, body: { required: true, ...jsonBody(numberCreateSchema, 'The number') } },
    responses: { 201: jsonBody(numberSchema, 'Connected'), ...errorResponses(400, 401, 404, 409, 422) },
  }),
  async (c) => {
    const row = await addNumber(c.env, c.req.valid('param').id, c.req.valid('json'), platformAdminBy(c));
    return c.json(serializeNumber(row), 201);
  },
);

adminNumberRoutes.openapi(
  createRoute({
    ...common,
    method: 'patch',
    path: '/companies/{id}/whatsapp/numbers/{number_id}',
    operationId: 'adminNumberUpdate',
    request: {
      params: numberParams,
      body: { required: true, ...jsonBody(numberUpdateSchema, 'Enable, disable, move') },
    },
    responses: { 200: jsonBody(numberSchema, 'Changed'), ...errorResponses(400, 401, 404, 422) },
  }),
  async (c) => {
    const { id, number_id } = c.req.valid('param');
    const row = await updateNumber(c.env, id, number_id, c.req.valid('json'), platformAdminBy(c));
    return c.json(serializeNumber(row), 200);
  },
);
