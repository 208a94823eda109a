// Conversations: messages received and sent per day, by template and category, delivery and read rates, and
// failures by Meta's reason. Read from the quarter-hour counters migrations/0021_reports.sql keeps as notes are
// written (report_message_counts, report_failures), never from history: one statement adds the range's buckets
// up into the company's days (their bounds passed as one JSON parameter), one the failures.
import type { ReadDb } from '../db/company-data';
import { BUCKET_MS, clubCondition, dayBuckets, params, type ReportFilter } from './filters';
import { share } from './stats';

export interface Outcomes {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
}

interface CountRow {
  day: number;
  direction: 'in' | 'out';
  template: string;
  category: string;
  messages: number;
  delivered: number;
  read: number;
  failed: number;
}

const zero = (): Outcomes => ({ sent: 0, delivered: 0, read: 0, failed: 0 });
const rates = (o: Outcomes) => ({
  ...o,
  /** Delivered (or read) of those sent. */
  delivery_rate: share(o.delivered, o.sent),
  /** Read of those delivered. */
  read_rate: share(o.read, o.delivered),
});

/** The filter's conditions on a counters table (aliased `c`), with their parameters. */
export function countsWhere(f: ReportFilter, p: (v: unknown) => string): string {
  return `c.company_id = ${p(f.companyId)}${clubCondition(f, 'c.club_id', p)}${
    f.userId === null ? '' : ` AND c.user_id = ${p(f.userId)}`
  }`;
}

export async function conversations(db: ReadDb, f: ReportFilter) {
  const days = dayBuckets(f);
  const counts = params();
  const p = counts.p;
  // One range of the primary key (company_id, bucket, ...) per day, the days first (CROSS JOIN keeps that order:
  // SQLite knows nothing of json_each's size); the days come as [[lo, hi], ...].
  const countsSql = `WITH d AS (SELECT CAST(key AS integer) AS i, json_extract(value, '$[0]') AS lo, json_extract(value, '$[1]') AS hi
                         FROM json_each(${p(JSON.stringify(days.map((d) => [d.lo, d.hi])))}))
    SELECT d.i AS day, c.direction, c.template, c.category, SUM(c.messages) AS messages, SUM(c.delivered) AS delivered,
           SUM(c.read) AS read, SUM(c.failed) AS failed
      FROM d CROSS JOIN report_message_counts c ON c.bucket >= d.lo AND c.bucket < d.hi AND ${countsWhere(f, p)}
     GROUP BY d.i, c.direction, c.template, c.category`;
  const fails = params();
  const q = fails.p;
  const failuresSql = `SELECT c.code, MAX(c.title) AS title, SUM(c.failed) AS failed FROM report_failures c
     WHERE c.bucket >= ${q(Math.floor(f.startMs / BUCKET_MS))} AND c.bucket < ${q(Math.floor(f.endMs / BUCKET_MS))}
       AND ${countsWhere(f, q)}
     GROUP BY c.code HAVING SUM(c.failed) > 0 ORDER BY SUM(c.failed) DESC, c.code`;
  const [countRows, failureRows] = await db.batch([
    db.prepare(countsSql).bind(...counts.values),
    db.prepare(failuresSql).bind(...fails.values),
  ]);

  const perDay = days.map((d) => ({ date: d.date, received: 0, sent: 0 }));
  const totals = zero();
  let received = 0;
  const byCategory = new Map<string, Outcomes>();
  const byTemplate = new Map<string, Outcomes>();
  for (const r of (countRows?.results ?? []) as unknown as CountRow[]) {
    const day = perDay[r.day];
    if (!day) continue;
    if (r.direction === 'in') {
      day.received += r.messages;
      received += r.messages;
      continue;
    }
    day.sent += r.messages;
    const o = { sent: r.messages, delivered: r.delivered, read: r.read, failed: r.failed };
    const add = (into: Outcomes) => {
      into.sent += o.sent;
      into.delivered += o.delivered;
      into.read += o.read;
      into.failed += o.failed;
    };
    add(totals);
    const category = r.category || 'unknown';
    if (!byCategory.has(category)) byCategory.set(category, zero());
    add(byCategory.get(category) ?? zero());
    if (r.template !== '') {
      if (!byTemplate.has(r.template)) byTemplate.set(r.template, zero());
      add(byTemplate.get(r.template) ?? zero());
    }
  }
  return {
    days: perDay,
    totals: { received, ...rates(totals) },
    by_category: [...byCategory]
      .map(([category, o]) => ({ category, ...rates(o) }))
      .sort((a, b) => b.sent - a.sent || a.category.localeCompare(b.category)),
    by_template: [...byTemplate]
      .map(([template, o]) => ({ template, ...rates(o) }))
      .sort((a, b) => b.sent - a.sent || a.template.localeCompare(b.template)),
    failures: ((failureRows?.results ?? []) as unknown as { code: string; title: string | null; failed: number }[]).map(
      (r) => ({ code: r.code, title: r.title, failed: r.failed }),
    ),
  };
}
