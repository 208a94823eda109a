// The cron side of automated items: find the occurrences that fell due, record each once (the id is built from
// the occurrence, so a second cron or a concurrent one inserts nothing) and hand them to the Queue. Sending is
// the queue consumer's job (consumer.ts), so one invocation's limits never bound the fan-out.
import { and, eq } from 'drizzle-orm';
import { platformDb } from '../../db/client';
import { companyDatabase, companyDb } from '../../db/company-data';
import { automations, companies } from '../../db/schema';
import { newId } from '../../ids';
import { findTemplate, isApproved } from '../templates/store';
import { candidateQueries, occurrenceIdSql } from './candidates';
import { pauseAutomation } from './pause';
import { DEFAULT_SEND_WINDOW, inSendWindow, lookupFor } from './triggers';

export type AutomationRow = typeof automations.$inferSelect;
export type CompanyRow = typeof companies.$inferSelect;

/** One queue message: a handful of occurrences, so 100,000 people are a few thousand messages. */
export interface AutomationMessage {
  /** Whose occurrences: the consumer reads and writes that company's database. Absent in messages queued by
   * a deploy before it was carried; those are read from the one database every company still shares. */
  companyId?: string;
  ids: string[];
  /** 'broadcast': the ids are a broadcast's recipients (broadcasts/consumer.ts); absent: occurrences of items. */
  kind?: 'broadcast';
}

export type Enqueue = (messages: AutomationMessage[]) => Promise<void>;

export const IDS_PER_MESSAGE = 25;
/** A pending occurrence not finished this long after it was queued (consumer died, message in the DLQ) is
 * queued again; the consumer's idempotency key makes that safe. */
export const REQUEUE_AFTER_MS = 10 * 60 * 1000;
const QUEUE_SEND_BATCH = 100;

export function queueSink(env: Env): Enqueue {
  return async (messages) => {
    for (let i = 0; i < messages.length; i += QUEUE_SEND_BATCH)
      await env.AUTOMATIONS_QUEUE.sendBatch(messages.slice(i, i + QUEUE_SEND_BATCH).map((body) => ({ body })));
  };
}

/** One company's occurrence ids, IDS_PER_MESSAGE to a message. */
export function chunk(ids: string[], companyId: string, kind?: 'broadcast'): AutomationMessage[] {
  const out: AutomationMessage[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_MESSAGE)
    out.push({ companyId, ids: ids.slice(i, i + IDS_PER_MESSAGE), ...(kind ? { kind } : {}) });
  return out;
}

export interface SweepResult {
  /** Null when nothing was found (a cron tick with nothing due leaves no run behind). */
  runId: string | null;
  inSendWindow: boolean;
  /** Occurrences recorded and queued by this sweep. */
  queued: number;
  /** Occurrences recorded as skipped `too_late`. */
  tooLate: number;
  /** Earlier occurrences still pending, queued again. */
  requeued: number;
  /** Set when the item paused itself instead (its template is not APPROVED). */
  paused: string | null;
}

export async function sweepItem(
  env: Env,
  item: AutomationRow,
  company: CompanyRow,
  now: number,
  kind: 'cron' | 'manual',
  enqueue: Enqueue,
): Promise<SweepResult> {
  const window = item.sendWindow ?? DEFAULT_SEND_WINDOW;
  const open = inSendWindow(now, company.timezone, window);
  const result: SweepResult = { runId: null, inSendWindow: open, queued: 0, tooLate: 0, requeued: 0, paused: null };

  const template = await findTemplate(companyDb(env, company.id), company.id, item.templateName, item.templateLanguage);
  if (!template || !isApproved(template)) {
    result.paused = await pauseAutomation(env, item, template?.status ?? 'missing');
    return result;
  }

  const runId = newId('run');
  const db = companyDatabase(env, company.id);
  const lookup = lookupFor(item.trigger, now, company.timezone, window, item.createdAt);
  const queries = candidateQueries(company.id, lookup, item.audience).filter((q) => q.band === 'too_late' || open);
  const statements = queries.map((q) =>
    db
      .prepare(
        `INSERT INTO automation_occurrences (id, company_id, automation_id, person_id, due_at, run_id, state, reason,
           enqueued_at, updated_at)
         SELECT ${occurrenceIdSql(q.dueSql)}, p.company_id, ?, p.id, ${q.dueSql}, ?, ?, ?, ?, ? ${q.whereSql}
         ON CONFLICT (id) DO NOTHING RETURNING id`,
      )
      .bind(
        item.id,
        ...q.dueArgs,
        item.id,
        ...q.dueArgs,
        runId,
        q.band === 'due' ? 'pending' : 'skipped',
        q.band === 'due' ? null : 'too_late',
        q.band === 'due' ? now : null,
        now,
        ...q.whereArgs,
      ),
  );
  const due: string[] = [];
  if (statements.length > 0) {
    // One transaction: the run row exists exactly when some occurrence names it.
    const results = await db.batch<{ id: string }>([
      db
        .prepare(`INSERT INTO automation_runs (id, company_id, automation_id, kind, started_at) VALUES (?, ?, ?, ?, ?)`)
        .bind(runId, company.id, item.id, kind, now),
      ...statements,
      db
        .prepare(
          `DELETE FROM automation_runs WHERE id = ? AND ? = 'cron'
             AND NOT EXISTS (SELECT 1 FROM automation_occurrences WHERE run_id = ?)`,
        )
        .bind(runId, kind, runId),
    ]);
    queries.forEach((q, i) => {
      const ids = (results[i + 1]?.results ?? []).map((r) => r.id);
      if (q.band === 'due') due.push(...ids);
      else result.tooLate += ids.length;
    });
    if (due.length > 0 || result.tooLate > 0 || kind === 'manual') result.runId = runId;
  } else if (kind === 'manual') {
    await db
      .prepare(`INSERT INTO automation_runs (id, company_id, automation_id, kind, started_at) VALUES (?, ?, ?, ?, ?)`)
      .bind(runId, company.id, item.id, kind, now)
      .run();
    result.runId = runId;
  }
  result.queued = due.length;

  if (open) {
    const stale = await db
      .prepare(
        `UPDATE automation_occurrences SET enqueued_at = ?1
         WHERE automation_id = ?2 AND state = 'pending' AND enqueued_at < ?3 RETURNING id`,
      )
      .bind(now, item.id, now - REQUEUE_AFTER_MS)
      .all<{ id: string }>();
    const requeue = stale.results.map((r) => r.id);
    result.requeued = requeue.length;
    due.push(...requeue);
  }
  if (due.length > 0) await enqueue(chunk(due, company.id));
  return result;
}

/** The cron job: every enabled item of every company. Items run one after another to keep D1 load flat. */
export async function sweepAll(env: Env, now: number, enqueue: Enqueue = queueSink(env)): Promise<SweepResult[]> {
  // Every company at once while they share one database; with shards this walks each shard.
  const rows = await platformDb(env)
    .select({ item: automations, company: companies })
    .from(automations)
    .innerJoin(companies, eq(companies.id, automations.companyId))
    .where(and(eq(automations.enabled, true)))
    .all();
  const out: SweepResult[] = [];
  for (const { item, company } of rows) {
    try {
      out.push(await sweepItem(env, item, company, now, 'cron', enqueue));
    } catch (err) {
      // One broken item must not hold back the others; the next tick tries it again.
      console.error('automation sweep failed', item.id, err);
    }
  }
  return out;
}
