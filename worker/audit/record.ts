// Writing to the audit log. An entry is a statement to put in the same D1 batch as the change it describes, so
// the log can never say something happened that did not (or miss something that did).
import type { Context } from 'hono';
import type { Actor } from '../auth/actor';
import type { auditLog } from '../db/schema';
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

/** The request's actor and address (Cloudflare sets CF-Connecting-IP at the edge, wrangler dev locally). */
export function auditByOf(c: Context<AppEnv>): AuditBy {
  return { actor: c.get('auth').actor, ip: c.req.header('CF-Connecting-IP') ?? null };
}

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

/** The same entry as a raw statement, for batches built with `db.prepare` (e.g. the conversation objects'). */
export function auditStatement(
  db: D1Database,
  companyId: string,
  by: AuditBy,
  entry: AuditEntry,
  at = Date.now(),
): D1PreparedStatement {
  const row = auditRow(companyId, by, entry, at);
  return db
    .prepare(
      `INSERT INTO audit_log (id, company_id, at, actor_kind, actor_id, actor_name, ip, action, target_type, target_id, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
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
    );
}
