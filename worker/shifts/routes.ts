// /api/v1/me/shift: whether the logged-in staff member is on shift, so round-robin clubs give them new leads in
// turn (people/round-robin.ts). A staff member's own state, so a session only: an API key is a company's
// integration, with no shift of its own (403 `session_required`). Logout ends the shift (session/routes.ts).
import { createRoute } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import type { AuthEnv } from '../auth/actor';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { ApiError } from '../errors';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { shiftSchema, shiftUpdateSchema } from './schemas';
import { readShift, setShift } from './service';

export const shiftRoutes = newRouter();

const tags = ['Staff sessions'];

/** After requireCompanyAuth: a staff session, else a clear refusal (an API key is valid, just not for this). */
const requireStaffSession = createMiddleware<AuthEnv>(async (c, next) => {
  if (!c.get('session'))
    throw new ApiError(
      403,
      'session_required',
      'Shifts belong to staff logged in to the app; an API key has no shift of its own',
    );
  await next();
});

const whoOf = (session: AuthEnv['Variables']['session']) => {
  if (!session) throw new ApiError(401, 'unauthorized', 'Log in first');
  return { userId: session.userId, companyId: session.companyId };
};

shiftRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/shift',
    operationId: 'shiftGet',
    summary: 'Whether you are on shift',
    description: 'Also in `GET /api/auth/me` as `on_shift`. A staff session only (an API key: 403 `session_required`).',
    tags,
    security: [{ session: [] }],
    middleware: [requireCompanyAuth, requireStaffSession],
    responses: { 200: jsonBody(shiftSchema, 'Your shift'), ...errorResponses(401, 403) },
  }),
  async (c) => c.json({ on_shift: await readShift(c.env, whoOf(c.get('session'))) }, 200),
);

shiftRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/shift',
    operationId: 'shiftSet',
    summary: 'Go on or off shift',
    description:
      'On shift, clubs whose `assignment` is `round_robin` give you new leads in turn: a lead who writes while ' +
      'nobody owns them goes to whoever on shift (staff and salespeople allowed in that club) has waited longest. ' +
      'Off by default, and again at logout. Admins and managers are never on shift (403 `forbidden`); an API ' +
      'key has no shift (403 `session_required`).',
    tags,
    security: [{ session: [] }],
    middleware: [requireCompanyAuth, requireStaffSession, requirePermission('take_leads')],
    request: { body: { required: true, ...jsonBody(shiftUpdateSchema, 'On or off') } },
    responses: { 200: jsonBody(shiftSchema, 'Your shift now'), ...errorResponses(401, 403, 415, 422) },
  }),
  async (c) => {
    const { on_shift: onShift } = c.req.valid('json');
    return c.json({ on_shift: await setShift(c.env, whoOf(c.get('session')), onShift) }, 200);
  },
);
