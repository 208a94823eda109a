// Platform admin API (/api/admin): the operator creates companies, switches WhatsApp on, issues API keys and
// staff users. Hidden from the integrators' OpenAPI document: integrators cannot call it.
import { createRoute } from '@hono/zod-openapi';
import { platformAdminBy } from '../audit/record';
import { requirePlatformAdmin } from '../auth/middleware';
import { platformDb } from '../db/client';
import { companyDb } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import {
  apiKeyCreatedSchema,
  apiKeyCreateSchema,
  apiKeyListSchema,
  apiKeyParams,
  companyCreateSchema,
  companyIdParams,
  companySchema,
  userCreateSchema,
  userSchema,
  whatsappConfigSchema,
  whatsappSwitchSchema,
} from './schemas';
import { serializeApiKey, serializeApiKeyCreated, serializeCompany, serializeUser } from './serialize';
import {
  configureWhatsapp,
  createApiKey,
  createCompany,
  createUser,
  listApiKeys,
  revokeApiKey,
  switchWhatsapp,
} from './service';

export const adminRoutes = newRouter();

// Every admin route, matched or not, needs the platform token: an unknown path answers 401, revealing nothing.
adminRoutes.use('*', requirePlatformAdmin);

const common = { tags: ['Platform admin'], hide: true };

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/companies',
    operationId: 'adminCompanyCreate',
    request: { body: { required: true, ...jsonBody(companyCreateSchema, 'The company') } },
    responses: { 201: jsonBody(companySchema, 'Created'), ...errorResponses(400, 401, 422) },
  }),
  async (c) => c.json(serializeCompany(await createCompany(platformDb(c.env), c.req.valid('json'))), 201),
);

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'put',
    path: '/companies/{id}/whatsapp',
    operationId: 'adminWhatsappConfigure',
    request: {
      params: companyIdParams,
      body: { required: true, ...jsonBody(whatsappConfigSchema, 'Meta WhatsApp number and token') },
    },
    responses: { 200: jsonBody(companySchema, 'The company'), ...errorResponses(400, 401, 404, 409, 422) },
  }),
  async (c) => {
    const company = await configureWhatsapp(c.env, c.req.valid('param').id, c.req.valid('json'), platformAdminBy(c));
    return c.json(serializeCompany(company), 200);
  },
);

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'patch',
    path: '/companies/{id}/whatsapp',
    operationId: 'adminWhatsappSwitch',
    request: {
      params: companyIdParams,
      body: { required: true, ...jsonBody(whatsappSwitchSchema, 'Switch WhatsApp off (or on again)') },
    },
    responses: { 200: jsonBody(companySchema, 'The company'), ...errorResponses(400, 401, 404, 422) },
  }),
  async (c) => {
    const { enabled } = c.req.valid('json');
    const company = await switchWhatsapp(c.env, c.req.valid('param').id, enabled, platformAdminBy(c));
    return c.json(serializeCompany(company), 200);
  },
);

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/companies/{id}/api-keys',
    operationId: 'adminApiKeyCreate',
    request: { params: companyIdParams, body: { required: true, ...jsonBody(apiKeyCreateSchema, 'A label') } },
    responses: { 201: jsonBody(apiKeyCreatedSchema, 'Created'), ...errorResponses(400, 401, 404, 422) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { row, key } = await createApiKey(companyDb(c.env, id), id, c.req.valid('json').name, platformAdminBy(c));
    return c.json(serializeApiKeyCreated(row, key), 201);
  },
);

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/companies/{id}/api-keys',
    operationId: 'adminApiKeyList',
    request: { params: companyIdParams },
    responses: {
      200: jsonBody(apiKeyListSchema, 'Every key, newest first; never the key itself'),
      ...errorResponses(401, 404),
    },
  }),
  async (c) => {
    const rows = await listApiKeys(companyDb(c.env, c.req.valid('param').id), c.req.valid('param').id);
    return c.json({ collection: rows.map(serializeApiKey) }, 200);
  },
);

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'delete',
    path: '/companies/{id}/api-keys/{key_id}',
    operationId: 'adminApiKeyRevoke',
    request: { params: apiKeyParams },
    responses: { 204: { description: 'Revoked: the key answers 401 from now on' }, ...errorResponses(401, 404) },
  }),
  async (c) => {
    const { id, key_id } = c.req.valid('param');
    await revokeApiKey(companyDb(c.env, id), id, key_id, platformAdminBy(c));
    return c.body(null, 204);
  },
);

adminRoutes.openapi(
  createRoute({
    ...common,
    method: 'post',
    path: '/companies/{id}/users',
    operationId: 'adminUserCreate',
    request: { params: companyIdParams, body: { required: true, ...jsonBody(userCreateSchema, 'The user') } },
    responses: { 201: jsonBody(userSchema, 'Created'), ...errorResponses(400, 401, 404, 409, 422) },
  }),
  async (c) => {
    const user = await createUser(
      companyDb(c.env, c.req.valid('param').id),
      c.req.valid('param').id,
      c.req.valid('json'),
      platformAdminBy(c),
    );
    return c.json(serializeUser(user), 201);
  },
);
