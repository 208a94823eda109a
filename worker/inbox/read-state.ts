import { companyDatabase, companyDb } from '../db/company-data';
import { notFound } from '../errors';
import { notifyInbox } from '../realtime/notify';
import { metaApiFor } from '../whatsapp/meta';
import { credentialsForPerson } from '../whatsapp/numbers';

const LATEST_INBOUND = '(SELECT last_inbound_at FROM conversations WHERE person_id = ?2 AND company_id = ?1)';

/** Moves the read mark (`mark` is SQL over LATEST_INBOUND); true if it moved. 404 for a stranger. */
async function moveReadMark(env: Env, companyId: string, personId: string, mark: string, guard: string) {
  const [updated, person] = await companyDatabase(env, companyId).batch<{ wamid: string | null; id: string }>([
    companyDatabase(env, companyId)
      .prepare(
        `UPDATE people SET whatsapp_last_read_at = ${mark}
        WHERE company_id = ?1 AND id = ?2 AND ${LATEST_INBOUND} IS NOT NULL AND ${guard}`,
      )
      .bind(companyId, personId),
    companyDatabase(env, companyId)
      .prepare(
        `SELECT p.id, h.wamid FROM people p
         LEFT JOIN conversations c ON c.person_id = p.id
         LEFT JOIN history_notes h ON h.id = c.last_inbound_note_id
        WHERE p.company_id = ?1 AND p.id = ?2`,
      )
      .bind(companyId, personId),
  ]);
  const row = person?.results[0];
  if (!row) throw notFound('Person');
  const moved = (updated?.meta.changes ?? 0) > 0;
  if (moved) await notifyInbox(env, companyId, { type: 'person', personId });
  return { moved, wamid: row.wamid };
}

export async function markConversationRead(env: Env, companyId: string, personId: string) {
  // Never move the mark back: a slower request from another phone must not make messages unread again.
  const { wamid } = await moveReadMark(
    env,
    companyId,
    personId,
    LATEST_INBOUND,
    `COALESCE(whatsapp_last_read_at, 0) < ${LATEST_INBOUND}`,
  );
  if (!wamid) return;
  const credentials = await credentialsForPerson(env, companyDb(env, companyId), companyId, personId, true);
  // Blue ticks are a courtesy to the person: markRead logs its failures and never fails the request.
  if (credentials) await metaApiFor(env).markRead(credentials, wamid);
}

/** "Mark as unread": the latest inbound message counts as unread again (WhatsApp does the same). */
export async function markConversationUnread(env: Env, companyId: string, personId: string) {
  await moveReadMark(env, companyId, personId, `${LATEST_INBOUND} - 1`, 'true');
}

/**
 * A user's unread mentions of this person become read (they opened the conversation); true if any did. Theirs
 * alone: a colleague reading the conversation has not seen a note meant for them.
 */
export async function markMentionsRead(
  env: Env,
  companyId: string,
  userId: string,
  personId: string,
  now = Date.now(),
) {
  const result = await companyDatabase(env, companyId)
    .prepare(
      `UPDATE mentions SET read_at = ?4 WHERE company_id = ?1 AND user_id = ?2 AND person_id = ?3 AND read_at IS NULL`,
    )
    .bind(companyId, userId, personId, now)
    .run();
  return (result.meta.changes ?? 0) > 0;
}
