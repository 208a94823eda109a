// Lead owners: PATCH /api/v1/people/{id} {"owner_user_id"} sets or clears a person's owner (rules in owner.ts),
// and GET /api/v1/owners lists who can be one (the company's active users), for the app's "Assign to…" menu.
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { platformDb } from '../db/client';
import { users } from '../db/schema';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { pushOwner } from '../push/owner';
import { notifyInbox } from '../realtime/notify';
import { setOwner } from './owner';
import { personIdParams, personSchema } from './schemas';
import { serializePerson } from './serialize';

export const ownerRoutes = newRouter();

const tags = ['People'];
const middleware = [requireCompanyAuth, requirePermission('conversations')];

export const ownerPatchSchema = z
  .object({
    owner_user_id: z.string().min(1).max(64).nullable().openapi({
      example: 'usr_0123456789abcdefghjk',
      description: 'An active user of the company, or null for nobody',
    }),
  })
  .strict()
  .openapi('PersonOwnerUpdate');

export const ownerListSchema = z
  .object({ collection: z.array(z.object({ id: z.string(), name: z.string() }).openapi('Owner')) })
  .openapi('OwnerList');

ownerRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/people/{id}',
    operationId: 'peopleSetOwner',
    summary: "Set or clear a person's owner",
    description:
      'API keys, admins and managers may assign anyone to any active user, or to nobody (`null`). Staff may ' +
      'claim an unowned person for themselves (first come first served: the loser gets 409 `already_owned`) ' +
      'or release one they own. Each change is a history note (`owner_changed`) and an audit entry ' +
      '(`person.owner_changed`); the new owner gets a push unless they made the change.',
    tags,
    middleware,
    request: { params: personIdParams, body: { required: true, ...jsonBody(ownerPatchSchema, 'The new owner') } },
    responses: { 200: jsonBody(personSchema, 'The person'), ...errorResponses(400, 401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const { owner_user_id: ownerUserId } = c.req.valid('json');
    const change = await setOwner(c.env, auth, auditByOf(c), c.req.valid('param').id, ownerUserId);
    if (change.changed) {
      const { person, to } = change;
      await notifyInbox(c.env, auth.companyId, { type: 'person', personId: person.id });
      if (to && !(auth.actor.kind === 'user' && auth.actor.id === to.id)) {
        const personName = [person.firstName, person.lastName].filter(Boolean).join(' ') || person.phone || 'A lead';
        const push = {
          companyId: auth.companyId,
          personId: person.id,
          personName,
          userId: to.id,
          byName: auth.actor.name,
        };
        c.executionCtx.waitUntil(
          pushOwner(c.env, push).catch((err: unknown) =>
            console.warn('owner push failed', err instanceof Error ? err.message : String(err)),
          ),
        );
      }
    }
    return c.json(serializePerson(change.person), 200);
  },
);

ownerRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/owners',
    operationId: 'ownersList',
    summary: "Who can own a person: the company's active users, by name",
    tags,
    middleware,
    responses: { 200: jsonBody(ownerListSchema, 'Active users'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const rows = await platformDb(c.env)
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.companyId, c.get('auth').companyId), isNull(users.deactivatedAt)))
      .orderBy(asc(users.name), asc(users.id))
      .all();
    return c.json({ collection: rows }, 200);
  },
);
