// The cron's safety net for ad leads' events: one still pending well after its next try was due (its queue message
// lost, or dead-lettered after the queue's own retries) is queued again. The consumer's claim makes a second copy
// of a message that was only late harmless.
import { platformDatabase } from '../db/client';
import type { ConversionMessage } from './events';

/** Past its due time by this much, a pending event's queue message is taken to be lost. */
export const REQUEUE_AFTER_MS = 10 * 60 * 1000;
const BATCH = 100;

export async function requeueLostConversions(env: Env, now: number): Promise<number> {
  // Every company's pending events, through conversion_events_pending (a sweep over all companies, like the
  // automations' and the daily ones: the directory's walk until companies have databases of their own).
  const { results } = await platformDatabase(env)
    .prepare(
      `SELECT id AS eventId, company_id AS companyId FROM conversion_events
        WHERE state = 'pending' AND next_attempt_at < ?1 AND coalesce(lease_until, 0) < ?2
        ORDER BY next_attempt_at LIMIT 1000`,
    )
    .bind(now - REQUEUE_AFTER_MS, now)
    .all<ConversionMessage>();
  for (let i = 0; i < results.length; i += BATCH)
    await env.CONVERSIONS_QUEUE.sendBatch(results.slice(i, i + BATCH).map((body) => ({ body })));
  return results.length;
}
