// /api/v1/people/{id}/labels: the labels a person wears. Every staff member who may see the person reads and
// sets them (getPerson applies the caller's scope: 404 for someone they may not see).
import { createRoute } from '@hono/zod-openapi';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { personIdParams } from '../people/schemas';
import { getPerson } from '../people/service';
import { notifyInbox } from '../realtime/notify';
import { personLabelsPutSchema, personLabelsSchema } from './schemas';
import { labelsOfPeople, setPersonLabels } from './service';

export const personLabelRoutes = newRouter();

const tags = ['Labels'];
const middleware = [requireCompanyAuth, requirePermission('conversations')];

personLabelRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/labels',
    operationId: 'peopleLabelsGet',
    summary: "A person's labels",
    tags,
    middleware,
    request: { params: personIdParams },
    responses: { 200: jsonBody(personLabelsSchema, 'Their labels, A to Z'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const db = companyDb(c.env, auth.companyId);
    const person = await getPerson(db, auth, c.req.valid('param').id);
    return c.json({ labels: (await labelsOfPeople(db, auth.companyId, [person.id])).get(person.id) ?? [] }, 200);
  },
);

personLabelRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/{id}/labels',
    operationId: 'peopleLabelsPut',
    summary: "Set a person's labels (the list replaces theirs)",
    description: 'Each id must be one of the company’s labels (422 `unknown_label`); an audit entry names the change.',
    tags,
    middleware,
    request: { params: personIdParams, body: { required: true, ...jsonBody(personLabelsPutSchema, 'Label ids') } },
    responses: {
      200: jsonBody(personLabelsSchema, 'Their labels now'),
      ...errorResponses(400, 401, 403, 404, 415, 422),
    },
  }),
  async (c) => {
    const auth = c.get('auth');
    const db = companyDb(c.env, auth.companyId);
    const person = await getPerson(db, auth, c.req.valid('param').id);
    const labels = await setPersonLabels(db, auth.companyId, auditByOf(c), person.id, c.req.valid('json').label_ids);
    await notifyInbox(c.env, auth.companyId, { type: 'person', personId: person.id });
    return c.json({ labels }, 200);
  },
);
