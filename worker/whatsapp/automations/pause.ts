// An item whose template stops being APPROVED switches itself off and says why, so nobody is skipped by the
// thousand before a person notices. The audit log says so too, as ClubChat's doing, only when the item was on.
import { auditStatement, systemBy } from '../../audit/record';
import { SYSTEM } from '../../auth/actor';
import { companyDatabase } from '../../db/company-data';
import type { automations } from '../../db/schema';

export async function pauseAutomation(
  env: Env,
  item: Pick<typeof automations.$inferSelect, 'id' | 'companyId' | 'name' | 'templateName' | 'templateLanguage'>,
  templateStatus: string,
): Promise<string> {
  const reason =
    templateStatus === 'missing'
      ? `Template ${item.templateName} (${item.templateLanguage}) no longer exists`
      : `Template ${item.templateName} (${item.templateLanguage}) is ${templateStatus}, not APPROVED`;
  const now = Date.now();
  await companyDatabase(env, item.companyId).batch([
    // Before the update, under its condition: an item already paused (by a concurrent sweep) adds nothing.
    auditStatement(
      companyDatabase(env, item.companyId),
      item.companyId,
      systemBy(SYSTEM.automations),
      {
        action: 'automation.updated',
        target: { type: 'automation', id: item.id },
        details: {
          name: item.name,
          changed: { enabled: { from: true, to: false }, paused_reason: { from: null, to: reason } },
        },
      },
      now,
      { sql: 'EXISTS (SELECT 1 FROM automations WHERE id = ? AND enabled = 1)', params: [item.id] },
    ),
    companyDatabase(env, item.companyId)
      .prepare(`UPDATE automations SET enabled = 0, paused_reason = ?2, updated_at = ?3 WHERE id = ?1 AND enabled = 1`)
      .bind(item.id, reason, now),
  ]);
  return reason;
}
