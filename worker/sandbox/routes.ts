import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { requireApiKey } from '../auth/middleware';
import { getDb } from '../db/client';
import { companies } from '../db/schema';
import { ApiError } from '../errors';
import { newRouter } from '../http';
import { faultsSchema, settingsPatchSchema, waIdInput } from './controls';
import { unsupportedRequest } from './graph-errors';
import { graphTarget, MEDIA_OBJECT, objectNameFor } from './graph-path';
import { sandboxOnly } from './guard';

// The simulator's doors. /sandbox/graph/* is Meta's Graph API (what the graph client calls in sandbox mode);
// the other routes let a person, or the PWA, play the customer and misbehave like Meta, using the company's
// API key. All of it answers 404 unless WHATSAPP_MODE=sandbox, and none of it is in the integrator OpenAPI doc.

export const sandboxRoutes = newRouter();

sandboxRoutes.all('/graph/*', sandboxOnly, async (c) => {
  const target = graphTarget(new URL(c.req.url).pathname);
  const name = target && objectNameFor(target);
  if (!name) return unsupportedRequest(c.req.method, target?.kind === 'unknown' ? target.objectId : c.req.path);
  return c.env.META_SANDBOX.getByName(name).fetch(c.req.raw);
});

// Where GET /{media-id} says the file is; Meta serves it with the same bearer token.
sandboxRoutes.get('/media/:id', sandboxOnly, (c) => c.env.META_SANDBOX.getByName(MEDIA_OBJECT).fetch(c.req.raw));

/** The simulated number behind the caller's company. */
async function companyNumber(env: Env, companyId: string): Promise<{ phoneNumberId: string; wabaId: string | null }> {
  const row = await getDb(env)
    .select({ phoneNumberId: companies.phoneNumberId, wabaId: companies.wabaId })
    .from(companies)
    .where(eq(companies.id, companyId))
    .get();
  if (!row?.phoneNumberId)
    throw new ApiError(409, 'whatsapp_not_configured', 'This company has no WhatsApp phone number id configured');
  return { phoneNumberId: row.phoneNumberId, wabaId: row.wabaId };
}

const ok = { description: 'OK' };
const middleware = [sandboxOnly, requireApiKey];

sandboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/inbound',
    hide: true,
    middleware,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: z.strictObject({
              from: waIdInput,
              text: z.string().min(1).max(4096),
              name: z.string().min(1).optional(),
            }),
          },
        },
      },
    },
    responses: { 202: ok },
  }),
  async (c) => {
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId);
    const body = c.req.valid('json');
    const result = await c.env.META_SANDBOX.getByName(phoneNumberId).inbound({
      from: body.from,
      text: body.text,
      name: body.name,
    });
    // webhook_status shows whether our own webhook took it, which is what someone trying this by hand wants to know.
    return c.json({ wamid: result.wamid, webhook_status: result.status }, 202);
  },
);

sandboxRoutes.openapi(
  createRoute({ method: 'get', path: '/messages', hide: true, middleware, responses: { 200: ok } }),
  async (c) => {
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId);
    const messages = await c.env.META_SANDBOX.getByName(phoneNumberId).listMessages();
    return c.json(
      {
        data: messages.map((m) => ({
          wamid: m.wamid,
          to: m.to,
          type: m.type,
          request: m.request,
          callback_data: m.callbackData,
          at: new Date(m.at).toISOString(),
        })),
      },
      200,
    );
  },
);

sandboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/faults',
    hide: true,
    middleware,
    request: {
      body: { required: true, content: { 'application/json': { schema: z.strictObject({ faults: faultsSchema }) } } },
    },
    responses: { 202: ok },
  }),
  async (c) => {
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId);
    const pending = await c.env.META_SANDBOX.getByName(phoneNumberId).queueFaults(c.req.valid('json').faults);
    return c.json({ pending }, 202);
  },
);

sandboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/configure',
    hide: true,
    middleware,
    request: { body: { required: true, content: { 'application/json': { schema: settingsPatchSchema } } } },
    responses: { 200: ok },
  }),
  async (c) => {
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId);
    const settings = await c.env.META_SANDBOX.getByName(phoneNumberId).configure(c.req.valid('json'));
    return c.json(settings, 200);
  },
);
