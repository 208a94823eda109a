// Internal notes on a person and who may be mentioned in them (rules in service.ts, shapes in schemas.ts).
import { createRoute } from '@hono/zod-openapi';
import { renderMentions } from '#common/mentions';
import { auditByOf } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { historyNoteSchema, serializeNote } from '../history/serialize';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { personIdParams } from '../people/schemas';
import { getPerson } from '../people/service';
import { pushMention } from '../push/mention';
import { notifyMessage } from '../realtime/notify';
import { mentionableListSchema, noteCreateSchema } from './schemas';
import { createNote, mentionableUsers } from './service';

export const noteRoutes = newRouter();

const tags = ['Notes'];
const middleware = [requireCompanyAuth, requirePermission('conversations')];

noteRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/notes',
    operationId: 'noteCreate',
    summary: 'Add an internal note to a person (never sent to WhatsApp)',
    description:
      "A history note of type `note`, by the caller, shown in the person's history (`?filter=note`) and conversation, " +
      'and counted nowhere (not unread, not usage, not the last message). Mention a user as `@[usr_…]`: they get a ' +
      'push and the conversation shows under their Mentions until they read it. Mentioning someone who may not see ' +
      'this person is 422 `mention_not_allowed` (naming them); an id that is no active user here, 422 ' +
      '`unknown_mention`. Audited as `person.note_added`.',
    tags,
    middleware,
    request: { params: personIdParams, body: { required: true, ...jsonBody(noteCreateSchema, 'The note') } },
    responses: { 201: jsonBody(historyNoteSchema, 'The note'), ...errorResponses(400, 401, 403, 404, 409, 415, 422) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const db = companyDb(c.env, auth.companyId);
    const person = await getPerson(db, auth, c.req.valid('param').id);
    const { note, mentions, notify } = await createNote(c.env, auth, auditByOf(c), person, c.req.valid('json').text);
    c.executionCtx.waitUntil(notifyMessage(c.env, auth.companyId, person.id, note.id));
    if (notify.length > 0) {
      const push = {
        companyId: auth.companyId,
        personId: person.id,
        personName: [person.firstName, person.lastName].filter(Boolean).join(' ') || person.phone || 'A lead',
        userIds: notify.map((n) => n.id),
        byName: auth.actor.name,
        text: renderMentions(note.body ?? '', mentions),
      };
      c.executionCtx.waitUntil(
        pushMention(c.env, push).catch((err: unknown) =>
          console.warn('mention push failed', err instanceof Error ? err.message : String(err)),
        ),
      );
    }
    return c.json(serializeNote(note), 201);
  },
);

noteRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/mentionable',
    operationId: 'mentionableList',
    summary: "Who may be mentioned in a person's notes: active users allowed to see them, by name",
    description:
      'The caller is left out. A salesperson sees only their own people and unowned leads, so is offered only for those.',
    tags,
    middleware,
    request: { params: personIdParams },
    responses: { 200: jsonBody(mentionableListSchema, 'Users'), ...errorResponses(401, 403, 404) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const person = await getPerson(companyDb(c.env, auth.companyId), auth, c.req.valid('param').id);
    const rows = await mentionableUsers(c.env, auth, person);
    return c.json({ collection: rows.map((u) => ({ id: u.id, name: u.name, role: u.role })) }, 200);
  },
);
