// /api/v1/audit-log: who changed consent, opt-outs, phones, templates, automated items, users, API keys and
// WhatsApp settings, newest first. Admins only (permission `audit`): API keys cannot read it, as they cannot
// manage logins or keys.
import { createRoute } from '@hono/zod-openapi';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { readReplica, readsOf } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { getAuditEntry, listAudit } from './list';
import { auditEntrySchema, auditIdParams, auditListQuery, auditListSchema } from './schemas';

export const auditRoutes = newRouter();
auditRoutes.use('*', requireCompanyAuth, requirePermission('audit'), readReplica);

const tags = ['Audit log'];

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'auditLogList',
    summary: 'The audit log, newest first (admins)',
    description:
      'Every change to consent, opt-outs, phones, templates, automated items, users, API keys and WhatsApp ' +
      'settings: who (user, API key, the person on WhatsApp, Meta, ClubChat), from which address, what and on ' +
      'what. Filter by `action` (repeatable), `target_type` + `target_id`, `actor_id`, `from` / `to`; page with ' +
      '`cursor` (`pagination.next_cursor`). Entries are kept for two years and can never be changed.',
    tags,
    request: { query: auditListQuery },
    responses: { 200: jsonBody(auditListSchema, 'A page of entries'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { rows, pagination } = await listAudit(readsOf(c), c.get('auth').companyId, c.req.valid('query'));
    return c.json({ collection: rows, pagination }, 200);
  },
);

auditRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    operationId: 'auditLogGet',
    summary: 'One audit entry (admins)',
    tags,
    request: { params: auditIdParams },
    responses: { 200: jsonBody(auditEntrySchema, 'The entry'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => c.json(await getAuditEntry(readsOf(c), c.get('auth').companyId, c.req.valid('param').id), 200),
);
