// The statements an inbound message from an ad adds to its batch (whatsapp/inbound-store.ts): the person's
// first ad, set once, and their latest, moved forward by Meta's time. Both hold only if this batch stored the note
// (EXISTS the note just inserted): a redelivered webhook inserts no note, so it can change neither; and "first" is
// written only while none is set, so a later ad, or the same one again, never replaces it.
import { leadSubmittedIf, type PendingEvent } from '../conversions/events';
import type { InboundRecord } from '../whatsapp/history-writes';
import { adKeyOf, referralOf, storedLeadSource } from './referral';

// The note this batch stored; and a message Meta says was sent before the person's erasure (delivered after it)
// leaves their lead source as the erasure left it, as it leaves the note's text.
const STORED = 'EXISTS (SELECT 1 FROM history_notes WHERE id = ?3)';

export function leadSourceStatements(db: D1Database, r: InboundRecord): D1PreparedStatement[] {
  const referral = referralOf(r.note.referral);
  if (!referral) return [];
  const source = JSON.stringify(storedLeadSource(referral, r.occurredAt, r.noteId));
  return [
    db
      .prepare(
        `UPDATE people SET ad_source_id = ?4, ad_lead_at = ?5, lead_source_first = ?6
          WHERE id = ?1 AND company_id = ?2 AND lead_source_first IS NULL AND ${STORED}
            AND coalesce(erased_at, -1) < ?5`,
      )
      .bind(r.personId, r.companyId, r.noteId, adKeyOf(referral), r.occurredAt, source),
    // An older ad message delivered late (Meta's order is not ours) leaves a newer latest alone.
    db
      .prepare(
        `UPDATE people SET lead_source_latest = ?5
          WHERE id = ?1 AND company_id = ?2 AND ${STORED} AND coalesce(erased_at, -1) < ?4
            AND coalesce(json_extract(lead_source_latest, '$.at'), -1) <= ?4`,
      )
      .bind(r.personId, r.companyId, r.noteId, r.occurredAt, source),
  ];
}

/**
 * Everything a message from an ad adds to its batch: the lead sources above, then the LeadSubmitted event (last,
 * so the batch's result for it says whether it was recorded). Nothing for a message from no ad.
 */
export function adStatements(
  db: D1Database,
  r: InboundRecord,
): { statements: D1PreparedStatement[]; event: PendingEvent | null } {
  const sources = leadSourceStatements(db, r);
  if (sources.length === 0) return { statements: [], event: null };
  const event = leadSubmittedIf(db, r);
  return { statements: [...sources, event.statement], event };
}
