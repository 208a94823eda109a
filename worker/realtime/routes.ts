// GET /api/v1/events?since=N (catch up after a reconnect) and GET /api/v1/live (the WebSocket).
// The socket is authenticated here, from the session cookie and the Origin, then handed to the company's
// inbox object as a raw request: the object accepts it with the Hibernation API (Hono's upgradeWebSocket
// would pin the socket to this worker invocation).
import { createRoute } from '@hono/zod-openapi';
import { isScoped } from '#common/scope';
import { assertSameOrigin, requireCompanyAuth, requireSession } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { sessionTag } from '../auth/sessions';
import { ApiError } from '../errors';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { inboxStub } from './company-inbox';
import { eventsQuery, inboxEventsSchema } from './events';
import { eventsFor } from './visible-events';

export const realtimeRoutes = newRouter();

realtimeRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/events',
    operationId: 'eventsList',
    summary: 'Inbox events after a sequence number (what a reconnecting app missed)',
    description:
      'Events carry ids only (`message`, `status`, `person`); refetch what they name. `reset: true` means the ' +
      'events after `since` are no longer kept: refetch everything. A user limited to clubs, or a salesperson, ' +
      'gets only the events about people they may see (sequence numbers then skip the others).',
    tags: ['Inbox'],
    middleware: [requireCompanyAuth, requirePermission('conversations')],
    request: { query: eventsQuery },
    responses: { 200: jsonBody(inboxEventsSchema, 'Events, oldest first'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const all = await inboxStub(c.env, companyId).since(c.req.valid('query').since);
    return c.json(await eventsFor(c.env, companyId, scope, all), 200);
  },
);

realtimeRoutes.get('/live', requireSession, requirePermission('conversations'), async (c) => {
  if (c.req.header('Upgrade')?.toLowerCase() !== 'websocket')
    throw new ApiError(426, 'upgrade_required', 'Open this as a WebSocket');
  // Browsers send Origin on every WebSocket handshake and SameSite does not cover it: this is the CSRF check.
  assertSameOrigin(c);
  const session = c.get('session');
  if (!session) throw new ApiError(401, 'unauthorized', 'Log in first');
  const headers = new Headers(c.req.raw.headers);
  headers.set('X-Inbox-User', session.userId);
  headers.set('X-Inbox-Session', sessionTag(session.tokenHash));
  headers.set('X-Inbox-Session-Expires', String(session.expiresAt));
  // Set here, never taken from the browser: the object sends this socket only the events its user may see.
  const { scope } = c.get('auth');
  headers.set('X-Inbox-Company', session.companyId);
  headers.set('X-Inbox-Scope', JSON.stringify(isScoped(scope) ? scope : null));
  return inboxStub(c.env, session.companyId).fetch(new Request(c.req.raw, { headers }));
});
