// The Meta dataset a company's ad leads' events go to (Conversions API for business messaging), and what a
// Purchase is worth: GET/PUT /api/v1/whatsapp/conversions (company admins and API keys) and
// PUT /api/admin/companies/{id}/conversions (the platform admin). Unset, nothing is reported.
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { type AuditBy, auditByOf, auditRow, platformAdminBy } from '../audit/record';
import { requireCompanyAuth, requirePlatformAdmin } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb, readReplica, readsOf } from '../db/company-data';
import { auditLog, companies } from '../db/schema';
import { notFound } from '../errors';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { cursorQuery, listSchema } from '../pagination';
import { conversionEventSchema, listConversionEvents } from './events-list';

const settingsSchema = z
  .object({
    dataset_id: z.string().nullable().openapi({ description: "Meta's dataset id; null: no events are reported" }),
    currency: z.string().openapi({ description: 'ISO 4217, for Purchase events' }),
    purchase_value: z.number().openapi({ description: 'What one Purchase (a lead joining) is worth' }),
  })
  .openapi('ConversionsSettings');

const settingsInput = z
  .object({
    dataset_id: z
      .string()
      .regex(/^\d{1,32}$/, "digits only, as Meta's Events Manager shows it")
      .nullable()
      .openapi({ example: '1234567890123456' }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as GBP')
      .optional(),
    purchase_value: z.number().min(0).max(1_000_000).optional(),
  })
  .strict()
  .openapi('ConversionsSettingsUpdate');

type SettingsJson = z.infer<typeof settingsSchema>;
type SettingsInput = z.infer<typeof settingsInput>;

const DEFAULT_CURRENCY = 'USD';

function serialize(c: typeof companies.$inferSelect): SettingsJson {
  return {
    dataset_id: c.metaDatasetId,
    currency: c.conversionsCurrency ?? DEFAULT_CURRENCY,
    purchase_value: c.conversionsPurchaseValue ?? 0,
  };
}

async function readSettings(env: Env, companyId: string): Promise<SettingsJson> {
  const row = await companyDb(env, companyId).select().from(companies).where(eq(companies.id, companyId)).get();
  if (!row) throw notFound('Company');
  return serialize(row);
}

/** The change and its audit entry in one batch. Events already recorded keep the dataset they were made for. */
async function writeSettings(env: Env, companyId: string, by: AuditBy, input: SettingsInput): Promise<SettingsJson> {
  const before = await readSettings(env, companyId);
  const db = companyDb(env, companyId);
  const [rows] = await db.batch([
    db
      .update(companies)
      .set({
        metaDatasetId: input.dataset_id,
        ...(input.currency !== undefined ? { conversionsCurrency: input.currency } : {}),
        ...(input.purchase_value !== undefined ? { conversionsPurchaseValue: input.purchase_value } : {}),
      })
      .where(eq(companies.id, companyId))
      .returning(),
    db.insert(auditLog).values(
      auditRow(companyId, by, {
        action: 'whatsapp.settings_changed',
        target: { type: 'company', id: companyId },
        details: { conversions: { from: before, to: input } },
      }),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound('Company');
  return serialize(row);
}

const tags = ['Settings: WhatsApp'];

export const conversionsRoutes = newRouter();

conversionsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'conversionsSettings',
    summary: "Where ad leads' events are reported (Meta's Conversions API)",
    tags,
    middleware: [requireCompanyAuth, requirePermission('conversions')],
    responses: { 200: jsonBody(settingsSchema, 'The settings'), ...errorResponses(401, 403) },
  }),
  async (c) => c.json(await readSettings(c.env, c.get('auth').companyId), 200),
);

conversionsRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/',
    operationId: 'conversionsSettingsUpdate',
    summary: "Set the Meta dataset ad leads' events go to, or null to stop (admins)",
    description:
      'With a dataset set, a lead made by a click-to-WhatsApp ad is reported as `LeadSubmitted`, and as `Purchase` ' +
      "when they reach a won stage, each once, with the ad's click id; each shows in the person's history.",
    tags,
    middleware: [requireCompanyAuth, requirePermission('conversions')],
    request: { body: { required: true, ...jsonBody(settingsInput, 'The dataset, and what a Purchase is worth') } },
    responses: { 200: jsonBody(settingsSchema, 'Saved'), ...errorResponses(400, 401, 403, 415, 422) },
  }),
  async (c) => c.json(await writeSettings(c.env, c.get('auth').companyId, auditByOf(c), c.req.valid('json')), 200),
);

const eventListSchema = listSchema(conversionEventSchema).openapi('ConversionEventList');

conversionsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/events',
    operationId: 'conversionEventsList',
    summary: "Recent events reported to Meta's Conversions API, newest first",
    description:
      'Each LeadSubmitted and Purchase recorded for an ad lead: pending (not reported yet, or waiting for a retry), ' +
      "sent, or failed with Meta's error. Keyset paged: pass `next_cursor` as `cursor`.",
    tags,
    middleware: [requireCompanyAuth, requirePermission('conversions'), readReplica],
    request: { query: z.object({ ...cursorQuery }) },
    responses: { 200: jsonBody(eventListSchema, 'A page of events'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const { rows, pagination } = await listConversionEvents(readsOf(c), companyId, scope, c.req.valid('query'));
    return c.json({ collection: rows, pagination }, 200);
  },
);

export const adminConversionsRoutes = newRouter();

adminConversionsRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/companies/{id}/conversions',
    operationId: 'adminConversionsUpdate',
    tags: ['Platform admin'],
    hide: true,
    middleware: [requirePlatformAdmin],
    request: {
      params: z.object({ id: z.string().min(1).max(64) }),
      body: { required: true, ...jsonBody(settingsInput, 'The dataset') },
    },
    responses: { 200: jsonBody(settingsSchema, 'Saved'), ...errorResponses(400, 401, 404, 422) },
  }),
  async (c) =>
    c.json(await writeSettings(c.env, c.req.valid('param').id, platformAdminBy(c), c.req.valid('json')), 200),
);
