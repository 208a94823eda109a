// The audit log as tests read it: straight from D1 (what was written), oldest first, details parsed.
import { env } from 'cloudflare:workers';

export interface AuditRowJson {
  id: string;
  at: number;
  actor: { kind: string; id: string; name: string };
  ip: string | null;
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown> | null;
}

interface Raw {
  id: string;
  at: number;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  ip: string | null;
  action: string;
  target_type: string;
  target_id: string;
  details: string | null;
}

/** Every entry of a company, oldest first; `action` narrows to one action. */
export async function auditOf(companyId: string, action?: string): Promise<AuditRowJson[]> {
  const { results } = await env.DB.prepare(
    `SELECT * FROM audit_log WHERE company_id = ?1 AND (?2 IS NULL OR action = ?2) ORDER BY at, rowid`,
  )
    .bind(companyId, action ?? null)
    .all<Raw>();
  return results.map((r) => ({
    id: r.id,
    at: r.at,
    actor: { kind: r.actor_kind, id: r.actor_id, name: r.actor_name },
    ip: r.ip,
    action: r.action,
    target: { type: r.target_type, id: r.target_id },
    details: r.details === null ? null : (JSON.parse(r.details) as Record<string, unknown>),
  }));
}

/** A request address per test, so an entry's `ip` proves it came from that request. */
let n = 0;
export function testIp(): string {
  n = (n % 250) + 1;
  return `198.51.100.${n}`;
}
