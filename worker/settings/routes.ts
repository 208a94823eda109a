// Company settings for the staff app: staff users (`users` permission) and API keys (`api_keys`), admins only;
// API keys cannot manage either. The services are the platform admin's (worker/admin/service.ts), scoped to
// the caller's company.
import { createRoute } from '@hono/zod-openapi';
import { serializeApiKey, serializeApiKeyCreated } from '../admin/serialize';
import { createApiKey, listApiKeys, revokeApiKey } from '../admin/service';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import {
  apiKeyIdParams,
  companyApiKeyCreatedSchema,
  companyApiKeyCreateSchema,
  companyApiKeyListSchema,
  companyUserCreateSchema,
  companyUserListSchema,
  companyUserSchema,
  companyUserUpdateSchema,
  userIdParams,
} from './schemas';
import { createCompanyUser, listCompanyUsers, serializeCompanyUser, updateCompanyUser } from './users';

export const userRoutes = newRouter();
userRoutes.use('*', requireCompanyAuth, requirePermission('users'));

const userTags = ['Settings: users'];

userRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'usersList',
    summary: "The company's staff logins (admins)",
    tags: userTags,
    responses: { 200: jsonBody(companyUserListSchema, 'Every user, active or not'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const rows = await listCompanyUsers(companyDb(c.env, c.get('auth').companyId), c.get('auth').companyId);
    return c.json({ collection: rows.map(serializeCompanyUser) }, 200);
  },
);

userRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'usersCreate',
    summary: 'Create a staff login with a role, the clubs it may see and a first password (admins)',
    description:
      'Emails are unique across ClubChat (login is by email alone): 409 `email_taken` otherwise. `club_ids` ' +
      'limits the user to those clubs (422 `unknown_club` for a club not of this company); left out or null, ' +
      'every club. `role: salesperson` sees only the people they own and unowned leads.',
    tags: userTags,
    request: { body: { required: true, ...jsonBody(companyUserCreateSchema, 'The new user') } },
    responses: { 201: jsonBody(companyUserSchema, 'Created'), ...errorResponses(400, 401, 403, 409, 415, 422) },
  }),
  async (c) => {
    const row = await createCompanyUser(c.env, c.get('auth'), auditByOf(c), c.req.valid('json'));
    return c.json(serializeCompanyUser(row), 201);
  },
);

userRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    operationId: 'usersUpdate',
    summary: "Change a user's role, clubs, name or email, deactivate or restore them (admins)",
    description:
      'A deactivated user is logged out everywhere at once (sessions deleted, open apps closed, push ' +
      'subscriptions removed) and cannot log in. 409 `last_admin` when the change would leave no active admin; ' +
      '409 `cannot_deactivate_self`; 409 `email_taken`.',
    tags: userTags,
    request: { params: userIdParams, body: { required: true, ...jsonBody(companyUserUpdateSchema, 'What to change') } },
    responses: { 200: jsonBody(companyUserSchema, 'Changed'), ...errorResponses(400, 401, 403, 404, 409, 415, 422) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const row = await updateCompanyUser(c.env, c.get('auth'), auditByOf(c), id, c.req.valid('json'));
    return c.json(serializeCompanyUser(row), 200);
  },
);

export const apiKeyRoutes = newRouter();
apiKeyRoutes.use('*', requireCompanyAuth, requirePermission('api_keys'));

const keyTags = ['Settings: API keys'];

apiKeyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'apiKeysList',
    summary: "The company's API keys, newest first; never the key itself (admins)",
    tags: keyTags,
    responses: { 200: jsonBody(companyApiKeyListSchema, 'Every key, revoked ones too'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const rows = await listApiKeys(companyDb(c.env, c.get('auth').companyId), c.get('auth').companyId);
    return c.json({ collection: rows.map(serializeApiKey) }, 200);
  },
);

apiKeyRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'apiKeysCreate',
    summary: 'Create an API key: the key is in this answer only (admins)',
    tags: keyTags,
    request: { body: { required: true, ...jsonBody(companyApiKeyCreateSchema, 'A label') } },
    responses: { 201: jsonBody(companyApiKeyCreatedSchema, 'Created'), ...errorResponses(400, 401, 403, 415, 422) },
  }),
  async (c) => {
    const { row, key } = await createApiKey(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth').companyId,
      c.req.valid('json').name,
      auditByOf(c),
    );
    return c.json(serializeApiKeyCreated(row, key), 201);
  },
);

apiKeyRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    operationId: 'apiKeysRevoke',
    summary: 'Revoke an API key: it answers 401 from the next request on (admins)',
    tags: keyTags,
    request: { params: apiKeyIdParams },
    responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    await revokeApiKey(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth').companyId,
      c.req.valid('param').id,
      auditByOf(c),
    );
    return c.body(null, 204);
  },
);
