// Reports ad leads' events (events.ts) to Meta's Conversions API, exactly once per event:
// - one row per person and event ever, so there is one event to report however often its change was repeated;
// - a claim (a lease, taken in one UPDATE) before Meta is called, so two consumers holding the same event (a
//   redelivered queue message, the sweep's copy) never call Meta for it at once;
// - the row's id is Meta's event_id, which Meta de-duplicates on: a call whose answer was lost is safe to repeat;
// - the row turns `sent` and its history note is written in one batch, the note keyed by the event.
// Failures Meta or the network may recover from are retried with back-off (the queue's own delay); after the last
// try, or an answer no retry changes, the event is `failed`, which its history note says.

import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { openToken } from '../auth/token-seal';
import { companyDatabase, companyDb } from '../db/company-data';
import { companies, type conversionEvents } from '../db/schema';
import { metaApiFor } from '../whatsapp/meta';
import type { ConversionEvent, ConversionOutcome, MetaError } from '../whatsapp/meta/types';
import { CONVERSION_RETRY, conversionRetryDelayMs } from '../whatsapp/policy';

type EventRow = typeof conversionEvents.$inferSelect;

const messageSchema = z.object({ companyId: z.string().min(1), eventId: z.string().min(1) });

/** How long a claim holds: longer than a call to Meta can take (its timeout), short enough to recover soon. */
const LEASE_MS = 60_000;

export type ConversionResult =
  | { kind: 'sent' }
  | { kind: 'failed' }
  /** Try again after this long (back-off). */
  | { kind: 'retry'; delayMs: number }
  /** Nothing to do: already settled, someone else holds it, or no such event. */
  | { kind: 'skipped' };

const NOTE_WORDS: Record<EventRow['event'], string> = {
  LeadSubmitted: 'a new lead from an ad (LeadSubmitted)',
  Purchase: 'joined (Purchase)',
};

/** The queue handler: one event per message; retried messages wait their back-off. */
export async function handleConversionBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const parsed = messageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error('conversion message does not parse; dropped', parsed.error.message);
      message.ack();
      continue;
    }
    try {
      const result = await reportConversion(env, parsed.data.companyId, parsed.data.eventId);
      if (result.kind === 'retry') message.retry({ delaySeconds: Math.ceil(result.delayMs / 1000) });
      else message.ack();
    } catch (err) {
      // D1 failed us: the queue retries (max_retries), and the sweep after that.
      console.error('conversion report failed on our side', parsed.data.eventId, err);
      message.retry({ delaySeconds: Math.ceil(conversionRetryDelayMs(message.attempts) / 1000) });
    }
  }
}

/** Claims the event, reports it, records the outcome. Safe to call for the same event any number of times. */
export async function reportConversion(
  env: Env,
  companyId: string,
  eventId: string,
  now = Date.now(),
): Promise<ConversionResult> {
  const d1 = companyDatabase(env, companyId);
  const claimed = await d1
    .prepare(
      `UPDATE conversion_events SET lease_until = ?3, attempts = attempts + 1
        WHERE id = ?1 AND company_id = ?2 AND state = 'pending' AND coalesce(lease_until, 0) < ?4
        RETURNING *`,
    )
    .bind(eventId, companyId, now + LEASE_MS, now)
    .first<Record<string, unknown>>();
  if (!claimed) return { kind: 'skipped' };
  const row = rowOf(claimed);
  const company = await companyDb(env, companyId).select().from(companies).where(eq(companies.id, companyId)).get();
  const outcome: ConversionOutcome = company?.accessTokenEnc
    ? await metaApiFor(env).sendConversionEvents(
        await openToken(env, companyId, company.accessTokenEnc),
        row.datasetId,
        [eventOf(row, company)],
      )
    : { kind: 'permanent', error: { code: 0, title: 'WhatsApp is not configured (no access token)' } };
  return settle(d1, row, outcome, Date.now());
}

function eventOf(row: EventRow, company: typeof companies.$inferSelect): ConversionEvent {
  return {
    name: row.event,
    id: row.id,
    at: row.eventTime,
    ctwaClid: row.ctwaClid,
    wabaId: company.wabaId,
    ...(row.event === 'Purchase'
      ? {
          value: {
            currency: company.conversionsCurrency ?? 'USD',
            amount: company.conversionsPurchaseValue ?? 0,
          },
        }
      : {}),
  };
}

async function settle(
  d1: D1Database,
  row: EventRow,
  outcome: ConversionOutcome,
  now: number,
): Promise<ConversionResult> {
  if (outcome.kind === 'accepted') {
    await d1.batch(finish(d1, row, 'sent', null, now));
    return { kind: 'sent' };
  }
  // A timeout or 5xx may have reached Meta: repeating it is safe, as Meta counts one event per event_id.
  const retryable = outcome.kind === 'retryable' || outcome.kind === 'unknown';
  if (retryable && row.attempts < CONVERSION_RETRY.maxAttempts) {
    const delayMs = Math.max(
      conversionRetryDelayMs(row.attempts),
      outcome.kind === 'retryable' ? (outcome.retryAfterMs ?? 0) : 0,
    );
    await d1
      .prepare(
        `UPDATE conversion_events SET lease_until = NULL, next_attempt_at = ?2, error = ?3
          WHERE id = ?1 AND state = 'pending'`,
      )
      .bind(row.id, now + delayMs, JSON.stringify(outcome.error))
      .run();
    return { kind: 'retry', delayMs };
  }
  await d1.batch(finish(d1, row, 'failed', outcome.error, now));
  return { kind: 'failed' };
}

/** The event settles and its history note is written, in one batch; the note's id is the event's, so once. */
function finish(
  d1: D1Database,
  row: EventRow,
  state: 'sent' | 'failed',
  error: MetaError | null,
  now: number,
): D1PreparedStatement[] {
  const words = NOTE_WORDS[row.event];
  const body =
    state === 'sent'
      ? `Reported to Meta: ${words}`
      : `Not reported to Meta: ${words}. ${error?.title ?? 'Failed'} (after ${row.attempts} attempts)`;
  const content = { conversion: { event: row.event, event_id: row.id, dataset_id: row.datasetId, state, error } };
  return [
    d1
      .prepare(
        `UPDATE conversion_events SET state = ?2, sent_at = CASE WHEN ?2 = 'sent' THEN ?3 ELSE NULL END,
           error = ?4, lease_until = NULL
          WHERE id = ?1 AND state = 'pending'`,
      )
      .bind(row.id, state, now, error === null ? null : JSON.stringify(error)),
    d1
      .prepare(
        `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
         SELECT ?1, ?2, ?3, 'whatsapp_event', ?4, ?5, ?6, ?7, ?7
          WHERE EXISTS (SELECT 1 FROM conversion_events WHERE id = ?8 AND state = ?9)
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(
        `his_${row.id}`,
        row.companyId,
        row.personId,
        body,
        JSON.stringify(content),
        JSON.stringify({ kind: 'system', id: 'conversions_api', name: 'Conversions API' }),
        now,
        row.id,
        state,
      ),
  ];
}

/** The RETURNING row (snake_case) as drizzle's type, read field by field. */
function rowOf(r: Record<string, unknown>): EventRow {
  const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
  const str = (v: unknown): string => String(v ?? '');
  return {
    id: str(r.id),
    companyId: str(r.company_id),
    personId: str(r.person_id),
    event: r.event === 'Purchase' ? 'Purchase' : 'LeadSubmitted',
    datasetId: str(r.dataset_id),
    ctwaClid: str(r.ctwa_clid),
    eventTime: num(r.event_time),
    state: 'pending',
    attempts: num(r.attempts),
    leaseUntil: r.lease_until === null ? null : num(r.lease_until),
    nextAttemptAt: num(r.next_attempt_at),
    error: r.error ?? null,
    sentAt: null,
    createdAt: num(r.created_at),
  };
}
