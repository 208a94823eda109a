// /api/v1/clubs: a company's clubs. Every staff member reads them (the app's club filters and pickers); admins
// and API keys add and change them (`clubs`). Numbers are connected by the platform admin (admin/numbers-routes.ts).
import { createRoute } from '@hono/zod-openapi';
import { clubVisible } from '#common/scope';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { can, requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { ApiError, notFound } from '../errors';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { clubCreateSchema, clubListSchema, clubParams, clubSchema, clubUpdateSchema, HOURS_FIELDS } from './schemas';
import { createClub, getClub, listClubs, updateClub } from './service';

export const clubRoutes = newRouter();
clubRoutes.use('*', requireCompanyAuth);

const tags = ['Clubs'];
const read = [requirePermission('conversations')];
const write = [requirePermission('clubs')];
const writeHours = [requirePermission('club_hours')];

clubRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'clubsList',
    summary: "The company's clubs, oldest first, each with its WhatsApp numbers",
    tags,
    middleware: read,
    responses: { 200: jsonBody(clubListSchema, 'Every club'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    // A user limited to clubs sees those clubs only, as they see those clubs' people only.
    const clubs = (await listClubs(companyDb(c.env, companyId), companyId)).filter((club) =>
      clubVisible(scope, club.id),
    );
    return c.json({ collection: clubs }, 200);
  },
);

clubRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    operationId: 'clubsGet',
    summary: 'One club',
    tags,
    middleware: read,
    request: { params: clubParams },
    responses: { 200: jsonBody(clubSchema, 'The club'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const { companyId, scope } = c.get('auth');
    const { id } = c.req.valid('param');
    if (!clubVisible(scope, id)) throw notFound('Club');
    return c.json(await getClub(companyDb(c.env, companyId), companyId, id), 200);
  },
);

clubRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'clubsCreate',
    summary: 'Add a club (admins)',
    description:
      "The time zone defaults to the company's. Names are unique in the company: 409 `club_name_taken` otherwise.",
    tags,
    middleware: write,
    request: { body: { required: true, ...jsonBody(clubCreateSchema, 'The new club') } },
    responses: { 201: jsonBody(clubSchema, 'Added'), ...errorResponses(400, 401, 403, 409, 415, 422) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const club = await createClub(companyDb(c.env, companyId), companyId, auditByOf(c), c.req.valid('json'));
    return c.json(club, 201);
  },
);

clubRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    operationId: 'clubsUpdate',
    summary: 'Change a club (admins; managers its hours and away reply)',
    description:
      '`assignment`: `manual`, or `round_robin` to give each new lead of the club to the next staff member on ' +
      'shift. Managers may change `hours`, `closed_dates` and `away_reply` only (else 403).',
    tags,
    middleware: writeHours,
    request: { params: clubParams, body: { required: true, ...jsonBody(clubUpdateSchema, 'The fields to change') } },
    responses: { 200: jsonBody(clubSchema, 'Changed'), ...errorResponses(400, 401, 403, 404, 409, 415, 422) },
  }),
  async (c) => {
    const { companyId } = c.get('auth');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const beyondHours = Object.keys(body).some((k) => !(HOURS_FIELDS as readonly string[]).includes(k));
    if (beyondHours && !can(c.get('auth'), 'clubs'))
      throw new ApiError(403, 'forbidden', 'Your role may change a club’s hours and away reply only; ask an admin');
    const club = await updateClub(companyDb(c.env, companyId), companyId, auditByOf(c), id, body);
    return c.json(club, 200);
  },
);
