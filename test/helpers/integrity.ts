// What must hold in D1 after any traffic at all: rows that point at people point at the company's people, the
// inbox rows and the counters equal what history says, the opt-out flag is what the consent log last recorded,
// and nothing failed on our side. The property tests and the fuzzers end with these, so a partial write (one
// half of a batch, a row left behind, a flag without its proof) shows here.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';

/** What history says each person's inbox row must be: the definition the triggers keep, computed from scratch. */
const CONVERSATIONS_TRUTH = `
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

const CONVERSATIONS_KEPT = `SELECT person_id, last_note_id, last_at, last_sent_note_id, last_inbound_note_id,
  last_inbound_at, unread_count, window_at, opted_out, search_rowid FROM conversations WHERE company_id = ?1
  ORDER BY person_id`;

export async function rowsOf(sql: string, companyId: string): Promise<Record<string, unknown>[]> {
  return (await env.DB.prepare(sql).bind(companyId).all()).results;
}

export async function keptConversationRows(companyId: string) {
  return rowsOf(CONVERSATIONS_KEPT, companyId);
}

/** The kept rows and the ones history says they must be, for `expect(kept).toEqual(truth)`. */
export async function conversationRows(companyId: string) {
  return { kept: await keptConversationRows(companyId), truth: await rowsOf(CONVERSATIONS_TRUTH, companyId) };
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

/** Each inbox row (migrations/0007_inbox_rows.sql) equals the one computed from history. */
export async function expectConversationRowsMatchHistory(companyId: string): Promise<void> {
  expect(await keptConversationRows(companyId)).toEqual(await rowsOf(CONVERSATIONS_TRUTH, companyId));
}

/**
 * Per person and sale type: `sent` = their sent notes that are sent, delivered or read (a failed or refused
 * message does not count), `received` = the messages they sent us (reactions included).
 */
export async function expectCountersMatchHistory(companyId: string): Promise<void> {
  const { results } = await env.DB.prepare(
    `SELECT p.id AS person_id, s.sale_type,
            coalesce((SELECT sent FROM counters c WHERE c.person_id = p.id AND c.sale_type = s.sale_type), 0) AS sent,
            (SELECT count(*) FROM history_notes h WHERE h.person_id = p.id AND h.type = 'whatsapp_sent'
               AND h.sale_type = s.sale_type AND h.status IN ('sent', 'delivered', 'read')) AS sent_notes,
            coalesce((SELECT received FROM counters c WHERE c.person_id = p.id AND c.sale_type = s.sale_type), 0)
              AS received,
            (SELECT count(*) FROM history_notes h WHERE h.person_id = p.id AND h.type = 'whatsapp_received'
               AND h.sale_type = s.sale_type) AS received_notes
       FROM people p, (SELECT 'membership' AS sale_type UNION ALL SELECT 'secondary') s
      WHERE p.company_id = ?`,
  )
    .bind(companyId)
    .all<{
      person_id: string;
      sale_type: string;
      sent: number;
      sent_notes: number;
      received: number;
      received_notes: number;
    }>();
  for (const r of results)
    expect({ sent: r.sent, received: r.received }, `counters of ${r.person_id} ${r.sale_type}`).toEqual({
      sent: r.sent_notes,
      received: r.received_notes,
    });
}

/** Rows that name a person name one of the same company's people. */
export async function expectNoOrphans(companyId: string): Promise<void> {
  const orphans = await rowsOf(
    `SELECT 'history_notes' AS t, id FROM history_notes x WHERE company_id = ?1
        AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = x.person_id AND p.company_id = ?1)
     UNION ALL SELECT 'consent_log', id FROM consent_log x WHERE company_id = ?1
        AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = x.person_id AND p.company_id = ?1)
     UNION ALL SELECT 'counters', person_id FROM counters x WHERE company_id = ?1
        AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = x.person_id AND p.company_id = ?1)
     UNION ALL SELECT 'conversations', person_id FROM conversations x WHERE company_id = ?1
        AND NOT EXISTS (SELECT 1 FROM people p WHERE p.id = x.person_id AND p.company_id = ?1)`,
    companyId,
  );
  expect(orphans).toEqual([]);
}

/**
 * A person's WhatsApp opt-out flag is what their latest consent_log entry says (opted out only with an opt-out on
 * record; never back in without an opt-in on record): the flag and its proof are written in one batch.
 */
export async function expectOptOutMatchesConsentLog(companyId: string): Promise<void> {
  const disagree = await rowsOf(
    `SELECT p.id, p.whatsapp_opted_out AS opted_out,
            (SELECT action FROM consent_log c WHERE c.person_id = p.id AND c.channel = 'whatsapp'
              ORDER BY c.rowid DESC LIMIT 1) AS latest
       FROM people p WHERE p.company_id = ?1
        AND p.whatsapp_opted_out != (coalesce((SELECT action FROM consent_log c WHERE c.person_id = p.id
              AND c.channel = 'whatsapp' ORDER BY c.rowid DESC LIMIT 1), 'opt_in') = 'opt_out')`,
    companyId,
  );
  expect(disagree).toEqual([]);
}

/** No message gave up because of a failure on our side (the conversation object's `internal_error`). */
export async function expectNoInternalErrors(companyId: string): Promise<void> {
  const failed = await rowsOf(
    `SELECT id, error FROM history_notes WHERE company_id = ?1 AND json_extract(error, '$.code') = 'internal_error'`,
    companyId,
  );
  expect(failed).toEqual([]);
}

/** Everything above, for one company. */
export async function expectIntegrity(companyId: string): Promise<void> {
  await expectNoOrphans(companyId);
  await expectConversationRowsMatchHistory(companyId);
  expect(await hasConversationMismatches(companyId)).toEqual([]);
  await expectCountersMatchHistory(companyId);
  await expectOptOutMatchesConsentLog(companyId);
  await expectNoInternalErrors(companyId);
}

const STATE_TABLES = ['people', 'history_notes', 'counters', 'conversations', 'consent_log'];

/** A company's people, history, counters, inbox rows and consent log, to compare before and after a replay. */
export async function stateOf(companyId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of STATE_TABLES)
    out[table] = await rowsOf(`SELECT * FROM ${table} WHERE company_id = ?1 ORDER BY rowid`, companyId);
  return out;
}
