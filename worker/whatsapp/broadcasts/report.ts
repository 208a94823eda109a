// What a broadcast did: its recipients by outcome, and for those Meta accepted, what their message's history note
// says since (status webhooks move it: delivered, read, failed with Meta's code) and whether the person wrote
// back after it. Read from the recipients and their notes by primary key, not from the company's history. "After"
// is inbox order (history_notes.inbox_at): Meta stamps a reply in whole seconds, so one written in the second our
// message went would otherwise read as before it.
import type { z } from '@hono/zod-openapi';
import { bulkSkipOfMetaError } from '../policy';
import type { broadcastReportSchema } from './schemas';

export type BroadcastReport = z.infer<typeof broadcastReportSchema>;

interface Group {
  broadcast_id: string;
  state: string;
  reason: string | null;
  status: string | null;
  code: string | number | null;
  replied: number;
  n: number;
}

const empty = (): BroadcastReport => ({
  recipients: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  replied: 0,
  failed: {},
  skipped: {},
});

const add = (counts: Record<string, number>, key: string, n: number) => {
  counts[key] = (counts[key] ?? 0) + n;
};

export async function reportsOf(d1: D1Database, broadcastIds: string[]): Promise<Map<string, BroadcastReport>> {
  const out = new Map<string, BroadcastReport>();
  if (broadcastIds.length === 0) return out;
  const groups = await d1
    .prepare(
      `SELECT r.broadcast_id, r.state, r.reason, h.status, json_extract(h.error, '$.code') AS code,
         (h.id IS NOT NULL AND EXISTS (SELECT 1 FROM history_notes i WHERE i.company_id = r.company_id
           AND i.person_id = r.person_id AND i.inbox_at > h.occurred_at AND i.type = 'whatsapp_received')) AS replied,
         count(*) AS n
       FROM broadcast_recipients r LEFT JOIN history_notes h ON h.id = r.message_id
      WHERE r.broadcast_id IN (${broadcastIds.map(() => '?').join(', ')})
      GROUP BY 1, 2, 3, 4, 5, 6`,
    )
    .bind(...broadcastIds)
    .all<Group>();
  for (const g of groups.results) {
    let report = out.get(g.broadcast_id);
    if (!report) {
      report = empty();
      out.set(g.broadcast_id, report);
    }
    report.recipients += g.n;
    if (g.state === 'pending') report.pending += g.n;
    else if (g.state === 'skipped') add(report.skipped, g.reason ?? 'unknown', g.n);
    else if (g.state === 'failed') add(report.failed, g.reason ?? 'failed', g.n);
    else if (g.status === 'failed') {
      // Accepted, then failed by status webhook: Meta's 131049 / 131050 are skips (policy.bulkSkipOfMetaError).
      const code = g.code === null ? 'failed' : String(g.code);
      const skip = bulkSkipOfMetaError(Number(code));
      if (skip) add(report.skipped, skip, g.n);
      else add(report.failed, code, g.n);
    } else {
      report.sent += g.n;
      if (g.status === 'delivered' || g.status === 'read') report.delivered += g.n;
      if (g.status === 'read') report.read += g.n;
      if (g.replied) report.replied += g.n;
    }
  }
  for (const id of broadcastIds) if (!out.has(id)) out.set(id, empty());
  return out;
}
