// One person's history, newest first, as a keyset walk (worker/pagination.ts) over an index in the list's own
// order: history_notes_person_occurred (company_id, person_id, occurred_at, created_at, id), or with `type`
// before the key when the filter is one type (migrations/0008_list_indexes.sql). A page costs the same whether
// the person has ten notes or ten thousand.
import { z } from '@hono/zod-openapi';
import { and, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { historyNotes } from '../db/schema';
import { type CursorQuery, keysetPage, type Pagination, startOf, wantsTotal } from '../pagination';
import { HISTORY_TYPES, type HistoryNoteRow } from './serialize';

export const HISTORY_FILTERS = [
  'whatsapp_sent',
  'whatsapp_received',
  'whatsapp',
  'owner_changed',
  'stage_changed',
  'note',
] as const;
export type HistoryFilter = (typeof HISTORY_FILTERS)[number];

export interface HistoryQuery extends CursorQuery {
  filter?: HistoryFilter;
}

/** The list's sort key, as a cursor carries it. */
const listKey = z.tuple([z.number().int(), z.number().int(), z.string().max(64)]);

/** 'whatsapp' means every whatsapp_* note: messages, opt-outs/ins and events. */
function typesFor(filter: HistoryFilter | undefined): HistoryNoteRow['type'][] | null {
  if (filter === undefined) return null;
  if (filter === 'whatsapp') return HISTORY_TYPES.filter((t) => t.startsWith('whatsapp_'));
  return [filter];
}

/**
 * One type: history_notes_person_type holds it in order. Every type: no condition at all. Some types: the unary +
 * keeps SQLite on the person's index in order (skipping the rest), rather than reading each type's range and
 * sorting them together.
 */
function typeCondition(types: HistoryNoteRow['type'][] | null): SQL | undefined {
  if (types === null || types.length === HISTORY_TYPES.length) return undefined;
  const [only, ...more] = types;
  if (only !== undefined && more.length === 0) return eq(historyNotes.type, only);
  return inArray(sql`+${historyNotes.type}`, types);
}

function filterOf(companyId: string, personId: string, filter: HistoryFilter | undefined): SQL | undefined {
  return and(
    eq(historyNotes.companyId, companyId),
    eq(historyNotes.personId, personId),
    typeCondition(typesFor(filter)),
  );
}

/** The statement for one page, built and not run (tests read its query plan). */
export function historyPageQuery(db: Db, companyId: string, personId: string, query: HistoryQuery) {
  const { after, offset, limit } = startOf(query, listKey);
  const keyset = after
    ? sql`(${historyNotes.occurredAt}, ${historyNotes.createdAt}, ${historyNotes.id}) < (${after[0]}, ${after[1]}, ${after[2]})`
    : undefined;
  return (
    db
      .select()
      .from(historyNotes)
      .where(and(filterOf(companyId, personId, query.filter), keyset))
      // Meta's timestamps are whole seconds, so two inbound messages can share occurred_at: then the order we
      // stored them in decides, and id makes the order total so pages never overlap or skip.
      .orderBy(desc(historyNotes.occurredAt), desc(historyNotes.createdAt), desc(historyNotes.id))
      .limit(limit + 1)
      .offset(offset)
  );
}

/** One person's notes, newest first; the caller has already checked the person belongs to the company. */
export async function listHistory(
  db: Db,
  companyId: string,
  personId: string,
  query: HistoryQuery,
): Promise<{ rows: HistoryNoteRow[]; pagination: Pagination }> {
  const page = historyPageQuery(db, companyId, personId, query);
  const counted = wantsTotal(query)
    ? db
        .select({ n: count() })
        .from(historyNotes)
        .where(filterOf(companyId, personId, query.filter))
        .all()
    : undefined;
  const [rows, totals] = await Promise.all([page.all(), counted]);
  return keysetPage(rows, query, (r) => [r.occurredAt, r.createdAt, r.id], totals?.[0]?.n);
}
