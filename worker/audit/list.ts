// Reading the audit log: newest first, a keyset walk over one of migration 0010's indexes, chosen by the filter
// (a target's entries, an action's, a person's doing, or the whole company's). Several actions are a walk per
// action, each stopping at a page, merged: no filter ever sorts the company's whole log.
import { z } from '@hono/zod-openapi';
import type { ReadDb } from '../db/company-data';
import { unionAll } from '../db/compound';
import { notFound } from '../errors';
import { type CursorQuery, keysetPage, type Pagination, startOf, wantsTotal } from '../pagination';
import type { AuditAction, AuditTarget } from './actions';
import type { AuditEntryJson, AuditListQuery } from './schemas';

interface Row {
  id: string;
  at: number;
  actor_kind: AuditEntryJson['actor']['kind'];
  actor_id: string;
  actor_name: string;
  ip: string | null;
  action: AuditAction;
  target_type: AuditTarget;
  target_id: string;
  details: string | null;
  person_first: string | null;
  person_last: string | null;
  user_name: string | null;
}

/** Entries shown with their person's or user's current name: a primary-key probe per entry of the page. */
const SHOW = `
SELECT a.id, a.at, a.actor_kind, a.actor_id, a.actor_name, a.ip, a.action, a.target_type, a.target_id, a.details,
       p.first_name AS person_first, p.last_name AS person_last, u.name AS user_name
  FROM page k
  JOIN audit_log a ON a.id = k.id
  LEFT JOIN people p ON a.target_type = 'person' AND p.id = a.target_id AND p.company_id = a.company_id
  LEFT JOIN users u ON a.target_type = 'user' AND u.id = a.target_id AND u.company_id = a.company_id
 ORDER BY a.at DESC, a.id DESC`;

/** The list's sort key, as a cursor carries it. */
const cursorKey = z.tuple([z.number().int(), z.string().max(64)]);

function detailsOf(raw: string | null): Record<string, unknown> | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** What the entry is about, in words: a name now for people and users, else what the entry itself recorded. */
function labelOf(row: Row, details: Record<string, unknown> | null): string | null {
  switch (row.target_type) {
    case 'person':
      return row.person_first === null ? null : [row.person_first, row.person_last].filter(Boolean).join(' ');
    case 'user':
      return row.user_name ?? text(details?.email);
    case 'template': {
      const name = text(details?.name);
      const language = text(details?.language);
      return name && language ? `${name} (${language})` : name;
    }
    case 'automation':
    case 'broadcast':
    case 'api_key':
    case 'club':
    case 'label':
      return text(details?.name);
    case 'whatsapp_number':
      return text(details?.display_phone_number) ?? text(details?.phone_number_id);
    case 'company':
      return null;
  }
}

function serialize(row: Row): AuditEntryJson {
  const details = detailsOf(row.details);
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { kind: row.actor_kind, id: row.actor_id, name: row.actor_name },
    ip: row.ip,
    action: row.action,
    target: { type: row.target_type, id: row.target_id, label: labelOf(row, details) },
    details,
  };
}

type Walk = 'target' | 'action' | 'actor' | 'company';

const INDEX: Record<Walk, string> = {
  target: 'audit_log_company_target_at',
  action: 'audit_log_company_action_at',
  actor: 'audit_log_company_actor_at',
  company: 'audit_log_company_at',
};

/** The index to walk: the narrowest equality the filter gives (a target's entries are few, an action's more). */
function walkOf(query: AuditListQuery): Walk {
  if (query.target_id !== undefined) return 'target';
  if (query.action !== undefined) return 'action';
  if (query.actor_id !== undefined) return 'actor';
  return 'company';
}

/** Numbered parameters for one statement: `bind(v)` adds a value and answers its placeholder. */
function parameters() {
  const values: unknown[] = [];
  const bind = (v: unknown): string => {
    values.push(v);
    return `?${values.length}`;
  };
  return { values, bind };
}

/** The filter's conditions, except the action's when the walk is by action (each walk names its own). */
function conditionsOf(companyId: string, query: AuditListQuery, walk: Walk, bind: (v: unknown) => string): string[] {
  const where = [`company_id = ${bind(companyId)}`];
  if (query.target_type !== undefined && query.target_id !== undefined)
    where.push(`target_type = ${bind(query.target_type)}`, `target_id = ${bind(query.target_id)}`);
  if (query.actor_id !== undefined) where.push(`actor_id = ${bind(query.actor_id)}`);
  if (query.from !== undefined) where.push(`at >= ${bind(Date.parse(query.from))}`);
  if (query.to !== undefined) where.push(`at < ${bind(Date.parse(query.to))}`);
  if (query.action !== undefined && walk !== 'action') where.push(`action IN (${query.action.map(bind).join(', ')})`);
  return where;
}

/** The statement for one page (`limit + 1` keys, then the entries), built and not run: tests read its plan. */
export function auditPage(
  companyId: string,
  query: AuditListQuery & CursorQuery,
): { sql: string; params: unknown[]; countSql: string; countParams: unknown[] } {
  const { after, offset, limit } = startOf(query, cursorKey);
  const walk = walkOf(query);
  const actions = query.action ?? [];

  const { values, bind } = parameters();
  const where = conditionsOf(companyId, query, walk, bind);
  if (after) where.push(`(at, id) < (${bind(after[0])}, ${bind(after[1])})`);
  const take = bind(offset + limit + 1);
  const order = 'ORDER BY at DESC, id DESC';
  const keys = (extra: string[]) =>
    `SELECT id, at FROM audit_log INDEXED BY ${INDEX[walk]} WHERE ${[...where, ...extra].join(' AND ')} ${order} LIMIT ${take}`;
  // One walk per action, each at most a page deep; the merge sorts at most (actions x page) keys.
  const walks = walk === 'action' ? actions.map((a) => keys([`action = ${bind(a)}`])) : [keys([])];
  const merged = unionAll(
    walks.map((w) => `SELECT id, at FROM (${w})`),
    'id, at',
  );
  const page = `WITH page AS (${merged} ${order} LIMIT ${bind(limit + 1)} OFFSET ${bind(offset)})`;

  const count = parameters();
  const counted = conditionsOf(companyId, query, 'company', count.bind);
  return {
    sql: `${page}${SHOW}`,
    params: values,
    countSql: `SELECT COUNT(*) AS total FROM audit_log WHERE ${counted.join(' AND ')}`,
    countParams: count.values,
  };
}

export async function listAudit(
  db: ReadDb,
  companyId: string,
  query: AuditListQuery & CursorQuery,
): Promise<{ rows: AuditEntryJson[]; pagination: Pagination }> {
  const page = auditPage(companyId, query);
  const statements = [db.prepare(page.sql).bind(...page.params)];
  if (wantsTotal(query)) statements.push(db.prepare(page.countSql).bind(...page.countParams));
  const [shown, counted] = await db.batch<Row | { total: number }>(statements);
  const total = (counted?.results[0] as { total: number } | undefined)?.total;
  const rows = (shown?.results ?? []) as Row[];
  const result = keysetPage(rows, query, (r) => [r.at, r.id], total);
  return { rows: result.rows.map(serialize), pagination: result.pagination };
}

/** One entry of the company's; another company's id is 404, as if it did not exist. */
export async function getAuditEntry(db: ReadDb, companyId: string, id: string): Promise<AuditEntryJson> {
  const row = await db
    .prepare(`WITH page AS (SELECT id FROM audit_log WHERE company_id = ?1 AND id = ?2)${SHOW}`)
    .bind(companyId, id)
    .first<Row>();
  if (!row) throw notFound('Audit entry');
  return serialize(row);
}
