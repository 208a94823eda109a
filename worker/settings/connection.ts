// GET /api/v1/whatsapp/connection: the company's WhatsApp number and whether it works, read-only (only the
// platform admin switches WhatsApp on and sets the number). Never the access token, only whether one is set.
import { createRoute } from '@hono/zod-openapi';
import { getCompany } from '../admin/service';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { DEFAULT_MESSAGES_PER_SECOND } from '../whatsapp/automations/pacer';
import { type WhatsappConnectionJson, whatsappConnectionSchema } from './schemas';

export const connectionRoutes = newRouter();

export function connectionOf(c: Awaited<ReturnType<typeof getCompany>>): WhatsappConnectionJson {
  const configured = Boolean(c.phoneNumberId && c.accessTokenEnc);
  return {
    status: !c.whatsappEnabled ? 'off' : configured ? 'connected' : 'not_configured',
    display_phone_number: c.displayPhoneNumber,
    phone_number_id: c.phoneNumberId,
    waba_id: c.wabaId,
    messages_per_second: c.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND,
  };
}

connectionRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'whatsappConnection',
    summary: "The company's WhatsApp number and status (read-only)",
    tags: ['Settings: WhatsApp'],
    middleware: [requireCompanyAuth, requirePermission('conversations')],
    responses: { 200: jsonBody(whatsappConnectionSchema, 'The connection'), ...errorResponses(401, 403) },
  }),
  async (c) =>
    c.json(connectionOf(await getCompany(companyDb(c.env, c.get('auth').companyId), c.get('auth').companyId)), 200),
);
