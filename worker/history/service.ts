import { and, count, desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { historyNotes } from '../db/schema';
import { pageOf } from '../pagination';
import { HISTORY_TYPES, type HistoryNoteRow } from './serialize';

export const HISTORY_FILTERS = ['whatsapp_sent', 'whatsapp_received', 'whatsapp'] as const;
export type HistoryFilter = (typeof HISTORY_FILTERS)[number];

/** 'whatsapp' means every whatsapp_* note: messages, opt-outs/ins and events. */
function typesFor(filter: HistoryFilter | undefined): HistoryNoteRow['type'][] | null {
  if (filter === undefined) return null;
  if (filter === 'whatsapp') return HISTORY_TYPES.filter((t) => t.startsWith('whatsapp_'));
  return [filter];
}

/** One person's notes, newest first; the caller has already checked the person belongs to the company. */
export async function listHistory(
  db: Db,
  companyId: string,
  personId: string,
  q: { filter?: HistoryFilter; page: number; perPage: number },
): Promise<{ rows: HistoryNoteRow[]; total: number }> {
  const types = typesFor(q.filter);
  const where = and(
    eq(historyNotes.companyId, companyId),
    eq(historyNotes.personId, personId),
    types ? inArray(historyNotes.type, types) : undefined,
  );
  const { limit, offset } = pageOf(q.page, q.perPage);
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(historyNotes)
      .where(where)
      // Meta's timestamps are whole seconds, so two inbound messages can share occurred_at: then the order we
      // stored them in decides, and id makes the order total so pages never overlap or skip.
      .orderBy(desc(historyNotes.occurredAt), desc(historyNotes.createdAt), desc(historyNotes.id))
      .limit(limit)
      .offset(offset)
      .all(),
    db.select({ n: count() }).from(historyNotes).where(where).all(),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}
