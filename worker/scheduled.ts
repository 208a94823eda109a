// Cron Triggers: one handler, dispatched on the cron expression that fired (see [triggers] in wrangler.toml).

// Each job is small and idempotent: a cron that fires twice, or two at once, changes nothing twice.
import { whatsappMode } from './config';
import { requeueLostConversions } from './conversions/sweep';
import { sweepExpired } from './housekeeping/sweeps';
import { sweepAll } from './whatsapp/automations/sweep';
import { syncAllCompanies } from './whatsapp/templates/sync';

export const CRON = {
  /** Every five minutes: due automated items. */
  frequent: '*/5 * * * *',
  /** Hourly: template status sync with Meta. */
  hourly: '17 * * * *',
  /** Daily: sweeps of tables that only grow. */
  daily: '43 3 * * *',
} as const;

import { pruneExpiredSessions } from './auth/sessions';
import { pruneOrphanPushSubscriptions } from './push/subscriptions';

export type CronJob = (env: Env, now: number) => Promise<void>;

/** The jobs for each cron expression; features add theirs here. */
export const JOBS: Record<string, CronJob[]> = {
  [CRON.frequent]: [
    (env, now) => sweepAll(env, now).then(() => undefined),
    (env, now) => requeueLostConversions(env, now).then(() => undefined),
  ],
  [CRON.hourly]: [(env) => syncAllCompanies(env)],
  [CRON.daily]: [sweepExpired, pruneExpiredSessions, pruneOrphanPushSubscriptions],
};

export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  whatsappMode(env); // a misconfigured deployment runs no job (see config.ts)
  const jobs = JOBS[controller.cron] ?? [];
  const results = await Promise.allSettled(jobs.map((job) => job(env, controller.scheduledTime)));
  const failed = results.filter((r) => r.status === 'rejected');
  for (const f of failed) console.error('scheduled job failed', controller.cron, f.reason);
  // Failing the invocation makes it visible in the dashboard's cron log; the next tick retries.
  if (failed.length > 0) throw new Error(`${failed.length} scheduled job(s) failed for ${controller.cron}`);
}
