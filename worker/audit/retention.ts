// How long the audit log keeps an entry. Two years: past the year the issue asks for (and the year the table's
// trigger enforces, migrations/0010_audit_log.sql), long enough to answer "who changed this last spring?" for a
// full membership cycle, short enough that the log of a person's changes does not outlive any reason to keep it.
const DAY_MS = 24 * 60 * 60 * 1000;
export const AUDIT_KEEP_MS = 2 * 365 * DAY_MS;

/** Entries deleted per statement: each delete stays well inside D1's per-query limits. */
const CHUNK = 1000;

/**
 * The daily sweep's part: entries older than AUDIT_KEEP_MS go, a chunk at a time. Each chunk walks
 * audit_log_company_at for every company (company, then time), so it reads the old entries and no others.
 */
export async function deleteExpiredAudit(db: D1Database, now: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { meta } = await db
      .prepare(expiredAuditSql)
      .bind(now - AUDIT_KEEP_MS, CHUNK)
      .run();
    total += meta.changes;
    if (meta.changes < CHUNK) return total;
  }
}

export const expiredAuditSql = `DELETE FROM audit_log WHERE rowid IN (
  SELECT rowid FROM audit_log INDEXED BY audit_log_company_at
   WHERE company_id IN (SELECT id FROM companies) AND at < ?1 LIMIT ?2)`;
