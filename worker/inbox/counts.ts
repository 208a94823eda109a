// The inbox views' unread counts (Mine / Unassigned / All): how many conversations have unread messages in each.
// Each is a COUNT over conversations_company_owner_unread (migrations/0014_lead_owners.sql), a partial index that
// holds only the rows with unread messages: its cost follows the unread conversations, never the inbox's size.
import type { ReadDb } from '../db/company-data';
import type { ConversationCountsJson } from './schemas';

export const COUNTS_SQL = `SELECT
  (SELECT COUNT(*) FROM conversations WHERE company_id = ?1 AND owner_user_id = ?2 AND unread_count > 0) AS mine,
  (SELECT COUNT(*) FROM conversations WHERE company_id = ?1 AND owner_user_id IS NULL AND unread_count > 0) AS unassigned,
  (SELECT COUNT(*) FROM conversations INDEXED BY conversations_company_owner_unread
    WHERE company_id = ?1 AND unread_count > 0) AS all_unread`;

/** `userId`: the caller's own id (null for an API key, which owns no one: `mine` is then null). */
export async function conversationCounts(
  db: ReadDb,
  companyId: string,
  userId: string | null,
): Promise<ConversationCountsJson> {
  const row = await db
    .prepare(COUNTS_SQL)
    .bind(companyId, userId ?? '')
    .first<{ mine: number; unassigned: number; all_unread: number }>();
  return {
    mine: userId === null ? null : (row?.mine ?? 0),
    unassigned: row?.unassigned ?? 0,
    all: row?.all_unread ?? 0,
  };
}
