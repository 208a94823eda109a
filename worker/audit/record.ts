// Writing to the audit log. An entry is a statement to put in the same D1 batch as the change it describes, so
// the log can never say something happened that did not (or miss something that did). A change that may not
// happen (a guarded UPDATE, an upsert that can lose a race) gets its entry under the same condition, checked in
// the same transaction: `auditRowIf`, `auditEachRow`, or `auditStatement` with `onlyIf`.
import { type SQL, sql } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Context } from 'hono';
import { type Actor, PLATFORM_ADMIN } from '../auth/actor';
import type { Db } from '../db/client';
import { auditLog } from '../db/schema';
import type { AppEnv } from '../http';
import { newId } from '../ids';
import type { AuditAction, AuditTarget } from './actions';

/** Who did it and from where: the request's actor and address, or an actor with no address (webhook, cron). */
export interface AuditBy {
  actor: Actor;
  ip: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  target: { type: AuditTarget; id: string };
  /** What changed; never a secret (an access token, a key, a password). */
  details?: Record<string, unknown>;
}

const ipOf = (c: Context<AppEnv>): string | null => c.req.header('CF-Connecting-IP') ?? null;

/** The request's actor and address (Cloudflare sets CF-Connecting-IP at the edge, wrangler dev locally). */
export function auditByOf(c: Context<AppEnv>): AuditBy {
  return { actor: c.get('auth').actor, ip: ipOf(c) };
}

/** The platform admin's request (/api/admin): no company session, one operator token. */
export function platformAdminBy(c: Context<AppEnv>): AuditBy {
  return { actor: PLATFORM_ADMIN, ip: ipOf(c) };
}

/** A change no request made (a webhook, a cron job): the actor alone. */
export const systemBy = (actor: Actor): AuditBy => ({ actor, ip: null });

export type AuditRow = typeof auditLog.$inferInsert;

/** One entry as a row: `db.insert(auditLog).values(auditRow(...))` in the drizzle batch that makes the change. */
export function auditRow(companyId: string, by: AuditBy, entry: AuditEntry, at = Date.now()): AuditRow {
  return {
    id: newId('aud'),
    companyId,
    at,
    actorKind: by.actor.kind,
    actorId: by.actor.id,
    actorName: by.actor.name,
    ip: by.ip,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    details: entry.details ?? null,
  };
}

// The table's columns in schema.ts's order. Conditional entries are drizzle `insert().select(sql)`, which names
// the columns in that order, so their SELECTs list values in it too (a raw `db.run` with parameters cannot go in
// drizzle's D1 batch: drizzle-orm 0.45 looks for a prepared statement it does not have).
const COLUMNS = 'id, company_id, at, actor_kind, actor_id, actor_name, ip, action, target_type, target_id, details';
/** A fresh id per row in SQL, for entries made by INSERT … SELECT over several rows: `aud_` and 20 hex digits. */
const SQL_ID = sql`'aud_' || lower(hex(randomblob(10)))`;

/**
 * The entry only if `when` holds at its place in the batch. Its target id may be SQL too (a subquery), for a
 * row whose id the batch decides (an upsert that may keep an older row's id).
 */
export function auditRowIf(
  db: Db,
  companyId: string,
  by: AuditBy,
  entry: Omit<AuditEntry, 'target'> & { target: { type: AuditTarget; id: string | SQL } },
  when: SQL,
  at = Date.now(),
) {
  const details = entry.details === undefined ? null : JSON.stringify(entry.details);
  return db.insert(auditLog).select(
    sql`SELECT ${newId('aud')}, ${companyId}, ${at}, ${by.actor.kind}, ${by.actor.id}, ${by.actor.name}, ${by.ip},
               ${entry.action}, ${entry.target.type}, ${entry.target.id}, ${details}
         WHERE ${when}`,
  );
}

/**
 * One entry per row of `table` that `where` selects, its company, id and details read from the row. Put it just
 * BEFORE the change that uses the same `where`, in the same batch: the log then holds exactly the rows the change
 * moves, with what they held before it (a template's status before Meta's webhook changed it, say).
 */
export function auditEachRow(
  db: Db,
  by: AuditBy,
  spec: {
    action: AuditAction;
    targetType: AuditTarget;
    table: SQLiteTable;
    companyId: SQLiteColumn;
    targetId: SQLiteColumn;
    /** A JSON object built from the row, e.g. sql`json_object('from', ${t.status}, 'to', ${next})`. */
    details: SQL;
  },
  where: SQL,
  at = Date.now(),
) {
  return db.insert(auditLog).select(
    sql`SELECT ${SQL_ID}, ${spec.companyId}, ${at}, ${by.actor.kind}, ${by.actor.id}, ${by.actor.name}, ${by.ip},
               ${spec.action}, ${spec.targetType}, ${spec.targetId}, ${spec.details}
          FROM ${spec.table} WHERE ${where}`,
  );
}

/**
 * The same entry as a raw statement, for batches built with `db.prepare` (e.g. the conversation objects'). With
 * `onlyIf` (SQL and its `?` parameters) it is written only when that holds at its place in the batch.
 */
export function auditStatement(
  db: D1Database,
  companyId: string,
  by: AuditBy,
  entry: AuditEntry,
  at = Date.now(),
  onlyIf?: { sql: string; params: unknown[] },
): D1PreparedStatement {
  const row = auditRow(companyId, by, entry, at);
  const values = [
    row.id,
    row.companyId,
    row.at,
    row.actorKind,
    row.actorId,
    row.actorName,
    row.ip ?? null,
    row.action,
    row.targetType,
    row.targetId,
    row.details == null ? null : JSON.stringify(row.details),
  ];
  const placeholders = values.map(() => '?').join(', ');
  if (!onlyIf) return db.prepare(`INSERT INTO audit_log (${COLUMNS}) VALUES (${placeholders})`).bind(...values);
  return db
    .prepare(`INSERT INTO audit_log (${COLUMNS}) SELECT ${placeholders} WHERE ${onlyIf.sql}`)
    .bind(...values, ...onlyIf.params);
}

/**
 * A raw statement (like `auditStatement`) for a change the batch itself decides: its details are SQL read from the
 * row `from` names (a FROM … WHERE clause and its `?` parameters), and it is written only when that row exists at
 * its place in the batch. E.g. round-robin's owner, chosen in SQL, read back from the note the batch just wrote.
 */
export function auditStatementFrom(
  db: D1Database,
  companyId: string,
  by: AuditBy,
  entry: Omit<AuditEntry, 'details'> & { details: string },
  from: { sql: string; params: unknown[] },
  at = Date.now(),
): D1PreparedStatement {
  const row = auditRow(companyId, by, { action: entry.action, target: entry.target }, at);
  const values = [
    row.id,
    row.companyId,
    row.at,
    row.actorKind,
    row.actorId,
    row.actorName,
    row.ip ?? null,
    row.action,
    row.targetType,
    row.targetId,
  ];
  const placeholders = values.map(() => '?').join(', ');
  return db
    .prepare(`INSERT INTO audit_log (${COLUMNS}) SELECT ${placeholders}, ${entry.details} FROM ${from.sql}`)
    .bind(...values, ...from.params);
}
