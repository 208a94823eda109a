// /api/v1/quick-replies: the company's saved answers. Every staff member reads them (permission
// `conversations`: the composer's "/" list); managers, admins and API keys write them (`quick_replies`).
import { createRoute } from '@hono/zod-openapi';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { fieldErrorHook, newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import {
  quickReplyCreateSchema,
  quickReplyListSchema,
  quickReplyParams,
  quickReplySchema,
  quickReplyUpdateSchema,
} from './schemas';
import { createQuickReply, deleteQuickReply, listQuickReplies, serializeQuickReply, updateQuickReply } from './service';

export const quickReplyRoutes = newRouter();
quickReplyRoutes.use('*', requireCompanyAuth);

const tags = ['Quick replies'];
const read = [requirePermission('conversations')];
const write = [requirePermission('quick_replies')];
/** Buttons or a list that break one of Meta's rules: 422 `invalid_interactive` naming the path, as a send does. */
const interactiveHook = fieldErrorHook('interactive', 'invalid_interactive');

quickReplyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'quickRepliesList',
    summary: "The company's quick replies, by shortcut",
    tags,
    middleware: read,
    responses: { 200: jsonBody(quickReplyListSchema, 'Every quick reply, A to Z'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const rows = await listQuickReplies(companyDb(c.env, c.get('auth').companyId), c.get('auth').companyId);
    return c.json({ collection: rows.map(serializeQuickReply) }, 200);
  },
);

quickReplyRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'quickRepliesCreate',
    summary: 'Save a quick reply (managers and admins)',
    description:
      'The shortcut is unique in the company: 409 `shortcut_taken` otherwise. With `interactive` (reply buttons or a ' +
      "list, its body.text the quick reply's text) it asks with them; a rule of Meta's broken is 422 `invalid_interactive`.",
    tags,
    middleware: write,
    request: { body: { required: true, ...jsonBody(quickReplyCreateSchema, 'Shortcut and text') } },
    responses: { 201: jsonBody(quickReplySchema, 'Saved'), ...errorResponses(400, 401, 403, 409, 415, 422) },
  }),
  async (c) => {
    const row = await createQuickReply(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth').companyId,
      c.req.valid('json'),
    );
    return c.json(serializeQuickReply(row), 201);
  },
  interactiveHook,
);

quickReplyRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    operationId: 'quickRepliesUpdate',
    summary: 'Change a quick reply (managers and admins)',
    tags,
    middleware: write,
    request: {
      params: quickReplyParams,
      body: { required: true, ...jsonBody(quickReplyUpdateSchema, 'The fields to change') },
    },
    responses: { 200: jsonBody(quickReplySchema, 'Changed'), ...errorResponses(400, 401, 403, 404, 409, 415, 422) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const row = await updateQuickReply(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth').companyId,
      id,
      c.req.valid('json'),
    );
    return c.json(serializeQuickReply(row), 200);
  },
  interactiveHook,
);

quickReplyRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    operationId: 'quickRepliesDelete',
    summary: 'Delete a quick reply (managers and admins)',
    tags,
    middleware: write,
    request: { params: quickReplyParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    await deleteQuickReply(companyDb(c.env, c.get('auth').companyId), c.get('auth').companyId, c.req.valid('param').id);
    return c.body(null, 204);
  },
);
