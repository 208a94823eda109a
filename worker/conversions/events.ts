// Ad leads' events for Meta's Conversions API for business messaging: recorded in the D1 batch of the change that
// makes them (the inbound message that makes a lead from an ad; the stage change that makes them a member), one
// row per person and event ever (conversion_events_person_event), and only for a company that set its dataset id
// and a person with an ad click id. The queue then reports each row (consumer.ts).
import { newId } from '../ids';

export const CONVERSION_EVENTS = ['LeadSubmitted', 'Purchase'] as const;
export type ConversionEventName = (typeof CONVERSION_EVENTS)[number];

/** What the queue carries: the row to report. */
export interface ConversionMessage {
  companyId: string;
  eventId: string;
}

/** An insert that may or may not happen in its batch; `eventId` is the row's id when it does. */
export interface PendingEvent {
  statement: D1PreparedStatement;
  eventId: string;
}

/**
 * The event row, if the company reports (its dataset id is set), the person has an ad click id (their first ad's),
 * `condition` holds, and no row for this person and event exists. `?1` company, `?2` person in `condition`.
 */
function eventIf(
  db: D1Database,
  companyId: string,
  personId: string,
  event: ConversionEventName,
  at: number,
  condition: { sql: string; params: unknown[] },
): PendingEvent {
  const eventId = newId('cev');
  const statement = db
    .prepare(
      `INSERT INTO conversion_events (id, company_id, person_id, event, dataset_id, ctwa_clid, event_time,
         next_attempt_at, created_at)
       SELECT ?3, c.id, p.id, ?4, c.meta_dataset_id, json_extract(p.lead_source_first, '$.ctwa_clid'), ?5, ?6, ?6
         FROM companies c JOIN people p ON p.company_id = c.id AND p.id = ?2
        WHERE c.id = ?1 AND c.meta_dataset_id IS NOT NULL
          AND json_extract(p.lead_source_first, '$.ctwa_clid') IS NOT NULL AND ${condition.sql}
       ON CONFLICT (person_id, event) DO NOTHING`,
    )
    .bind(companyId, personId, eventId, event, at, Date.now(), ...condition.params);
  return { statement, eventId };
}

/**
 * LeadSubmitted: this batch's message gave a lead their first ad (lead-source.ts set it from this very note), so
 * a redelivery, or a second ad later, records nothing more. After lead-source.ts's statements in the batch.
 */
export function leadSubmittedIf(
  db: D1Database,
  r: { companyId: string; personId: string; noteId: string; occurredAt: number },
): PendingEvent {
  return eventIf(db, r.companyId, r.personId, 'LeadSubmitted', r.occurredAt, {
    sql: `p.status = 'lead' AND json_extract(p.lead_source_first, '$.note_id') = ?7`,
    params: [r.noteId],
  });
}

/** Purchase: the person is now in one of the pipeline's won stages (Joined). After the stage's UPDATE. */
export function purchaseIf(db: D1Database, companyId: string, personId: string, at: number): PendingEvent {
  return eventIf(db, companyId, personId, 'Purchase', at, {
    sql: `EXISTS (SELECT 1 FROM pipeline_stages s WHERE s.id = p.stage_id AND s.company_id = c.id AND s.outcome = 'won')`,
    params: [],
  });
}

/**
 * Hands a recorded event to the queue. Best effort by design: a message lost here (or dead-lettered) is queued
 * again by the sweep (sweep.ts), and the consumer's claim makes a second copy harmless.
 */
export async function enqueueConversion(env: Env, message: ConversionMessage): Promise<void> {
  try {
    await env.CONVERSIONS_QUEUE.send(message);
  } catch (err) {
    console.error('conversion event not queued; the sweep will', message.eventId, err);
  }
}

/** Whether a batch's result shows the event row was inserted. */
export const recorded = (result: D1Result | undefined): boolean => (result?.meta.changes ?? 0) > 0;
