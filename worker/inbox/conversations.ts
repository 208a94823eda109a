// The inbox's conversation rows: one per person with WhatsApp messages, newest last message first. Computed
// from history notes and the person's mirrors, so sends and webhooks need no extra write to keep it true.
import { isWindowOpen, SERVICE_WINDOW_MS, windowExpiresAt } from '../whatsapp/policy';
import { inboxTimeOf } from './order';
import type { ConversationJson, ConversationListQuery } from './schemas';

const MESSAGE_TYPES = "('whatsapp_sent', 'whatsapp_received')";

interface Row {
  id: string;
  first_name: string;
  last_name: string | null;
  phone: string | null;
  whatsapp_opted_out: number;
  whatsapp_last_inbound_at: number | null;
  /** The inbox order time (order.ts); `last_occurred_at` is the message's own time. */
  last_at: number;
  last_occurred_at: number;
  last_id: string | null;
  last_type: 'whatsapp_sent' | 'whatsapp_received' | null;
  last_message_type: string | null;
  last_body: string | null;
  last_status: string | null;
  unread: number;
  last_sent_status: string | null;
}

// One statement: the latest message per person (a window function), unread counts and the latest send's status.
const SELECT = `
WITH ranked AS (
  SELECT h.person_id, h.id, h.type, h.message_type, h.body, h.status, h.occurred_at, ${inboxTimeOf('h')} AS sort_at,
         ROW_NUMBER() OVER (PARTITION BY h.person_id ORDER BY ${inboxTimeOf('h')} DESC, h.created_at DESC, h.id DESC) AS rn
  FROM history_notes h
  WHERE h.company_id = ?1 AND h.type IN ${MESSAGE_TYPES} AND COALESCE(h.message_type, '') <> 'reaction'
),
rows AS (
  SELECT p.id, p.first_name, p.last_name, p.phone, p.whatsapp_opted_out, p.whatsapp_last_inbound_at,
         r.sort_at AS last_at, r.occurred_at AS last_occurred_at, r.id AS last_id, r.type AS last_type, r.message_type AS last_message_type,
         r.body AS last_body, r.status AS last_status,
         (SELECT COUNT(*) FROM history_notes u
           WHERE u.company_id = ?1 AND u.person_id = p.id AND u.type = 'whatsapp_received'
             AND ${inboxTimeOf('u')} > COALESCE(p.whatsapp_last_read_at, 0)) AS unread,
         (SELECT s.status FROM history_notes s
           WHERE s.company_id = ?1 AND s.person_id = p.id AND s.type = 'whatsapp_sent'
           ORDER BY s.occurred_at DESC, s.created_at DESC LIMIT 1) AS last_sent_status
  FROM ranked r JOIN people p ON p.id = r.person_id AND p.company_id = ?1
  WHERE r.rn = 1
)
SELECT * FROM rows`;

const MEDIA_LABELS: Record<string, string> = {
  image: '📷 Photo',
  video: '🎥 Video',
  audio: '🎤 Audio',
  document: '📎 Document',
  sticker: 'Sticker',
  location: '📍 Location',
  contacts: '👤 Contact',
  template: 'Template',
  unsupported: 'Unsupported message',
};

export function previewOf(messageType: string | null, body: string | null): string {
  const label = MEDIA_LABELS[messageType ?? ''];
  if (body && label && messageType !== 'template') return `${label}: ${body}`;
  return body ?? label ?? '';
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function serialize(row: Row, now: number): ConversationJson {
  const expires = windowExpiresAt(row.whatsapp_last_inbound_at);
  const open = isWindowOpen(row.whatsapp_last_inbound_at, now);
  return {
    person_id: row.id,
    name: [row.first_name, row.last_name].filter(Boolean).join(' '),
    phone: row.phone,
    last_message:
      row.last_id && row.last_type
        ? {
            id: row.last_id,
            direction: row.last_type === 'whatsapp_sent' ? 'outbound' : 'inbound',
            message_type: row.last_message_type,
            preview: previewOf(row.last_message_type, row.last_body),
            status: row.last_status,
            occurred_at: new Date(row.last_occurred_at).toISOString(),
          }
        : null,
    last_message_at: row.last_id ? iso(row.last_occurred_at) : null,
    unread_count: row.unread,
    window_open: open,
    window_expires_at: open ? iso(expires) : null,
    opted_out: row.whatsapp_opted_out === 1,
    last_failed: row.last_sent_status === 'failed',
  };
}

/** `%` and `_` typed by a person are literal characters, not wildcards. */
const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listConversations(
  db: D1Database,
  companyId: string,
  query: ConversationListQuery,
  now = Date.now(),
): Promise<{ rows: ConversationJson[]; total: number }> {
  const where: string[] = [];
  const binds: unknown[] = [companyId];
  const bind = (v: unknown): string => {
    binds.push(v);
    return `?${binds.length}`;
  };
  if (query.q) {
    const text = `%${likeEscape(query.q.toLowerCase())}%`;
    const digits = query.q.replace(/\D/g, '');
    const name = `lower(first_name || ' ' || COALESCE(last_name, '')) LIKE ${bind(text)} ESCAPE '\\'`;
    where.push(digits.length >= 3 ? `(${name} OR phone LIKE ${bind(`%${digits}%`)})` : name);
  }
  if (query.unread !== undefined) where.push(query.unread ? 'unread > 0' : 'unread = 0');
  if (query.window_open !== undefined) {
    const open = `COALESCE(whatsapp_last_inbound_at, 0) > ${bind(now - SERVICE_WINDOW_MS)}`;
    where.push(query.window_open ? open : `NOT (${open})`);
  }
  if (query.opted_out !== undefined) where.push(`whatsapp_opted_out = ${bind(query.opted_out ? 1 : 0)}`);
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const offset = (query.page - 1) * query.per_page;
  // The total rides on each row (a window over the filtered rows, computed before LIMIT): one pass, not two.
  const paged = `${SELECT.replace('SELECT * FROM rows', 'SELECT *, COUNT(*) OVER () AS total FROM rows')}${filter}`;
  const limits = ` ORDER BY last_at DESC, id LIMIT ${bind(query.per_page)} OFFSET ${bind(offset)}`;
  const { results } = await db
    .prepare(paged + limits)
    .bind(...binds)
    .all<Row & { total: number }>();
  const rows = results ?? [];
  let total = rows[0]?.total ?? 0;
  // A page past the end has no rows to carry the total: count separately (rare).
  if (rows.length === 0 && offset > 0) {
    const counted = await db
      .prepare(`${SELECT.replace('SELECT * FROM rows', 'SELECT COUNT(*) AS total FROM rows')}${filter}`)
      .bind(...binds.slice(0, binds.length - 2))
      .first<{ total: number }>();
    total = counted?.total ?? 0;
  }
  return { rows: rows.map((r) => serialize(r, now)), total };
}

/** One person's row, also for someone with no messages yet (an empty conversation). Null: not in this company. */
export async function getConversation(
  db: D1Database,
  companyId: string,
  personId: string,
  now = Date.now(),
): Promise<ConversationJson | null> {
  const row = await db.prepare(`${SELECT} WHERE id = ?2`).bind(companyId, personId).first<Row>();
  if (row) return serialize(row, now);
  const person = await db
    .prepare(
      'SELECT id, first_name, last_name, phone, whatsapp_opted_out, whatsapp_last_inbound_at FROM people WHERE company_id = ?1 AND id = ?2',
    )
    .bind(companyId, personId)
    .first<
      Pick<Row, 'id' | 'first_name' | 'last_name' | 'phone' | 'whatsapp_opted_out' | 'whatsapp_last_inbound_at'>
    >();
  if (!person) return null;
  const empty: Row = {
    ...person,
    last_at: 0,
    last_occurred_at: 0,
    last_id: null,
    last_type: null,
    last_message_type: null,
    last_body: null,
    last_status: null,
    unread: 0,
    last_sent_status: null,
  };
  return { ...serialize(empty, now), last_message_at: null };
}
