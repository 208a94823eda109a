// The cron side of broadcasts (every five minutes, with the automated items' sweep): a started broadcast whose
// start time has come gets its recipients written, once (the id is broadcast:person, so a second or concurrent
// sweep inserts nothing); a running one inside its send window has its waiting recipients queued on the automated
// items' Queue (one consumer, claims and pacer for both); one with nobody left waiting is finished.
import { and, eq, inArray, lte } from 'drizzle-orm';
import { auditStatement, systemBy } from '../../audit/record';
import { SYSTEM } from '../../auth/actor';
import { platformDatabase, platformDb } from '../../db/client';
import { companyDatabase, companyDb } from '../../db/company-data';
import { broadcasts, companies } from '../../db/schema';
import { type CompanyRow, chunk, type Enqueue, queueSink, REQUEUE_AFTER_MS } from '../automations/sweep';
import { DEFAULT_SEND_WINDOW, inSendWindow } from '../automations/triggers';
import { pruneMarketingSends } from '../frequency-cap';
import { findTemplate, isApproved } from '../templates/store';
import { audienceQuery } from './audience';
import type { BroadcastRow } from './service';

export interface BroadcastSweep {
  written: number;
  queued: number;
  finished: boolean;
  paused: string | null;
}

/** Pauses a broadcast whose template stopped being APPROVED, and says why (as automated items do). */
export async function pauseBroadcast(env: Env, b: BroadcastRow, reason: string, now: number): Promise<void> {
  const d1 = companyDatabase(env, b.companyId);
  await d1.batch([
    auditStatement(
      d1,
      b.companyId,
      systemBy(SYSTEM.automations),
      {
        action: 'broadcast.state_changed',
        target: { type: 'broadcast', id: b.id },
        details: { name: b.name, from: b.state, to: 'paused', reason },
      },
      now,
      { sql: "EXISTS (SELECT 1 FROM broadcasts WHERE id = ? AND state IN ('scheduled', 'running'))", params: [b.id] },
    ),
    d1
      .prepare(
        `UPDATE broadcasts SET state = 'paused', paused_reason = ?2, updated_at = ?3
          WHERE id = ?1 AND state IN ('scheduled', 'running')`,
      )
      .bind(b.id, reason, now),
  ]);
}

/** Marks it finished when it runs and nobody waits any more. */
export async function finishIfDone(d1: D1Database, broadcastId: string, now: number): Promise<boolean> {
  const done = await d1
    .prepare(
      `UPDATE broadcasts SET state = 'finished', finished_at = ?2, updated_at = ?2
        WHERE id = ?1 AND state = 'running'
          AND NOT EXISTS (SELECT 1 FROM broadcast_recipients WHERE broadcast_id = ?1 AND state = 'pending')
        RETURNING id`,
    )
    .bind(broadcastId, now)
    .all();
  return done.results.length > 0;
}

export async function sweepBroadcast(
  env: Env,
  b: BroadcastRow,
  company: CompanyRow,
  now: number,
  enqueue: Enqueue,
): Promise<BroadcastSweep> {
  const out: BroadcastSweep = { written: 0, queued: 0, finished: false, paused: null };
  if (b.startAt > now || (b.state !== 'scheduled' && b.state !== 'running')) return out;
  const d1 = companyDatabase(env, company.id);
  const template = await findTemplate(companyDb(env, company.id), company.id, b.templateName, b.templateLanguage);
  if (!template || !isApproved(template)) {
    out.paused = `Template ${b.templateName} (${b.templateLanguage}) is ${template?.status ?? 'gone'}, not APPROVED`;
    await pauseBroadcast(env, b, out.paused, now);
    return out;
  }
  if (b.state === 'scheduled') {
    // The audience as it is now, inside the clubs of whoever made it; written in the batch that moves it to running.
    const q = audienceQuery(company.id, b.audience ?? {}, company.timezone, b.createdBy.club_ids);
    const [, written] = await d1.batch([
      d1
        .prepare(
          `UPDATE broadcasts SET state = 'running', recipients_at = coalesce(recipients_at, ?2), updated_at = ?2
            WHERE id = ?1 AND state = 'scheduled'`,
        )
        .bind(b.id, now),
      d1
        .prepare(
          `INSERT INTO broadcast_recipients (id, company_id, broadcast_id, person_id, state, updated_at)
           SELECT ? || ':' || p.id, p.company_id, ?, p.id, 'pending', ? ${q.fromSql}
              AND EXISTS (SELECT 1 FROM broadcasts WHERE id = ? AND state = 'running')
           ON CONFLICT (id) DO NOTHING`,
        )
        .bind(b.id, b.id, now, ...q.args, b.id),
    ]);
    out.written = written?.meta.changes ?? 0;
  }
  if (inSendWindow(now, company.timezone, b.sendWindow ?? DEFAULT_SEND_WINDOW)) {
    // Waiting ones never queued (new, or handed back by a consumer while paused or outside the window), and ones
    // queued long ago whose message was lost: the claim makes queueing twice harmless.
    const due = await d1
      .prepare(
        `UPDATE broadcast_recipients SET enqueued_at = ?2
          WHERE broadcast_id = ?1 AND state = 'pending' AND (enqueued_at IS NULL OR enqueued_at < ?3)
            AND EXISTS (SELECT 1 FROM broadcasts WHERE id = ?1 AND state = 'running')
          RETURNING id`,
      )
      .bind(b.id, now, now - REQUEUE_AFTER_MS)
      .all<{ id: string }>();
    const ids = due.results.map((r) => r.id);
    out.queued = ids.length;
    if (ids.length > 0) await enqueue(chunk(ids, company.id, 'broadcast'));
  }
  out.finished = await finishIfDone(d1, b.id, now);
  return out;
}

/** The cron job: every broadcast that may still send and whose start time has come, one after another. */
export async function sweepBroadcasts(env: Env, now: number, enqueue: Enqueue = queueSink(env)): Promise<void> {
  // Every company at once while they share one database; with shards this walks each shard.
  const rows = await platformDb(env)
    .select({ b: broadcasts, company: companies })
    .from(broadcasts)
    .innerJoin(companies, eq(companies.id, broadcasts.companyId))
    .where(and(inArray(broadcasts.state, ['scheduled', 'running']), lte(broadcasts.startAt, now)))
    .all();
  for (const { b, company } of rows) {
    try {
      await sweepBroadcast(env, b, company, now, enqueue);
    } catch (err) {
      // One broken broadcast must not hold back the others; the next tick tries it again.
      console.error('broadcast sweep failed', b.id, err);
    }
  }
}

/** The daily cron: frequency-cap ledger rows past any period the cap may count. */
export async function pruneOldMarketingSends(env: Env, now: number): Promise<void> {
  // Every company at once while they share one database.
  await pruneMarketingSends(platformDatabase(env), now);
}
