// Automated items and templates: for each template (and each automated item sending one), how many went,
// were delivered, read, and answered within 48 hours. One statement over the quarter-hour counters of
// migrations/0021_reports.sql, whose `replied` the reply's own trigger keeps.
import type { ReadDb } from '../db/company-data';
import { countsWhere } from './conversations';
import { BUCKET_MS, params, type ReportFilter } from './filters';
import { share } from './stats';

interface Row {
  template: string;
  automation_id: string;
  automation_name: string | null;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
}

export async function templateReport(db: ReadDb, f: ReportFilter) {
  const { p, values } = params();
  const sql = `SELECT c.template, c.automation_id, a.name AS automation_name, SUM(c.messages) AS sent,
         SUM(c.delivered) AS delivered, SUM(c.read) AS read, SUM(c.replied) AS replied
      FROM report_message_counts c LEFT JOIN automations a ON a.id = c.automation_id AND a.company_id = c.company_id
     WHERE c.bucket >= ${p(Math.floor(f.startMs / BUCKET_MS))} AND c.bucket < ${p(Math.floor(f.endMs / BUCKET_MS))}
       AND ${countsWhere(f, p)} AND c.direction = 'out' AND (c.template <> '' OR c.automation_id <> '')
     GROUP BY c.template, c.automation_id
     ORDER BY SUM(c.messages) DESC, c.template, c.automation_id`;
  const rows = (
    await db
      .prepare(sql)
      .bind(...values)
      .all()
  ).results as unknown as Row[];
  return {
    items: rows.map((r) => ({
      template: r.template,
      automation_id: r.automation_id === '' ? null : r.automation_id,
      automation_name: r.automation_id === '' ? null : (r.automation_name ?? r.automation_id),
      sent: r.sent,
      delivered: r.delivered,
      read: r.read,
      replied: r.replied,
      delivery_rate: share(r.delivered, r.sent),
      read_rate: share(r.read, r.delivered),
      reply_rate: share(r.replied, r.sent),
    })),
  };
}
