// The inbox views' unread counts (Mine / Unassigned / All): how many conversations have unread messages in each;
// and Mentions: how many have notes mentioning the caller that they have not read.
// Each is a COUNT over conversations_company_owner_unread (migrations/0014_lead_owners.sql), a partial index that
// holds only the rows with unread messages: its cost follows the unread conversations, never the inbox's size.
// A club filter and the caller's scope (auth/scope-sql.ts) are checked on those rows, so the counts are of what
// the caller's lists show.
import { isScoped, type Scope } from '#common/scope';
import { inline, scopeCondition } from '../auth/scope-sql';
import type { ReadDb } from '../db/company-data';
import { CONVERSATION_SCOPE_COLUMNS } from './conversations';
import type { ConversationCountsJson } from './schemas';

export const COUNTS_SQL = `SELECT
  (SELECT COUNT(*) FROM conversations WHERE company_id = ?1 AND owner_user_id = ?2 AND unread_count > 0) AS mine,
  (SELECT COUNT(*) FROM conversations WHERE company_id = ?1 AND owner_user_id IS NULL AND unread_count > 0) AS unassigned,
  (SELECT COUNT(*) FROM conversations INDEXED BY conversations_company_owner_unread
    WHERE company_id = ?1 AND unread_count > 0) AS all_unread`;

/** The counts' statement: COUNTS_SQL, or the same three counts narrowed to a club and the caller's scope. */
export function countsStatement(
  companyId: string,
  userId: string | null,
  scope: Scope,
  club: string | null,
): { sql: string; params: unknown[] } {
  if (!isScoped(scope) && club === null) return { sql: COUNTS_SQL, params: [companyId, userId ?? ''] };
  const params: unknown[] = [companyId, userId ?? ''];
  const bind = (v: unknown): string => {
    params.push(v);
    return `?${params.length}`;
  };
  const narrowed = (): string => {
    const parts: string[] = [];
    if (club !== null) parts.push(`c.club_id = ${bind(club)}`);
    const condition = scopeCondition(scope, CONVERSATION_SCOPE_COLUMNS);
    if (condition) parts.push(inline(condition, bind));
    return parts.map((p) => ` AND ${p}`).join('');
  };
  const sql = `SELECT
  (SELECT COUNT(*) FROM conversations c WHERE c.company_id = ?1 AND c.owner_user_id = ?2 AND c.unread_count > 0${narrowed()}) AS mine,
  (SELECT COUNT(*) FROM conversations c WHERE c.company_id = ?1 AND c.owner_user_id IS NULL AND c.unread_count > 0${narrowed()}) AS unassigned,
  (SELECT COUNT(*) FROM conversations c INDEXED BY conversations_company_owner_unread
    WHERE c.company_id = ?1 AND c.unread_count > 0${narrowed()}) AS all_unread`;
  return { sql, params };
}

/**
 * Conversations with unread mentions of the user, of those the caller may see (in the club shown): read from the
 * user's unread mention rows (mentions_user_unread), each probing its conversation by primary key.
 */
export function mentionsCountStatement(
  companyId: string,
  userId: string,
  scope: Scope,
  club: string | null,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [companyId, userId];
  const bind = (v: unknown): string => {
    params.push(v);
    return `?${params.length}`;
  };
  const parts: string[] = [];
  if (club !== null) parts.push(`c.club_id = ${bind(club)}`);
  const condition = scopeCondition(scope, CONVERSATION_SCOPE_COLUMNS);
  if (condition) parts.push(inline(condition, bind));
  const sql = `SELECT COUNT(*) AS mentions
  FROM (SELECT DISTINCT person_id FROM mentions WHERE company_id = ?1 AND user_id = ?2 AND read_at IS NULL) u
  CROSS JOIN conversations c ON c.person_id = u.person_id
 WHERE c.company_id = ?1${parts.map((p) => ` AND ${p}`).join('')}`;
  return { sql, params };
}

/** `userId`: the caller's own id (null for an API key, which owns no one: `mine` and `mentions` are then null). */
export async function conversationCounts(
  db: ReadDb,
  companyId: string,
  userId: string | null,
  scope: Scope,
  club: string | null,
): Promise<ConversationCountsJson> {
  const statement = countsStatement(companyId, userId, scope, club);
  const mentions = userId === null ? null : mentionsCountStatement(companyId, userId, scope, club);
  const [views, mentioned] = await db.batch<{ mine: number; unassigned: number; all_unread: number; mentions: number }>(
    [
      db.prepare(statement.sql).bind(...statement.params),
      ...(mentions ? [db.prepare(mentions.sql).bind(...mentions.params)] : []),
    ],
  );
  const row = views?.results[0];
  return {
    mine: userId === null ? null : (row?.mine ?? 0),
    unassigned: row?.unassigned ?? 0,
    all: row?.all_unread ?? 0,
    mentions: userId === null ? null : (mentioned?.results[0]?.mentions ?? 0),
  };
}
