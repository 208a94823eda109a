// One conversation's messages for the inbox: history notes with their media, the message they quote (Meta's
// `context`) and the reactions made to them. A reaction is its own inbound message at Meta; here it rides on
// the message it reacts to, as WhatsApp shows it.
import { z } from '@hono/zod-openapi';
import { and, count, desc, eq, like, ne, or, sql } from 'drizzle-orm';
import { type Scope, visible } from '#common/scope';
import type { Db } from '../db/client';
import { historyNotes, people } from '../db/schema';
import { type HistoryNoteRow, serializeNote } from '../history/serialize';
import { type CursorQuery, keysetPage, type Pagination, startOf, wantsTotal } from '../pagination';
import type { InboxMessageJson } from './schemas';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** A message's file: by Meta's media id through our proxy, or (sent by link) the link itself. */
export function mediaOf(row: HistoryNoteRow): InboxMessageJson['media'] {
  // A template with a photo, video or document header shows its file as a media message does.
  const header = row.messageType === 'template' ? record(record(row.content)?.header_media) : undefined;
  if (!header && !MEDIA_TYPES.has(row.messageType ?? '')) return null;
  const c = header ?? record(row.content);
  const id = str(c?.id);
  const link = str(c?.link);
  if (!c || (!id && !link)) return null;
  return {
    id,
    mime_type: str(c.mime_type),
    filename: str(c.filename),
    caption: str(c.caption),
    size: typeof c.size === 'number' ? c.size : typeof c.file_size === 'number' ? c.file_size : null,
    url: id ? `/api/v1/media/${encodeURIComponent(id)}` : (link ?? ''),
  };
}

const direction = (row: { type: string }) =>
  row.type === 'whatsapp_sent' ? ('outbound' as const) : row.type === 'whatsapp_received' ? ('inbound' as const) : null;

/** The list's sort key, as a cursor carries it: history_notes_person_inbox's columns after the person. */
const listKey = z.tuple([z.number().int(), z.number().int(), z.string().max(64)]);

/**
 * The WhatsApp conversation notes (messages, opt-outs/ins, events) of one person, and the staff's internal notes
 * among them in order (the chat draws those apart: they were never sent); reactions ride on messages.
 */
const messagesOf = (companyId: string, personId: string) =>
  and(
    eq(historyNotes.companyId, companyId),
    eq(historyNotes.personId, personId),
    or(like(historyNotes.type, 'whatsapp_%'), eq(historyNotes.type, 'note')),
    or(sql`${historyNotes.messageType} IS NULL`, ne(historyNotes.messageType, 'reaction')),
  );

/** A reaction as the page statement carries it (JSON, read in the same statement as its message). */
interface ReactionRow {
  type: string;
  body: string | null;
  content: string | null;
  occurredAt: number;
  /** (inbox_at, created_at, id): the history's order. */
  key: [number, number, string];
}

const byKey = (a: ReactionRow, b: ReactionRow): number =>
  a.key[0] - b.key[0] || a.key[1] - b.key[1] || (a.key[2] < b.key[2] ? -1 : a.key[2] > b.key[2] ? 1 : 0);

/**
 * The reactions to this row's message: one probe of history_notes_person_reactions (partial: reactions only, so
 * the condition on message_type is the literal SQLite matches it by). Correlated with the page's row: no second
 * round trip, and it costs the same in any conversation. No ORDER BY, which would make SQLite walk the person's
 * notes in inbox order: each carries its inbox key and reactionRows sorts the few found, oldest first. The unary
 * `+` takes the text affinity off the outer wamid, which would otherwise keep SQLite off the expression index.
 */
// The outer row is named in full: drizzle writes a select list's columns bare, which inside the subquery would
// name the subquery's own table.
const reactionsColumn = sql<string | null>`CASE WHEN history_notes.wamid IS NULL THEN NULL ELSE (
  SELECT json_group_array(json_object('type', r.type, 'body', r.body, 'content', r.content, 'at', r.occurred_at,
           'key', json_array(r.inbox_at, r.created_at, r.id)))
    FROM history_notes r
   WHERE r.company_id = history_notes.company_id AND r.person_id = history_notes.person_id
     AND r.message_type = 'reaction' AND json_extract(r.content, '$.message_id') = +history_notes.wamid) END`;

/** The message this row quotes (Meta's `context`), by the company's unique wamid index, in the same statement. */
const quotedColumn = sql<string | null>`CASE WHEN history_notes.context_wamid IS NULL THEN NULL ELSE (
  SELECT json_object('id', q.id, 'wamid', q.wamid, 'type', q.type, 'message_type', q.message_type, 'body', q.body)
    FROM history_notes q WHERE q.company_id = history_notes.company_id AND q.wamid = history_notes.context_wamid) END`;

/**
 * The statement for one page, newest first, built and not run (tests read its plan and cost): a walk of
 * history_notes_person_inbox (company_id, person_id, inbox_at, created_at, id) backwards from the cursor, so a
 * page costs the same in a conversation of ten notes or ten thousand; each row brings its reactions and the
 * message it quotes.
 */
export function messagesPageQuery(db: Db, companyId: string, personId: string, query: CursorQuery) {
  const { after, offset, limit } = startOf(query, listKey);
  const keyset = after
    ? sql`(${historyNotes.inboxAt}, ${historyNotes.createdAt}, ${historyNotes.id}) < (${after[0]}, ${after[1]}, ${after[2]})`
    : undefined;
  return db
    .select({ note: historyNotes, reactions: reactionsColumn, quoted: quotedColumn })
    .from(historyNotes)
    .where(and(messagesOf(companyId, personId), keyset))
    .orderBy(desc(historyNotes.inboxAt), desc(historyNotes.createdAt), desc(historyNotes.id))
    .limit(limit + 1)
    .offset(offset);
}

/**
 * One conversation's messages, newest first, with their media, quoted messages and reactions: one D1 round trip
 * with the person's check. Null when the person is not in the company or not someone this scope may see.
 */
export async function listMessages(
  db: Db,
  who: { companyId: string; scope: Scope },
  personId: string,
  query: CursorQuery,
): Promise<{ rows: InboxMessageJson[]; pagination: Pagination } | null> {
  const { companyId } = who;
  const person = db
    .select({ clubId: people.clubId, ownerUserId: people.ownerUserId, status: people.status })
    .from(people)
    .where(and(eq(people.companyId, companyId), eq(people.id, personId)));
  const page = messagesPageQuery(db, companyId, personId, query);
  const [[found], rows, totals] = wantsTotal(query)
    ? await db.batch([
        person,
        page,
        db.select({ n: count() }).from(historyNotes).where(messagesOf(companyId, personId)),
      ])
    : [...(await db.batch([person, page])), undefined];
  if (!found || !visible(who.scope, found)) return null;
  // inbox_at is never null (occurred_at and created_at are NOT NULL); the column type does not know that.
  const paged = keysetPage(rows, query, (r) => [r.note.inboxAt ?? 0, r.note.createdAt, r.note.id], totals?.[0]?.n);
  return {
    rows: paged.rows.map(({ note, reactions, quoted }) => {
      const q = record(parsedJson(quoted));
      return {
        ...serializeNote(note),
        media: mediaOf(note),
        quoted: q
          ? {
              id: str(q.id) ?? '',
              wamid: str(q.wamid),
              direction: direction({ type: str(q.type) ?? '' }),
              message_type: str(q.message_type),
              body: str(q.body),
            }
          : null,
        reactions: (note.wamid && groupReactions(reactionRows(reactions)).get(note.wamid)) || [],
      };
    }),
    pagination: paged.pagination,
  };
}

function parsedJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The reactions the page statement found for one message, oldest first (the latest wins in groupReactions). */
function reactionRows(text: string | null): ReactionRow[] {
  const rows = parsedJson(text);
  if (!Array.isArray(rows)) return [];
  return rows
    .flatMap((r) => {
      const row = record(r);
      if (!row) return [];
      const [inboxAt, createdAt, id] = Array.isArray(row.key) ? row.key : [];
      const num = (v: unknown) => (typeof v === 'number' ? v : 0);
      return [
        {
          type: str(row.type) ?? '',
          body: str(row.body),
          content: str(row.content),
          occurredAt: num(row.at),
          key: [num(inboxAt), num(createdAt), str(id) ?? ''] as [number, number, string],
        },
      ];
    })
    .sort(byKey);
}

/** The latest reaction per message and side wins; an empty emoji is Meta's way of removing one. */
function groupReactions(rows: ReactionRow[]): Map<string, InboxMessageJson['reactions']> {
  const latest = new Map<string, { row: ReactionRow; content: Record<string, unknown> | null }>();
  for (const row of rows) {
    const content = record(parsedJson(row.content));
    const target = str(content?.message_id);
    if (target) latest.set(`${target}|${row.type}`, { row, content });
  }
  const out = new Map<string, InboxMessageJson['reactions']>();
  for (const { row, content } of latest.values()) {
    const target = str(content?.message_id);
    const emoji = str(content?.emoji) ?? row.body ?? '';
    const side = direction(row);
    if (!target || !emoji || !side) continue;
    out.set(target, [
      ...(out.get(target) ?? []),
      { emoji, direction: side, occurred_at: new Date(row.occurredAt).toISOString() },
    ]);
  }
  return out;
}
