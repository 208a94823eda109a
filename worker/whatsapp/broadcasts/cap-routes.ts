// /api/v1/whatsapp/frequency-cap: the company's cap on marketing templates per person (frequency-cap.ts). Those
// who run broadcasts read it (the preview counts by it); admins and API keys change it.
import { createRoute } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { auditByOf, auditRow } from '../../audit/record';
import { requireCompanyAuth } from '../../auth/middleware';
import { can, requirePermission } from '../../auth/permissions';
import { companyDb } from '../../db/company-data';
import { auditLog, companies } from '../../db/schema';
import { ApiError } from '../../errors';
import { newRouter } from '../../http';
import { errorResponses, jsonBody } from '../../openapi-responses';
import { getCompanyRow } from '../automations/service';
import { capOf } from '../frequency-cap';
import { frequencyCapSchema } from './schemas';

export const frequencyCapRoutes = newRouter();
frequencyCapRoutes.use('*', requireCompanyAuth, requirePermission('broadcasts'));

const common = { tags: ['Broadcasts'], security: [{ apiKey: [] }] };

frequencyCapRoutes.openapi(
  createRoute({
    ...common,
    method: 'get',
    path: '/',
    operationId: 'frequencyCapGet',
    summary: 'The frequency cap on marketing templates per person',
    responses: { 200: jsonBody(frequencyCapSchema, 'The cap'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    return c.json(capOf(await getCompanyRow(companyDb(c.env, companyId), companyId)), 200);
  },
);

frequencyCapRoutes.openapi(
  createRoute({
    ...common,
    method: 'put',
    path: '/',
    operationId: 'frequencyCapSet',
    summary: 'Change the frequency cap (admins)',
    description: 'Counts from the next claim on: what was sent stays counted in its period.',
    request: { body: { required: true, ...jsonBody(frequencyCapSchema, 'The cap') } },
    responses: { 200: jsonBody(frequencyCapSchema, 'The cap'), ...errorResponses(400, 401, 403, 422) },
  }),
  async (c) => {
    if (!can(c.get('auth'), 'frequency_cap'))
      throw new ApiError(403, 'forbidden', 'Your role does not allow this; ask an admin');
    const { companyId } = c.get('auth');
    const db = companyDb(c.env, companyId);
    const before = capOf(await getCompanyRow(db, companyId));
    const cap = c.req.valid('json');
    await db.batch([
      db
        .update(companies)
        .set({ frequencyCapMax: cap.max, frequencyCapDays: cap.days })
        .where(eq(companies.id, companyId)),
      db.insert(auditLog).values(
        auditRow(companyId, auditByOf(c), {
          action: 'whatsapp.settings_changed',
          target: { type: 'company', id: companyId },
          details: { changed: { frequency_cap: { from: before, to: cap } } },
        }),
      ),
    ]);
    return c.json(cap, 200);
  },
);
