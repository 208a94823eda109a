// One conversation's messages for the inbox: history notes with their media, the message they quote (Meta's
// `context`) and the reactions made to them. A reaction is its own inbound message at Meta; here it rides on
// the message it reacts to, as WhatsApp shows it.
import { z } from '@hono/zod-openapi';
import { and, count, desc, eq, inArray, like, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { historyNotes } from '../db/schema';
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

const direction = (row: HistoryNoteRow) =>
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

/**
 * The statement for one page, newest first, built and not run (tests read its plan and cost): a walk of
 * history_notes_person_inbox (company_id, person_id, inbox_at, created_at, id) backwards from the cursor, so a
 * page costs the same in a conversation of ten notes or ten thousand.
 */
export function messagesPageQuery(db: Db, companyId: string, personId: string, query: CursorQuery) {
  const { after, offset, limit } = startOf(query, listKey);
  const keyset = after
    ? sql`(${historyNotes.inboxAt}, ${historyNotes.createdAt}, ${historyNotes.id}) < (${after[0]}, ${after[1]}, ${after[2]})`
    : undefined;
  return db
    .select()
    .from(historyNotes)
    .where(and(messagesOf(companyId, personId), keyset))
    .orderBy(desc(historyNotes.inboxAt), desc(historyNotes.createdAt), desc(historyNotes.id))
    .limit(limit + 1)
    .offset(offset);
}

/** One conversation's messages, newest first, with their media, quoted messages and reactions. */
export async function listMessages(
  db: Db,
  companyId: string,
  personId: string,
  query: CursorQuery,
): Promise<{ rows: InboxMessageJson[]; pagination: Pagination }> {
  const counted = wantsTotal(query)
    ? db.select({ n: count() }).from(historyNotes).where(messagesOf(companyId, personId)).all()
    : undefined;
  const [found, totals] = await Promise.all([messagesPageQuery(db, companyId, personId, query).all(), counted]);
  // inbox_at is never null (occurred_at and created_at are NOT NULL); the column type does not know that.
  const page = keysetPage(found, query, (r) => [r.inboxAt ?? 0, r.createdAt, r.id], totals?.[0]?.n);
  const rows = page.rows;
  const wamids = rows.map((r) => r.wamid).filter((w): w is string => w !== null);
  const quotedWamids = [...new Set(rows.map((r) => r.contextWamid).filter((w): w is string => w !== null))];
  // D1 allows 100 bound parameters per statement: look these up in chunks.
  const [reactions, quoted] = await Promise.all([
    wamids.length ? reactionsTo(db, companyId, personId, wamids) : [],
    quotedWamids.length ? byWamids(db, companyId, quotedWamids) : [],
  ]);
  const quotedBy = new Map(quoted.map((q) => [q.wamid, q]));
  const reactionsBy = groupReactions(reactions);
  return {
    rows: rows.map((row) => {
      const q = row.contextWamid ? quotedBy.get(row.contextWamid) : undefined;
      return {
        ...serializeNote(row),
        media: mediaOf(row),
        quoted: q
          ? { id: q.id, wamid: q.wamid, direction: direction(q), message_type: q.messageType, body: q.body }
          : null,
        reactions: (row.wamid && reactionsBy.get(row.wamid)) || [],
      };
    }),
    pagination: page.pagination,
  };
}

const CHUNK = 90;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function byWamids(db: Db, companyId: string, wamids: string[]): Promise<HistoryNoteRow[]> {
  const parts = await Promise.all(
    chunks(wamids).map((part) =>
      db
        .select()
        .from(historyNotes)
        .where(and(eq(historyNotes.companyId, companyId), inArray(historyNotes.wamid, part)))
        .all(),
    ),
  );
  return parts.flat();
}

/**
 * The reactions to some messages (at most CHUNK), by the message they react to: one probe of
 * history_notes_person_reactions per message. The index is partial (reactions only), so the condition on
 * message_type is the literal SQLite matches it by, not a bound parameter. No ORDER BY: sorting the few rows
 * found costs less than making SQLite walk the person's notes in inbox order to avoid a sort.
 */
export function reactionsQuery(db: Db, companyId: string, personId: string, wamids: string[]) {
  return db
    .select()
    .from(historyNotes)
    .where(
      and(
        eq(historyNotes.companyId, companyId),
        eq(historyNotes.personId, personId),
        sql`${historyNotes.messageType} = 'reaction'`,
        inArray(sql`json_extract(${historyNotes.content}, '$.message_id')`, wamids),
      ),
    );
}

/** Oldest first, so that the latest reaction wins in groupReactions. */
async function reactionsTo(db: Db, companyId: string, personId: string, wamids: string[]): Promise<HistoryNoteRow[]> {
  const parts = await Promise.all(chunks(wamids).map((part) => reactionsQuery(db, companyId, personId, part).all()));
  return parts
    .flat()
    .sort(
      (a, b) =>
        (a.inboxAt ?? 0) - (b.inboxAt ?? 0) || a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

/** The latest reaction per message and side wins; an empty emoji is Meta's way of removing one. */
function groupReactions(rows: HistoryNoteRow[]): Map<string, InboxMessageJson['reactions']> {
  const latest = new Map<string, HistoryNoteRow>();
  for (const row of rows) {
    const target = str(record(row.content)?.message_id);
    if (target) latest.set(`${target}|${row.type}`, row);
  }
  const out = new Map<string, InboxMessageJson['reactions']>();
  for (const row of latest.values()) {
    const target = str(record(row.content)?.message_id);
    const emoji = str(record(row.content)?.emoji) ?? row.body ?? '';
    const side = direction(row);
    if (!target || !emoji || !side) continue;
    out.set(target, [
      ...(out.get(target) ?? []),
      { emoji, direction: side, occurred_at: new Date(row.occurredAt).toISOString() },
    ]);
  }
  return out;
}
