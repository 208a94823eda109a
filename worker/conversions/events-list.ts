// A company's recent conversion events, newest first, for Settings > Meta Conversions API: what was reported to
// Meta, what waits for a retry and what failed, and why. A keyset walk over conversion_events_company_created
// (migrations/0029); the person's name is one primary-key probe per row shown. An admin limited to clubs sees
// their clubs' people's events only (the scope rule, auth/scope-sql.ts).
import { z } from '@hono/zod-openapi';
import type { Scope } from '#common/scope';
import { scopeCondition } from '../auth/scope-sql';
import type { ReadDb } from '../db/company-data';
import { type CursorQuery, keysetPage, type Pagination, startOf } from '../pagination';
import { CONVERSION_EVENTS } from './events';

export const conversionEventSchema = z
  .object({
    id: z.string().openapi({ example: 'cev_0123456789abcdefghjk' }),
    event: z.enum(CONVERSION_EVENTS),
    person_id: z.string(),
    person_name: z.string(),
    dataset_id: z.string(),
    state: z.enum(['pending', 'sent', 'failed']).openapi({
      description: 'pending: not reported yet (a retry may be due); sent: Meta took it; failed: given up',
    }),
    attempts: z.number().int(),
    error: z
      .object({ code: z.number().int(), title: z.string() })
      .nullable()
      .openapi({ description: "Meta's error of the last attempt (pending: the retry's reason; failed: why)" }),
    event_time: z.string().openapi({ description: 'When it happened (the lead wrote, the person joined)' }),
    sent_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('ConversionEvent');

export type ConversionEventJson = z.infer<typeof conversionEventSchema>;

/** The list's cursor: the last row's (created_at, id). */
const listKey = z.tuple([z.number().int(), z.string().max(64)]);

interface Row {
  id: string;
  event: string;
  person_id: string;
  first_name: string | null;
  last_name: string | null;
  dataset_id: string;
  state: string;
  attempts: number;
  error: string | null;
  event_time: number;
  sent_at: number | null;
  created_at: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The stored error (Meta's, as the consumer wrote it) cut to what the screen says; anything else reads as none. */
function errorOf(json: string | null): ConversionEventJson['error'] {
  if (json === null) return null;
  try {
    const e: unknown = JSON.parse(json);
    if (typeof e === 'object' && e !== null && 'code' in e && 'title' in e)
      return { code: Number(e.code) || 0, title: String(e.title) };
  } catch {
    // A row written by hand or by an older version: shown without its reason rather than failing the list.
  }
  return null;
}

function jsonOf(r: Row): ConversionEventJson {
  return {
    id: r.id,
    event: r.event === 'Purchase' ? 'Purchase' : 'LeadSubmitted',
    person_id: r.person_id,
    person_name: [r.first_name, r.last_name].filter(Boolean).join(' ') || 'Unknown person',
    dataset_id: r.dataset_id,
    state: r.state === 'sent' ? 'sent' : r.state === 'failed' ? 'failed' : 'pending',
    attempts: r.attempts,
    error: errorOf(r.error),
    event_time: iso(r.event_time),
    sent_at: r.sent_at === null ? null : iso(r.sent_at),
    created_at: iso(r.created_at),
  };
}

/** The page's statement, built and not run: tests read its plan. */
export function conversionEventsQuery(
  companyId: string,
  scope: Scope,
  page: { after: readonly [number, string] | null; limit: number; offset: number },
): { sql: string; params: unknown[] } {
  const params: unknown[] = [companyId];
  let where = 'e.company_id = ?';
  if (page.after) {
    where += ' AND (e.created_at, e.id) < (?, ?)';
    params.push(page.after[0], page.after[1]);
  }
  const scoped = scopeCondition(scope, { club: 'p.club_id', owner: 'p.owner_user_id', status: 'p.status' });
  if (scoped) {
    where += ` AND ${scoped.sql}`;
    params.push(...scoped.params);
  }
  params.push(page.limit + 1, page.offset);
  const sql = `SELECT e.id, e.event, e.person_id, p.first_name, p.last_name, e.dataset_id, e.state, e.attempts, e.error,
              e.event_time, e.sent_at, e.created_at
         FROM conversion_events e INDEXED BY conversion_events_company_created
         JOIN people p ON p.id = e.person_id AND p.company_id = e.company_id
        WHERE ${where}
        ORDER BY e.created_at DESC, e.id DESC LIMIT ? OFFSET ?`;
  return { sql, params };
}

export async function listConversionEvents(
  db: ReadDb,
  companyId: string,
  scope: Scope,
  query: CursorQuery,
): Promise<{ rows: ConversionEventJson[]; pagination: Pagination }> {
  const { after, offset, limit } = startOf(query, listKey);
  const q = conversionEventsQuery(companyId, scope, { after, limit, offset });
  const { results } = await db
    .prepare(q.sql)
    .bind(...q.params)
    .all<Row>();
  const page = keysetPage(results, query, (r) => [r.created_at, r.id]);
  return { rows: page.rows.map(jsonOf), pagination: page.pagination };
}
