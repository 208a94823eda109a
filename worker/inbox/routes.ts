// The inbox API (shapes and the route list at the top of schemas.ts): conversations, messages, read state and
// media for the staff app and integrators alike, behind the one authorisation layer (requireCompanyAuth). Every
// route is about people the caller may see (#common/scope): the lists leave the others out, and a route about one
// person answers 404 for them before doing anything.
import { createRoute, z } from '@hono/zod-openapi';
import type { CompanyAuth } from '../auth/actor';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDatabase, type ReadDb, readDbOf, readReplica, readsOf } from '../db/company-data';
import { ApiError, notFound } from '../errors';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { cursorQuery } from '../pagination';
import { idsOf, ownerFilterOf, userIdOf } from '../people/list-filters';
import { notifyInbox } from '../realtime/notify';
import { getConversation, listConversations } from './conversations';
import { conversationCounts } from './counts';
import { proxyMedia } from './media-proxy';
import { listMessages } from './messages';
import { markConversationRead, markConversationUnread, markMentionsRead } from './read-state';
import {
  conversationCountsQuery,
  conversationCountsSchema,
  conversationListQuery,
  conversationListSchema,
  conversationSchema,
  inboxMessageListSchema,
  mediaIdParam,
  personIdParam,
} from './schemas';

export const inboxRoutes = newRouter();

const tags = ['Inbox'];
const middleware = [requireCompanyAuth, requirePermission('conversations')];
const listMiddleware = [...middleware, readReplica];
const emptyBody = { required: false, ...jsonBody(z.strictObject({}).openapi('Empty'), 'Nothing (send `{}`)') };

async function conversationOrThrow(db: ReadDb, auth: CompanyAuth, personId: string) {
  const conversation = await getConversation(db, { ...auth, me: userIdOf(auth) }, personId);
  if (!conversation) throw notFound('Person');
  return conversation;
}

inboxRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/conversations/counts',
    operationId: 'conversationCounts',
    summary: 'Unread conversations per inbox view: Mine, Unassigned, All',
    description: 'Of the conversations the caller may see; `club` narrows them to one club.',
    tags,
    middleware: listMiddleware,
    request: { query: conversationCountsQuery },
    responses: { 200: jsonBody(conversationCountsSchema, 'Unread counts'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const { club } = c.req.valid('query');
    return c.json(await conversationCounts(readsOf(c), auth.companyId, userIdOf(auth), auth.scope, club ?? null), 200);
  },
);

inboxRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/conversations',
    operationId: 'conversationsList',
    summary: 'WhatsApp conversations, newest last message first',
    description:
      "One row per person who has WhatsApp messages. Search by name, email or phone; filter by unread, open window, opt-out, owner (`me`, `none` or a user id), club, stage and label (any of several ids, comma-separated). Page with `cursor` (`pagination.next_cursor`). Only people the caller may see: a user limited to clubs, those clubs' people; a salesperson, their own and unowned leads.",
    tags,
    middleware: listMiddleware,
    request: { query: conversationListQuery },
    responses: { 200: jsonBody(conversationListSchema, 'A page of conversations'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const query = c.req.valid('query');
    const auth = c.get('auth');
    const owner = ownerFilterOf(query.owner, userIdOf(auth));
    const me = userIdOf(auth);
    if (query.mentions === 'me' && me === null)
      throw new ApiError(422, 'validation_failed', "mentions: 'me' needs a staff login (an API key is nobody)");
    const view = {
      scope: auth.scope,
      owner,
      club: query.club ?? null,
      stages: idsOf(query.stage),
      labels: idsOf(query.label),
      me,
      mentions: query.mentions === 'me',
    };
    const { rows, pagination } = await listConversations(readsOf(c), auth.companyId, query, view);
    return c.json({ collection: rows, pagination }, 200);
  },
);

inboxRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/conversations/{person_id}',
    operationId: 'conversationGet',
    summary: "One person's conversation row (also for someone with no messages yet)",
    tags,
    middleware,
    request: { params: personIdParam },
    responses: { 200: jsonBody(conversationSchema, 'The conversation'), ...errorResponses(401, 403, 404) },
  }),
  async (c) =>
    c.json(
      await conversationOrThrow(
        companyDatabase(c.env, c.get('auth').companyId),
        c.get('auth'),
        c.req.valid('param').person_id,
      ),
      200,
    ),
);

inboxRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/conversations/{person_id}/messages',
    operationId: 'conversationMessages',
    summary: "A conversation's messages, newest first, with media, quoted replies and reactions",
    description: 'Page with `cursor` (`pagination.next_cursor`); `total_entries` only with `count=true` or `page`.',
    tags,
    middleware: listMiddleware,
    request: { params: personIdParam, query: z.object(cursorQuery) },
    responses: { 200: jsonBody(inboxMessageListSchema, 'A page of messages'), ...errorResponses(401, 403, 404, 422) },
  }),
  async (c) => {
    const { person_id: personId } = c.req.valid('param');
    // The person's check rides in the page's round trip: someone the caller may not see is 404 all the same.
    const page = await listMessages(readDbOf(c), c.get('auth'), personId, c.req.valid('query'));
    if (!page) throw notFound('Person');
    return c.json({ collection: page.rows, pagination: page.pagination }, 200);
  },
);

inboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/conversations/{person_id}/read',
    operationId: 'conversationRead',
    summary: 'Mark a conversation read (also at Meta: blue ticks on the person’s phone)',
    tags,
    middleware,
    request: { params: personIdParam, body: emptyBody },
    responses: { 200: jsonBody(conversationSchema, 'The conversation, read'), ...errorResponses(401, 403, 404, 415) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const { person_id: personId } = c.req.valid('param');
    const db = companyDatabase(c.env, auth.companyId);
    // Someone the caller may not see is 404 before anything is marked (Meta's blue ticks included).
    await conversationOrThrow(db, auth, personId);
    await markConversationRead(c.env, auth.companyId, personId);
    // The caller's mentions here are read too.
    const me = userIdOf(auth);
    if (me !== null && (await markMentionsRead(c.env, auth.companyId, me, personId)))
      await notifyInbox(c.env, auth.companyId, { type: 'person', personId });
    return c.json(await conversationOrThrow(db, auth, personId), 200);
  },
);

inboxRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/conversations/{person_id}/unread',
    operationId: 'conversationUnread',
    summary: 'Mark a conversation unread (its latest inbound message counts as unread again)',
    tags,
    middleware,
    request: { params: personIdParam, body: emptyBody },
    responses: { 200: jsonBody(conversationSchema, 'The conversation, unread'), ...errorResponses(401, 403, 404, 415) },
  }),
  async (c) => {
    const auth = c.get('auth');
    const { person_id: personId } = c.req.valid('param');
    const db = companyDatabase(c.env, auth.companyId);
    await conversationOrThrow(db, auth, personId);
    await markConversationUnread(c.env, auth.companyId, personId);
    return c.json(await conversationOrThrow(db, auth, personId), 200);
  },
);

inboxRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/media/{media_id}',
    operationId: 'mediaGet',
    summary: 'An inbound media file, fetched from Meta with the company token',
    description:
      'Only media that arrived in this company’s messages. Images, video and audio inline; other files download.',
    tags,
    middleware,
    request: { params: mediaIdParam },
    responses: {
      200: {
        description: 'The file',
        content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      ...errorResponses(401, 403, 404, 502),
    },
  }),
  async (c) => proxyMedia(c.env, c.get('auth'), c.req.valid('param').media_id),
);
