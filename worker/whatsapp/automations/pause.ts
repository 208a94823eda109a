// An item whose template stops being APPROVED switches itself off and says why, so nobody is skipped by the
// thousand before a person notices.
import type { automations } from '../../db/schema';

export async function pauseAutomation(
  env: Env,
  item: Pick<typeof automations.$inferSelect, 'id' | 'templateName' | 'templateLanguage'>,
  templateStatus: string,
): Promise<string> {
  const reason =
    templateStatus === 'missing'
      ? `Template ${item.templateName} (${item.templateLanguage}) no longer exists`
      : `Template ${item.templateName} (${item.templateLanguage}) is ${templateStatus}, not APPROVED`;
  await env.DB.prepare(
    `UPDATE automations SET enabled = 0, paused_reason = ?2, updated_at = ?3 WHERE id = ?1 AND enabled = 1`,
  )
    .bind(item.id, reason, Date.now())
    .run();
  return reason;
}
