import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq } from 'drizzle-orm';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { getDb } from '../db/client';
import { conversationWindows, people, whatsappNumbers } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newRouter } from '../http';
import { notifyInbox } from '../realtime/notify';
import { conversationStub } from '../whatsapp/conversation';
import { sampleReferral } from './ads';
import { faultsSchema, INBOUND_TYPES, settingsPatchSchema, waIdInput } from './controls';
import { unsupportedRequest } from './graph-errors';
import { graphTarget, MEDIA_OBJECT, objectNameFor } from './graph-path';
import { sandboxOnly } from './guard';
import { answerInputSchema } from './interactive-answers';
import { signupGraphTarget } from './signup-graph';
import { SANDBOX_BUSINESS_OBJECT } from './signup-store';

// The simulator's doors. /sandbox/graph/* is Meta's Graph API (what the graph client calls in sandbox mode);
// the other routes let a person, or the PWA, play the customer and misbehave like Meta, using the company's
// API key or a staff session (the app's sandbox panel). All of it answers 404 unless WHATSAPP_MODE=sandbox,
// and none of it is in the integrator OpenAPI doc.

export const sandboxRoutes = newRouter();

sandboxRoutes.all('/graph/*', sandboxOnly, async (c) => {
  // Embedded Signup's calls (the code exchange, register, subscribed_apps, a number's fields): one instance.
  if (signupGraphTarget(new URL(c.req.url)))
    return c.env.META_SANDBOX.getByName(SANDBOX_BUSINESS_OBJECT).fetch(c.req.raw);
  const target = graphTarget(new URL(c.req.url).pathname);
  const name = target && objectNameFor(target);
  if (!name) return unsupportedRequest(c.req.method, target?.kind === 'unknown' ? target.objectId : c.req.path);
  return c.env.META_SANDBOX.getByName(name).fetch(c.req.raw);
});

// Where GET /{media-id} says the file is; Meta serves it with the same bearer token.
sandboxRoutes.get('/media/:id', sandboxOnly, (c) => c.env.META_SANDBOX.getByName(MEDIA_OBJECT).fetch(c.req.raw));

/**
 * The simulated number behind the caller's company: the one named (`phone_number_id`, which must be one of its
 * numbers), else its first. Each number is its own simulator, as each is its own phone at Meta.
 */
async function companyNumber(env: Env, companyId: string, wanted?: string): Promise<{ phoneNumberId: string }> {
  const rows = await getDb(env)
    .select({ phoneNumberId: whatsappNumbers.phoneNumberId, isFirst: whatsappNumbers.isFirst })
    .from(whatsappNumbers)
    .where(eq(whatsappNumbers.companyId, companyId))
    .orderBy(asc(whatsappNumbers.createdAt))
    .all();
  if (wanted !== undefined) {
    if (!rows.some((r) => r.phoneNumberId === wanted))
      throw new ApiError(422, 'unknown_number', `Number ${wanted} is not one of this company's`);
    return { phoneNumberId: wanted };
  }
  const row = rows.find((r) => r.isFirst) ?? rows[0];
  if (!row)
    throw new ApiError(409, 'whatsapp_not_configured', 'This company has no WhatsApp phone number id configured');
  return { phoneNumberId: row.phoneNumberId };
}

const ok = { description: 'OK' };
const middleware = [sandboxOnly, requireCompanyAuth, requirePermission('conversations')];

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
            schema: z
              .strictObject({
                from: waIdInput,
                text: z.string().min(1).max(4096).optional(),
                name: z.string().min(1).optional(),
                /** Default text; media types get a simulated file (text becomes its caption). */
                type: z.enum(INBOUND_TYPES).optional(),
                /** Reply to one of our messages (Meta's `context`). */
                context: z.strictObject({ id: z.string().min(1) }).optional(),
                /** The object under the type's key, verbatim: e.g. a reaction `{message_id, emoji}`. */
                content: z.record(z.string(), z.unknown()).optional(),
                /** Which of the company's numbers the person writes to (a club's); default its first. */
                phone_number_id: z.string().min(1).max(32).optional(),
                /** As if sent from a click-to-WhatsApp ad: the demo ad (sandbox/ads.ts), `referral` fields over it. */
                from_ad: z.boolean().optional(),
                /** Meta's referral object's fields, verbatim. */
                referral: z.record(z.string(), z.unknown()).optional(),
              })
              .refine((b) => b.text !== undefined || (b.type !== undefined && b.type !== 'text'), {
                message: 'Send `text`, or a `type` other than text',
              }),
          },
        },
      },
    },
    responses: { 202: ok },
  }),
  async (c) => {
    const { phone_number_id: wanted, from_ad: fromAd, referral, ...body } = c.req.valid('json');
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId, wanted);
    const ad = fromAd ? sampleReferral(referral) : referral;
    const result = await c.env.META_SANDBOX.getByName(phoneNumberId).inbound({
      ...body,
      ...(ad ? { referral: ad } : {}),
    });
    // webhook_status shows whether our own webhook took it, which is what someone trying this by hand wants to know.
    return c.json({ wamid: result.wamid, webhook_status: result.status }, 202);
  },
);

sandboxRoutes.openapi(
  createRoute({ method: 'get', path: '/messages', hide: true, middleware, responses: { 200: ok } }),
  async (c) => {
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId, c.req.query('phone_number_id'));
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

// Play the person answering reply buttons or a list: the questions they could answer, then their tap.
sandboxRoutes.openapi(
  createRoute({ method: 'get', path: '/questions', hide: true, middleware, responses: { 200: ok } }),
  async (c) => {
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId, c.req.query('phone_number_id'));
    const questions = await c.env.META_SANDBOX.getByName(phoneNumberId).listQuestions();
    return c.json({ data: questions.map((q) => ({ ...q, at: new Date(q.at).toISOString() })) }, 200);
  },
);

sandboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/answers',
    hide: true,
    middleware,
    request: {
      body: {
        required: true,
        content: {
          'application/json': {
            schema: answerInputSchema.extend({ phone_number_id: z.string().min(1).max(32).optional() }),
          },
        },
      },
    },
    responses: { 202: ok },
  }),
  async (c) => {
    const { phone_number_id: wanted, ...answer } = c.req.valid('json');
    const { phoneNumberId } = await companyNumber(c.env, c.get('auth').companyId, wanted);
    const result = await c.env.META_SANDBOX.getByName(phoneNumberId).answer(answer);
    if (!result) throw new ApiError(404, 'not_found', 'No such question, or no such choice in it');
    return c.json({ wamid: result.wamid, webhook_status: result.status }, 202);
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

// The e2e tests' clock: the conversation object (which alone decides the window) and the person's mirror both
// move the person's last message back, so the window is closed as if a day had passed.
sandboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/people/{id}/expire-window',
    hide: true,
    middleware,
    request: {
      params: z.object({ id: z.string() }),
      body: {
        required: false,
        content: {
          'application/json': {
            schema: z.strictObject({
              hours_ago: z
                .number()
                .min(24)
                .max(24 * 365)
                .default(25),
            }),
          },
        },
      },
    },
    responses: { 200: ok },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const db = getDb(c.env);
    const where = and(eq(people.companyId, companyId), eq(people.id, c.req.valid('param').id));
    const person = await db.select().from(people).where(where).get();
    if (!person?.phone) throw notFound('Person');
    const hoursAgo = c.req.valid('json')?.hours_ago ?? 25;
    const at = Date.now() - hoursAgo * 60 * 60 * 1000;
    const moved = await db
      .update(conversationWindows)
      .set({ lastInboundAt: at })
      .where(and(eq(conversationWindows.companyId, companyId), eq(conversationWindows.personId, person.id)))
      .returning({ at: conversationWindows.lastInboundAt });
    const legacy = await conversationStub(c.env, companyId, person.id).expireLegacyWindowInSandbox(at);
    const had = moved.length > 0 || legacy;
    if (had) await db.update(people).set({ whatsappLastInboundAt: at }).where(where);
    await notifyInbox(c.env, companyId, { type: 'person', personId: person.id });
    return c.json({ last_inbound_at: had ? new Date(at).toISOString() : null }, 200);
  },
);
