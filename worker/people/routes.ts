// The integrator API for people: /api/v1/people. The API key decides the company (requireCompanyAuth).
import { createRoute } from '@hono/zod-openapi';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { companyDb, readDbOf, readReplica } from '../db/company-data';
import { newRouter, optionalJson } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { notifyInbox } from '../realtime/notify';
import { listPeople } from './list';
import { ownerFilterOf, userIdOf } from './list-filters';
import {
  optOutSchema,
  personCreateSchema,
  personDetailSchema,
  personIdParams,
  personListQuery,
  personListSchema,
  personSchema,
  personUpdateSchema,
} from './schemas';
import { serializePerson, serializePersonDetail } from './serialize';
import { createPerson, getCounters, getPerson, optOutWhatsapp, updatePerson } from './service';

export const peopleRoutes = newRouter();

const tags = ['People'];

peopleRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    operationId: 'peopleCreate',
    summary: 'Create a person',
    tags,
    middleware: requireCompanyAuth,
    request: { body: { required: true, ...jsonBody(personCreateSchema, 'The person') } },
    responses: {
      201: jsonBody(personSchema, 'Created'),
      ...errorResponses(400, 401, 409, 422),
    },
  }),
  async (c) => {
    const person = await createPerson(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth'),
      auditByOf(c),
      c.req.valid('json'),
    );
    return c.json(serializePerson(person), 201);
  },
);

peopleRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'peopleList',
    summary: 'List people, newest first',
    description:
      'Search by name, email or phone (`q`), or find by exact `phone` or `email`; filter by `status`, ' +
      '`sale_type`, `never_messaged`, `club` and `owner` (`me`, `none` or a user id). Page with `cursor` ' +
      '(`pagination.next_cursor`), or `page` (GymSales-style); `total_entries` only with `count=true` or `page`. ' +
      "Only the people the caller may see: a user limited to clubs, those clubs' people; a salesperson, their " +
      'own people and unowned leads.',
    tags,
    middleware: [requireCompanyAuth, readReplica] as const,
    request: { query: personListQuery },
    responses: { 200: jsonBody(personListSchema, 'A page of people'), ...errorResponses(401, 422) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const query = c.req.valid('query');
    const owner = ownerFilterOf(query.owner, userIdOf(auth));
    const { rows, pagination } = await listPeople(readDbOf(c), auth, query, owner);
    return c.json({ collection: rows.map(serializePerson), pagination }, 200);
  },
);

peopleRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    operationId: 'peopleGet',
    summary: 'A person, with their WhatsApp service window and message counters',
    tags,
    middleware: requireCompanyAuth,
    request: { params: personIdParams },
    responses: { 200: jsonBody(personDetailSchema, 'The person'), ...errorResponses(401, 404) },
  }),
  async (c) => {
    const db = companyDb(c.env, c.get('auth').companyId);
    const { companyId } = c.get('auth');
    const person = await getPerson(db, c.get('auth'), c.req.valid('param').id);
    const counterRows = await getCounters(db, companyId, person.id);
    return c.json(serializePersonDetail(person, counterRows, Date.now()), 200);
  },
);

peopleRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/{id}',
    operationId: 'peopleUpdate',
    summary: 'Update a person (only the fields sent)',
    description:
      'Setting `whatsapp_opted_out: false` for someone opted out requires `whatsapp_consent` (422 `consent_required`). ' +
      '`club_id` moves the person to another club (422 `unknown_club`; 422 `owner_not_in_club` when their owner ' +
      'is not allowed there).',
    tags,
    middleware: requireCompanyAuth,
    request: { params: personIdParams, body: { required: true, ...jsonBody(personUpdateSchema, 'Fields to change') } },
    responses: { 200: jsonBody(personSchema, 'The updated person'), ...errorResponses(400, 401, 404, 409, 422) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const person = await updatePerson(
      companyDb(c.env, c.get('auth').companyId),
      c.get('auth'),
      auditByOf(c),
      id,
      c.req.valid('json'),
    );
    await notifyInbox(c.env, person.companyId, { type: 'person', personId: person.id });
    return c.json(serializePerson(person), 200);
  },
);

peopleRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/whatsapp/opt-out',
    operationId: 'whatsappOptOut',
    summary: 'Opt a person out of WhatsApp messages',
    description:
      'Idempotent. The body is optional: nothing, `{}`, or `{"reason": "..."}` (WhatsappOptOut). There is no ' +
      'opt-in counterpart: use PUT with `whatsapp_consent`.',
    tags,
    middleware: requireCompanyAuth,
    // The body is read by hand below: an empty body sent as application/json must be accepted, and another
    // company's person must answer 404 before anything about the body is said.
    request: { params: personIdParams },
    responses: { 200: jsonBody(personSchema, 'The person, opted out'), ...errorResponses(400, 401, 404, 422) },
  }),
  async (c) => {
    const db = companyDb(c.env, c.get('auth').companyId);
    const auth = c.get('auth');
    const id = c.req.valid('param').id;
    await getPerson(db, auth, id);
    const { reason } = await optionalJson(c.req.raw, optOutSchema);
    const how = { method: 'staff', ...(reason ? { reason } : {}) };
    const person = await optOutWhatsapp(db, auth, auditByOf(c), id, how);
    await notifyInbox(c.env, person.companyId, { type: 'person', personId: person.id });
    return c.json(serializePerson(person), 200);
  },
);
