// One conversation's messages for the inbox: history notes with their media, the message they quote (Meta's
// `context`) and the reactions made to them. A reaction is its own inbound message at Meta; here it rides on
// the message it reacts to, as WhatsApp shows it.
import { and, desc, eq, inArray, like, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { historyNotes } from '../db/schema';
import { type HistoryNoteRow, serializeNote } from '../history/serialize';
import { inboxTime } from './order';
import type { InboxMessageJson } from './schemas';

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function mediaOf(row: HistoryNoteRow): InboxMessageJson['media'] {
  if (!MEDIA_TYPES.has(row.messageType ?? '')) return null;
  const c = record(row.content);
  const id = str(c?.id);
  if (!c || !id) return null;
  return {
    id,
    mime_type: str(c.mime_type),
    filename: str(c.filename),
    caption: str(c.caption),
    url: `/api/v1/media/${encodeURIComponent(id)}`,
  };
}

const direction = (row: HistoryNoteRow) =>
  row.type === 'whatsapp_sent' ? ('outbound' as const) : row.type === 'whatsapp_received' ? ('inbound' as const) : null;

/** The WhatsApp conversation notes (messages, opt-outs/ins, events) of one person, newest first. */
export async function listMessages(
  db: Db,
  companyId: string,
  personId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: InboxMessageJson[]; total: number }> {
  const where = and(
    eq(historyNotes.companyId, companyId),
    eq(historyNotes.personId, personId),
    like(historyNotes.type, 'whatsapp_%'),
    or(sql`${historyNotes.messageType} IS NULL`, ne(historyNotes.messageType, 'reaction')),
  );
  const [rows, count] = await db.batch([
    db
      .select()
      .from(historyNotes)
      .where(where)
      .orderBy(desc(inboxTime), desc(historyNotes.createdAt), desc(historyNotes.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: sql<number>`count(*)` }).from(historyNotes).where(where),
  ]);
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
    total: count[0]?.total ?? 0,
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

async function reactionsTo(db: Db, companyId: string, personId: string, wamids: string[]): Promise<HistoryNoteRow[]> {
  const target = sql<string>`json_extract(${historyNotes.content}, '$.message_id')`;
  const parts = await Promise.all(
    chunks(wamids).map((part) =>
      db
        .select()
        .from(historyNotes)
        .where(
          and(
            eq(historyNotes.companyId, companyId),
            eq(historyNotes.personId, personId),
            eq(historyNotes.messageType, 'reaction'),
            inArray(target, part),
          ),
        )
        .orderBy(inboxTime, historyNotes.createdAt)
        .all(),
    ),
  );
  return parts.flat();
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
