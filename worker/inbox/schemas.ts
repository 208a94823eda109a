// Shapes of the inbox API (/api/v1/conversations, /api/v1/media): the staff app and integrators read the same
// routes, with a session cookie or an API key. Live events (/api/v1/events, /api/v1/live): realtime/events.ts.
//
//   GET  /api/v1/conversations?q=&unread=true&window_open=true&opted_out=true&owner=me|none|<user id>&club=&stage=&label=&mentions=me&cursor=&per_page=&count=
//        -> { collection: Conversation[], pagination: { next_cursor } }   newest last message first
//   GET  /api/v1/conversations/counts?club=               -> { mine, unassigned, all, mentions } conversations per view
//   GET  /api/v1/conversations/{person_id}                -> Conversation (one row of the list)
//   GET  /api/v1/conversations/{person_id}/messages?cursor=&per_page=&count=
//        -> { collection: InboxMessage[], pagination: { next_cursor } }   newest first; reactions ride on their message
//   POST /api/v1/conversations/{person_id}/read   {}      -> Conversation (unread_count 0; blue ticks at Meta)
//   POST /api/v1/conversations/{person_id}/unread {}      -> Conversation (unread_count >= 1)
//   GET  /api/v1/media/{media_id}                         -> the file, fetched from Meta with the company token
//
// Conversation = { person_id, name, phone, last_message: {id, direction, message_type, preview, status,
//   occurred_at} | null, last_message_at, unread_count, window_open, window_expires_at, opted_out,
//   last_failed, owner_user_id, club_id, mentions_unread }
// Every route answers only about people the caller may see (#common/scope): 404 for anyone else.
// InboxMessage = HistoryNote + { media, quoted, reactions[] }
import { z } from '@hono/zod-openapi';
import { historyNoteSchema } from '../history/serialize';
import { cursorQuery, listSchema } from '../pagination';
import { adFilter, clubFilter, idListFilter, ownerFilterQuery, sourceFilter } from '../people/list-filters';
import { searchText } from '../people/search';
import { MAX_STAGES } from '../pipeline/schemas';

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

export const conversationListQuery = z.object({
  q: searchText.optional(),
  unread: flag.openapi({ description: 'Only conversations with unread messages' }),
  window_open: flag.openapi({ description: 'Only conversations whose 24-hour window is open' }),
  opted_out: flag.openapi({ description: 'true: only people opted out; false: only people not opted out' }),
  owner: ownerFilterQuery,
  club: clubFilter,
  stage: idListFilter('stage', MAX_STAGES),
  label: idListFilter('label', 20),
  mentions: z
    .enum(['me'])
    .optional()
    .openapi({ description: "'me': only conversations with notes mentioning the caller that they have not read" }),
  source: sourceFilter,
  ad: adFilter,
  ...cursorQuery,
});

export const conversationCountsQuery = z.object({ club: clubFilter });

export type ConversationListQuery = z.infer<typeof conversationListQuery>;

export const personIdParam = z.object({ person_id: z.string().min(1).max(64) });

export const conversationSchema = z
  .object({
    person_id: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    last_message: z
      .object({
        id: z.string(),
        direction: z.enum(['inbound', 'outbound']),
        message_type: z.string().nullable(),
        preview: z.string().openapi({ description: 'What a list row shows: text, caption, or "Photo", "📎 file"…' }),
        status: z.string().nullable(),
        occurred_at: z.string(),
      })
      .nullable(),
    last_message_at: z.string().nullable(),
    unread_count: z.number().int(),
    window_open: z.boolean(),
    window_expires_at: z.string().nullable().openapi({ description: 'When free text stops being allowed' }),
    opted_out: z.boolean(),
    last_failed: z.boolean().openapi({ description: 'The latest message we sent failed' }),
    owner_user_id: z.string().nullable().openapi({ description: "The person's owner (a user id); null: unassigned" }),
    club_id: z.string().nullable().openapi({ description: "The person's home club (a club id)" }),
    mentions_unread: z.number().int().openapi({
      description:
        'Notes mentioning the caller they have not read (read when they mark the conversation read); 0 for an API key',
    }),
  })
  .openapi('Conversation');

export const conversationCountsSchema = z
  .object({
    mine: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Unread conversations of people the caller owns; null for an API key (it owns no one)' }),
    unassigned: z.number().int().openapi({ description: 'Unread conversations of people nobody owns' }),
    all: z.number().int().openapi({ description: 'All unread conversations' }),
    mentions: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'Conversations with unread mentions of the caller; null for an API key' }),
  })
  .openapi('ConversationCounts');

export type ConversationCountsJson = z.infer<typeof conversationCountsSchema>;

export type ConversationJson = z.infer<typeof conversationSchema>;

export const conversationListSchema = listSchema(conversationSchema).openapi('ConversationList');

export const mediaSchema = z
  .object({
    id: z.string().nullable().openapi({ description: "Meta's media id; null for a file we sent by link" }),
    mime_type: z.string().nullable(),
    filename: z.string().nullable(),
    caption: z.string().nullable(),
    size: z.number().int().nullable().openapi({ description: 'Bytes, when known (files we uploaded)' }),
    url: z
      .string()
      .openapi({ description: 'The authenticated media proxy, /api/v1/media/{id}; or the link a file was sent by' }),
  })
  .openapi('InboxMedia');

export const reactionSchema = z
  .object({
    emoji: z.string(),
    direction: z.enum(['inbound', 'outbound']),
    occurred_at: z.string(),
  })
  .openapi('InboxReaction');

export const inboxMessageSchema = historyNoteSchema
  .extend({
    media: mediaSchema.nullable(),
    quoted: z
      .object({
        id: z.string(),
        wamid: z.string().nullable(),
        direction: z.enum(['inbound', 'outbound']).nullable(),
        message_type: z.string().nullable(),
        body: z.string().nullable(),
      })
      .nullable()
      .openapi({ description: "The message this one replies to (Meta's `context`), when we have it" }),
    reactions: z.array(reactionSchema).openapi({ description: "The latest reaction of each side; '' removed it" }),
  })
  .openapi('InboxMessage');

export type InboxMessageJson = z.infer<typeof inboxMessageSchema>;

export const inboxMessageListSchema = listSchema(inboxMessageSchema).openapi('InboxMessageList');

export const mediaIdParam = z.object({ media_id: z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/) });
