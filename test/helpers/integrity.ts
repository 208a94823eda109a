// Whether the inbox's rows agree with history: `conversations` (kept by the triggers of migrations/0007) against
// the same rows computed from scratch from history_notes and people.
import { env } from 'cloudflare:workers';

/** What history says each person's row must be: the definition the triggers keep, computed from scratch. */
export const TRUTH = `
WITH messages AS (
  SELECT h.id, h.person_id, h.type, h.inbox_at, h.occurred_at, h.created_at,
    ROW_NUMBER() OVER (PARTITION BY h.person_id ORDER BY h.inbox_at DESC, h.created_at DESC, h.id DESC) AS rn_last,
    ROW_NUMBER() OVER (PARTITION BY h.person_id, h.type ORDER BY
      CASE WHEN h.type = 'whatsapp_sent' THEN h.occurred_at ELSE h.inbox_at END DESC, h.created_at DESC, h.id DESC) AS rn_type
  FROM history_notes h
  WHERE h.company_id = ?1 AND h.type IN ('whatsapp_sent', 'whatsapp_received') AND COALESCE(h.message_type, '') <> 'reaction'
)
SELECT p.id AS person_id, l.id AS last_note_id, l.inbox_at AS last_at, s.id AS last_sent_note_id,
  i.id AS last_inbound_note_id, i.inbox_at AS last_inbound_at,
  (SELECT COUNT(*) FROM history_notes u WHERE u.company_id = ?1 AND u.person_id = p.id
     AND u.inbox_at > COALESCE(p.whatsapp_last_read_at, 0) AND u.type = 'whatsapp_received'
     AND COALESCE(u.message_type, '') <> 'reaction') AS unread_count,
  p.whatsapp_last_inbound_at AS window_at, p.whatsapp_opted_out AS opted_out,
  (SELECT rowid FROM people_search WHERE people_search MATCH 'person_id:"' || p.id || '"') AS search_rowid
FROM messages l JOIN people p ON p.id = l.person_id
LEFT JOIN messages s ON s.person_id = l.person_id AND s.type = 'whatsapp_sent' AND s.rn_type = 1
LEFT JOIN messages i ON i.person_id = l.person_id AND i.type = 'whatsapp_received' AND i.rn_type = 1
WHERE l.rn_last = 1
ORDER BY p.id`;

export const KEPT = `SELECT person_id, last_note_id, last_at, last_sent_note_id, last_inbound_note_id, last_inbound_at,
  unread_count, window_at, opted_out, search_rowid FROM conversations WHERE company_id = ?1 ORDER BY person_id`;

export async function rowsOf(sql: string, companyId: string) {
  return (await env.DB.prepare(sql).bind(companyId).all()).results;
}

/** The kept rows and the ones history says they must be, for `expect(kept).toEqual(truth)`. */
export async function conversationRows(companyId: string) {
  return { kept: await rowsOf(KEPT, companyId), truth: await rowsOf(TRUTH, companyId) };
}

/** People whose `has_conversation` (migrations/0013) says otherwise than the conversations table: none, ever. */
export async function hasConversationMismatches(companyId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    `SELECT id FROM people WHERE company_id = ?1
        AND has_conversation <> (id IN (SELECT person_id FROM conversations WHERE company_id = ?1))`,
  )
    .bind(companyId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}
