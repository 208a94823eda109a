// Lead owners and clubs: PATCH /api/v1/people/{id} {"owner_user_id", "club_id"} sets or clears a person's owner
// (rules in owner.ts) and moves them to another club (service.ts), and GET /api/v1/owners lists who can be one
// (the company's active users, with the clubs each may see), for the app's "Assign to…" menu.
import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { auditByOf } from '../audit/record';
import { ROLES } from '../auth/actor';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { platformDb } from '../db/client';
import { companyDb } from '../db/company-data';
import { users } from '../db/schema';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { setStage } from '../pipeline/stage';
import { pushOwner } from '../push/owner';
import { notifyInbox } from '../realtime/notify';
import { checkClubs } from './club';
import { setOwner } from './owner';
import { personIdParams, personSchema, personUpdateSchema } from './schemas';
import { serializePerson } from './serialize';
import { findPerson, getPerson, updatePerson } from './service';

export const ownerRoutes = newRouter();

const tags = ['People'];
const middleware = [requireCompanyAuth, requirePermission('conversations')];

export const ownerPatchSchema = z
  .object({
    owner_user_id: z.string().min(1).max(64).nullable().optional().openapi({
      example: 'usr_0123456789abcdefghjk',
      description: "An active user of the company allowed in the person's club, or null for nobody",
    }),
    club_id: personUpdateSchema.shape.club_id,
    stage: z.string().min(1).max(64).nullable().optional().openapi({
      example: 'stg_0123456789abcdefghjk',
      description: "A stage of the company's pipeline (GET /api/v1/pipeline), or null: outside the pipeline",
    }),
  })
  .strict()
  .refine(
    (v) => v.owner_user_id !== undefined || v.club_id !== undefined || v.stage !== undefined,
    'send owner_user_id, club_id or stage',
  )
  .openapi('PersonOwnerUpdate');

export const ownerListSchema = z
  .object({
    collection: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          role: z.enum(ROLES),
          club_ids: z
            .array(z.string())
            .nullable()
            .openapi({ description: 'The clubs whose people this user may own; null: every club' }),
        })
        .openapi('Owner'),
    ),
  })
  .openapi('OwnerList');

ownerRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/people/{id}',
    operationId: 'peopleSetOwner',
    summary: "Set or clear a person's owner; move them to another club or stage",
    description:
      "API keys, admins, managers and staff may assign anyone to any active user allowed in the person's club " +
      '(else 422 `owner_not_in_club`), or to nobody (`null`). Salespeople may claim an unowned lead for ' +
      'themselves (first come first served: the loser gets 409 `already_owned`) or release one they own. Each ' +
      'change is a history note (`owner_changed`) and an audit entry (`person.owner_changed`); the new owner ' +
      'gets a push unless they made the change. `club_id` moves the person (422 `unknown_club`); with both, the ' +
      'new owner is checked against the new club and set first. `stage` moves them along the pipeline (422 ' +
      '`unknown_stage`; 409 `stage_changed` when someone moved them meanwhile): a history note (`stage_changed`) ' +
      'and an audit entry (`person.stage_changed`).',
    tags,
    middleware,
    request: { params: personIdParams, body: { required: true, ...jsonBody(ownerPatchSchema, 'The new owner') } },
    responses: { 200: jsonBody(personSchema, 'The person'), ...errorResponses(400, 401, 403, 404, 409, 422) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const { owner_user_id: ownerUserId, club_id: clubId, stage } = c.req.valid('json');
    const { id } = c.req.valid('param');
    const db = companyDb(c.env, auth.companyId);
    // The stage first: any of the caller's people may be moved along the pipeline (pipeline/stage.ts).
    if (stage !== undefined) {
      const staged = await setStage(c.env, auth, auditByOf(c), await getPerson(db, auth, id), stage);
      if (staged.changed) await notifyInbox(c.env, auth.companyId, { type: 'person', personId: id });
    }
    // As they were: apps that could see them before the change hear of it too (realtime/events.ts `before`).
    const was = await findPerson(db, auth.companyId, id);
    const before = was && { clubId: was.clubId, ownerUserId: was.ownerUserId, status: was.status };
    const changed = { type: 'person' as const, personId: id, ...(before ? { before } : {}) };
    // The club first, as far as checking it: a move to a club that does not exist changes no owner either.
    if (clubId !== undefined) await checkClubs(db, auth.companyId, auth.scope, [clubId]);
    const change =
      ownerUserId === undefined ? null : await setOwner(c.env, auth, auditByOf(c), id, ownerUserId, Date.now(), clubId);
    const moved = clubId === undefined ? null : await updatePerson(db, auth, auditByOf(c), id, { club_id: clubId });
    if (moved && !change?.changed) await notifyInbox(c.env, auth.companyId, changed);
    if (change === null) return c.json(serializePerson(moved ?? (await getPerson(db, auth, id))), 200);
    if (change.changed) {
      const { person, to } = change;
      await notifyInbox(c.env, auth.companyId, changed);
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
    return c.json(serializePerson(moved ?? change.person), 200);
  },
);

ownerRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/owners',
    operationId: 'ownersList',
    summary: "Who can own a person: the company's active users, by name, with the clubs each may see",
    tags,
    middleware,
    responses: { 200: jsonBody(ownerListSchema, 'Active users'), ...errorResponses(401, 403) },
  }),
  async (c) => {
    const rows = await platformDb(c.env)
      .select({ id: users.id, name: users.name, role: users.role, club_ids: users.clubIds })
      .from(users)
      .where(and(eq(users.companyId, c.get('auth').companyId), isNull(users.deactivatedAt)))
      .orderBy(asc(users.name), asc(users.id))
      .all();
    return c.json({ collection: rows }, 200);
  },
);
