// /api/v1/push: Web Push for the staff app. The app reads the VAPID public key, subscribes through the
// browser's PushManager, and stores the subscription here for this staff member and device (session only:
// an API key has no device to notify).
import { createRoute } from '@hono/zod-openapi';
import { requireSession } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { ApiError } from '../errors';
import { newRouter } from '../http';
import { errorResponses, errorSchema, jsonBody } from '../openapi-responses';
import { type Vapid, vapidOf } from './config';
import { PUSH_ENDPOINT_RULE, pushEndpointAllowed } from './hosts';
import {
  pushSubscriptionSavedSchema,
  pushSubscriptionSchema,
  pushUnsubscribeSchema,
  vapidPublicKeySchema,
} from './schemas';
import { deleteSubscription, saveSubscription } from './subscriptions';

export const pushRoutes = newRouter();
pushRoutes.use('*', requireSession, requirePermission('conversations'));

const tags = ['Web Push'];
const notConfigured = {
  503: {
    description: 'Web Push is not configured on this deployment (`push_not_configured`)',
    content: { 'application/json': { schema: errorSchema } },
  },
};

function vapidOrThrow(env: Env): Vapid {
  const vapid = vapidOf(env);
  if (!vapid) throw new ApiError(503, 'push_not_configured', 'Notifications are not set up on this server');
  return vapid;
}

pushRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/vapid-public-key',
    operationId: 'pushVapidPublicKey',
    summary: 'The key the app subscribes with (applicationServerKey)',
    tags,
    responses: {
      200: jsonBody(vapidPublicKeySchema, 'The VAPID public key'),
      ...errorResponses(401, 403),
      ...notConfigured,
    },
  }),
  async (c) => c.json({ public_key: vapidOrThrow(c.env).publicKey }, 200),
);

pushRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/subscriptions',
    operationId: 'pushSubscribe',
    summary: "Store this device's push subscription for the logged-in staff member",
    description:
      'Send `PushSubscription.toJSON()` as it is. The endpoint identifies the device: sending it again (another ' +
      'login on the same phone) moves it to the current staff member, and a session keeps one device: a new ' +
      "endpoint replaces the session's previous one. New inbound messages are pushed while the " +
      "staff member's app is closed and this session lasts; logging out stops them. " +
      `${PUSH_ENDPOINT_RULE} (422 \`push_endpoint_not_allowed\` otherwise).`,
    tags,
    request: { body: { required: true, ...jsonBody(pushSubscriptionSchema, 'PushSubscription.toJSON()') } },
    responses: {
      201: jsonBody(pushSubscriptionSavedSchema, 'Stored'),
      ...errorResponses(400, 401, 403, 415, 422),
      ...notConfigured,
    },
  }),
  async (c) => {
    vapidOrThrow(c.env);
    const session = c.get('session');
    if (!session) throw new ApiError(401, 'unauthorized', 'Log in first');
    const input = c.req.valid('json');
    if (!pushEndpointAllowed(c.env, input.endpoint))
      throw new ApiError(422, 'push_endpoint_not_allowed', PUSH_ENDPOINT_RULE);
    const row = await saveSubscription(
      companyDb(c.env, c.get('auth').companyId),
      { companyId: session.companyId, userId: session.userId, sessionHash: session.tokenHash },
      input,
      c.req.header('User-Agent') ?? null,
    );
    // The inbox object may have learnt that this company had none: it pushes again from now on. Reached through
    // its binding: the inbox object runs the pushes (push/inbound.ts), so nothing in push/ imports it.
    await c.env.INBOX.getByName(session.companyId).pushSubscribed();
    return c.json(
      {
        id: row.id,
        endpoint: row.endpoint,
        created_at: new Date(row.createdAt).toISOString(),
        updated_at: new Date(row.updatedAt).toISOString(),
      },
      201,
    );
  },
);

pushRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/subscriptions',
    operationId: 'pushUnsubscribe',
    summary: "Remove this device's push subscription",
    description: "Only the caller's own subscription; removing one that is already gone is not an error.",
    tags,
    request: { body: { required: true, ...jsonBody(pushUnsubscribeSchema, 'The endpoint to remove') } },
    responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 415, 422) },
  }),
  async (c) => {
    const { companyId, actor } = c.get('auth');
    await deleteSubscription(
      companyDb(c.env, c.get('auth').companyId),
      { companyId, userId: actor.id },
      c.req.valid('json').endpoint,
    );
    return c.body(null, 204);
  },
);
