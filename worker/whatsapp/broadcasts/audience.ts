// A broadcast's audience as SQL over `people p`: the preview counts it, the start writes it as recipients. One
// builder, so what the preview says is what the run does. The automated items' fields (status, sale type, club)
// come from their builder (automations/candidates.ts); the rest are a broadcast's own.
import type { BroadcastAudience } from '../../db/column-types';
import { audienceSql } from '../automations/candidates';
import { zonedInstant } from '../automations/clock';

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export interface AudienceQuery {
  /** `FROM people p WHERE ...` */
  fromSql: string;
  args: unknown[];
}

/**
 * `scopeClubIds`: the clubs of the user who made it or reads it (null: every club), so a user limited to clubs
 * never reaches, nor counts, anyone else's people whatever the stored audience says.
 */
export function audienceQuery(
  companyId: string,
  audience: BroadcastAudience,
  timeZone: string,
  scopeClubIds: readonly string[] | null,
): AudienceQuery {
  const args: unknown[] = [companyId];
  let sql = 'FROM people p WHERE p.company_id = ?';
  sql += audienceSql(
    { statuses: audience.statuses, sale_types: audience.sale_types, club_ids: audience.club_ids },
    args,
  );
  if (scopeClubIds !== null) {
    sql += ` AND p.club_id IN (${marks(Math.max(1, scopeClubIds.length))})`;
    args.push(...(scopeClubIds.length > 0 ? scopeClubIds : ['']));
  }
  if (audience.stage_ids?.length) {
    sql += ` AND p.stage_id IN (${marks(audience.stage_ids.length)})`;
    args.push(...audience.stage_ids);
  }
  if (audience.label_ids?.length) {
    // One probe of person_labels' (person, label) key per person met.
    sql += ` AND EXISTS (SELECT 1 FROM person_labels l WHERE l.person_id = p.id
      AND l.label_id IN (${marks(audience.label_ids.length)}))`;
    args.push(...audience.label_ids);
  }
  // Lead source: the ad that brought the person (their first, as the directory's ad filters read it).
  if (audience.source === 'ad') sql += ' AND p.ad_source_id IS NOT NULL';
  if (audience.ad_ids?.length) {
    sql += ` AND p.ad_source_id IN (${marks(audience.ad_ids.length)})`;
    args.push(...audience.ad_ids);
  }
  // Last contact: the person's conversation row's latest message, either way (inbox rows, 0007); never messaged
  // is "before" any day, and never "after" one.
  if (audience.last_contact_before) {
    sql += ' AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.person_id = p.id AND c.last_at >= ?)';
    args.push(zonedInstant(audience.last_contact_before, 0, timeZone));
  }
  if (audience.last_contact_after) {
    sql += ' AND EXISTS (SELECT 1 FROM conversations c WHERE c.person_id = p.id AND c.last_at >= ?)';
    args.push(zonedInstant(audience.last_contact_after, 0, timeZone));
  }
  return { fromSql: sql, args };
}

/** SQL over `people p`: WhatsApp consent is on record for them (an opt-in in the consent log). */
export const consentRecordedSql = `EXISTS (SELECT 1 FROM consent_log cl WHERE cl.company_id = p.company_id
  AND cl.person_id = p.id AND cl.channel = 'whatsapp' AND cl.action = 'opt_in')`;
