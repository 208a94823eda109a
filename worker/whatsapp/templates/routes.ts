// /api/v1/whatsapp/templates: Meta-approved message templates. Managing them (create, edit, delete, sync) is
// for managers, admins and API keys (permission `templates`); reading and previewing them is for every staff
// member (`conversations`), because outside the 24-hour window a template is the only thing staff may send.
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { auditByOf } from '../../audit/record';
import { requireCompanyAuth } from '../../auth/middleware';
import { requirePermission } from '../../auth/permissions';
import { errorBody } from '../../errors';
import type { AppEnv } from '../../http';
import { newRouter } from '../../http';
import { errorResponses, errorSchema, jsonBody } from '../../openapi-responses';
import { paginationOf } from '../../pagination';
import {
  serializeTemplate,
  syncCountsSchema,
  templateCreateSchema,
  templateIdParams,
  templateListQuery,
  templateListSchema,
  templatePreviewBody,
  templatePreviewSchema,
  templateSchema,
  templateUpdateSchema,
} from './schemas';
import { createTemplate, deleteTemplate, getTemplate, listTemplates, previewTemplate, updateTemplate } from './service';
import { syncTemplates } from './sync';
import { formatPath } from './validate';

export const templateRoutes = newRouter();
templateRoutes.use('*', requireCompanyAuth, (c, next) => {
  const reads = c.req.method === 'GET' || (c.req.method === 'POST' && c.req.path.endsWith('/preview'));
  return requirePermission(reads ? 'conversations' : 'templates')(c, next);
});

const tags = ['Templates'];
const metaError = {
  502: {
    description: "Meta refused the request or could not be reached (`meta_error`, with Meta's message)",
    content: { 'application/json': { schema: errorSchema } },
  },
};

/** A template breaking Meta's rules answers 422 `invalid_template` naming the exact path at fault. */
function invalidTemplateHook(
  result:
    | { success: true }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } },
  c: Context<AppEnv>,
) {
  if (result.success) return;
  const issue = result.error.issues[0];
  const message = issue ? `${formatPath(issue.path) || 'body'}: ${issue.message}` : 'Invalid template';
  return c.json(errorBody('invalid_template', message), 422);
}

templateRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'templatesCreate',
    summary: 'Submit a template to Meta',
    description:
      "Checks Meta's rules first (422 `invalid_template` naming the path at fault), then submits it to Meta with the " +
      "company's token and stores Meta's id and status (usually PENDING until Meta's review webhook arrives). A " +
      'photo, video or document header takes its sample as `header_sample.media_id` (a file from POST ' +
      '/api/v1/whatsapp/media): a file such a header cannot take answers 422 `invalid_media` in words before anything ' +
      "reaches Meta; the file then goes through Meta's Resumable Upload API for the app `META_APP_ID` (409 " +
      '`meta_app_not_configured` without it) and becomes the `header_media` sends use when they name none.',
    tags,
    request: { body: { required: true, ...jsonBody(templateCreateSchema, "The template, in Meta's format") } },
    responses: {
      201: jsonBody(templateSchema, 'Submitted'),
      ...errorResponses(400, 401, 403, 409, 422),
      ...metaError,
    },
  }),
  async (c) => {
    const row = await createTemplate(c.env, c.get('auth').companyId, auditByOf(c), c.req.valid('json'));
    return c.json(serializeTemplate(row), 201);
  },
  invalidTemplateHook,
);

templateRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'templatesList',
    summary: 'List templates, newest first',
    tags,
    request: { query: templateListQuery },
    responses: { 200: jsonBody(templateListSchema, 'A page of templates'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { page, per_page: perPage, ...filters } = c.req.valid('query');
    const { rows, total } = await listTemplates(c.env, c.get('auth').companyId, { ...filters, page, perPage });
    return c.json({ collection: rows.map(serializeTemplate), pagination: paginationOf(total, perPage) }, 200);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/sync',
    operationId: 'templatesSync',
    summary: "Bring the templates in line with Meta's list",
    description:
      'Imports templates Meta has and we do not, updates status, category and components, and marks those gone ' +
      'from Meta as DELETED. Also runs hourly for every enabled company.',
    tags,
    responses: { 200: jsonBody(syncCountsSchema, 'What changed'), ...errorResponses(401, 403, 409), ...metaError },
  }),
  async (c) => c.json(await syncTemplates(c.env, c.get('auth').companyId, { by: auditByOf(c) }), 200),
);

templateRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    operationId: 'templatesGet',
    summary: 'A template',
    tags,
    request: { params: templateIdParams },
    responses: { 200: jsonBody(templateSchema, 'The template'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const row = await getTemplate(c.env, c.get('auth').companyId, c.req.valid('param').id);
    return c.json(serializeTemplate(row), 200);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    operationId: 'templatesUpdate',
    summary: "Change a template's variable mapping",
    description:
      "Only `variable_map` and a media header's default file (`header_media`) are ours to change; the content is " +
      "Meta's and changing it needs a new template.",
    tags,
    request: { params: templateIdParams, body: { required: true, ...jsonBody(templateUpdateSchema, 'Changes') } },
    responses: { 200: jsonBody(templateSchema, 'The template'), ...errorResponses(401, 403, 404, 422) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const row = await updateTemplate(c.env, c.get('auth').companyId, auditByOf(c), id, c.req.valid('json'));
    return c.json(serializeTemplate(row), 200);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    operationId: 'templatesDelete',
    summary: 'Delete a template at Meta and here',
    description: 'Meta forbids reusing an approved name for 30 days after it is deleted.',
    tags,
    request: { params: templateIdParams },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404), ...metaError },
  }),
  async (c) => {
    await deleteTemplate(c.env, c.get('auth').companyId, auditByOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  },
);

templateRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/preview',
    operationId: 'templatesPreview',
    summary: 'The template as a person would read it, without sending',
    tags,
    request: {
      params: templateIdParams,
      body: { required: true, ...jsonBody(templatePreviewBody, 'Who, and any params') },
    },
    responses: { 200: jsonBody(templatePreviewSchema, 'The rendered text'), ...errorResponses(401, 403, 404, 422) },
  }),
  async (c) => {
    const { person_id: personId, params } = c.req.valid('json');
    const { template, preview } = await previewTemplate(
      c.env,
      c.get('auth'),
      c.req.valid('param').id,
      personId,
      params,
    );
    return c.json({ template_id: template.id, status: template.status, ...preview }, 200);
  },
);
