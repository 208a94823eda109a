// Export on request (GDPR article 15/20): GET /api/v1/people/:id/export, one JSON document (data-schemas.ts,
// PersonExport) with the profile, the inbox row, the consent log, the audit entries about the person and every
// history note. A person may have tens of thousands of notes, so the document is streamed: each list is read
// EXPORT_PAGE rows at a time, as a keyset walk over an index in the export's own order (oldest first), and each
// page is written out before the next is read. The worker holds one page, never the whole history; there is no
// cap on the total, since an export must hold everything.

import type { z } from '@hono/zod-openapi';
import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditLog, consentLog, conversations, historyNotes } from '../db/schema';
import { serializeNote } from '../history/serialize';
import { windowExpiresAt } from '../whatsapp/policy';
import {
  type consentEntrySchema,
  EXPORT_FORMAT,
  type exportConversationSchema,
  type PersonExportJson,
  type personAuditEntrySchema,
} from './data-schemas';
import { type PersonRow, serializePersonDetail } from './serialize';
import { getCounters } from './service';

/** Rows read per D1 query: at most about 2 MB of notes (500 bodies of 4,096 characters), usually far less. */
export const EXPORT_PAGE = 500;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function actorOf(value: unknown): { kind: string; id: string; name: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const a = value as Record<string, unknown>;
  return typeof a.kind === 'string' && typeof a.id === 'string' && typeof a.name === 'string'
    ? { kind: a.kind, id: a.id, name: a.name }
    : null;
}

/** Every row of one keyset walk, a page at a time: `read(last)` answers the page after `last`. */
async function* walk<T>(read: (last: T | undefined) => Promise<T[]>): AsyncGenerator<T[]> {
  let last: T | undefined;
  for (;;) {
    const page = await read(last);
    if (page.length > 0) yield page;
    if (page.length < EXPORT_PAGE) return;
    last = page.at(-1);
  }
}

type NoteRow = typeof historyNotes.$inferSelect;
type ConsentRow = typeof consentLog.$inferSelect;
type AuditRow = typeof auditLog.$inferSelect;

/** history_notes_person_occurred, forwards. */
const notesAfter = (db: Db, companyId: string, personId: string) => (last: NoteRow | undefined) =>
  db
    .select()
    .from(historyNotes)
    .where(
      and(
        eq(historyNotes.companyId, companyId),
        eq(historyNotes.personId, personId),
        last
          ? sql`(${historyNotes.occurredAt}, ${historyNotes.createdAt}, ${historyNotes.id}) > (${last.occurredAt}, ${last.createdAt}, ${last.id})`
          : undefined,
      ),
    )
    .orderBy(asc(historyNotes.occurredAt), asc(historyNotes.createdAt), asc(historyNotes.id))
    .limit(EXPORT_PAGE)
    .all();

/** consent_log_person, forwards. */
const consentAfter = (db: Db, companyId: string, personId: string) => (last: ConsentRow | undefined) =>
  db
    .select()
    .from(consentLog)
    .where(
      and(
        eq(consentLog.companyId, companyId),
        eq(consentLog.personId, personId),
        last ? sql`(${consentLog.recordedAt}, ${consentLog.id}) > (${last.recordedAt}, ${last.id})` : undefined,
      ),
    )
    .orderBy(asc(consentLog.recordedAt), asc(consentLog.id))
    .limit(EXPORT_PAGE)
    .all();

/** audit_log_company_target_at, forwards. */
const auditAfter = (db: Db, companyId: string, personId: string) => (last: AuditRow | undefined) => {
  const about: SQL | undefined = and(
    eq(auditLog.companyId, companyId),
    eq(auditLog.targetType, 'person'),
    eq(auditLog.targetId, personId),
  );
  return db
    .select()
    .from(auditLog)
    .where(and(about, last ? sql`(${auditLog.at}, ${auditLog.id}) > (${last.at}, ${last.id})` : undefined))
    .orderBy(asc(auditLog.at), asc(auditLog.id))
    .limit(EXPORT_PAGE)
    .all();
};

function consentEntry(r: ConsentRow): z.infer<typeof consentEntrySchema> {
  return {
    id: r.id,
    channel: r.channel,
    action: r.action,
    method: r.method,
    text: r.text,
    captured_at: new Date(r.capturedAt).toISOString(),
    evidence_url: r.evidenceUrl,
    actor: actorOf(r.actor),
    recorded_at: new Date(r.recordedAt).toISOString(),
  };
}

function auditEntry(r: AuditRow): z.infer<typeof personAuditEntrySchema> {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    action: r.action as z.infer<typeof personAuditEntrySchema>['action'],
    actor: { kind: r.actorKind, id: r.actorId, name: r.actorName },
    details: r.details ?? null,
  };
}

async function conversationOf(
  db: Db,
  companyId: string,
  personId: string,
): Promise<z.infer<typeof exportConversationSchema> | null> {
  const row = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.companyId, companyId), eq(conversations.personId, personId)))
    .get();
  if (!row) return null;
  return {
    last_message_id: row.lastNoteId,
    last_message_at: new Date(row.lastAt).toISOString(),
    last_sent_message_id: row.lastSentNoteId,
    last_inbound_message_id: row.lastInboundNoteId,
    last_inbound_at: iso(row.lastInboundAt),
    unread_count: row.unreadCount,
    window_expires_at: iso(windowExpiresAt(row.windowAt)),
    opted_out: row.optedOut === 1,
  };
}

/** A JSON array's items, a page at a time, each page's items comma-separated from the ones before. */
async function* arrayItems<T>(pages: AsyncGenerator<T[]>, item: (row: T) => unknown): AsyncGenerator<string, number> {
  let n = 0;
  for await (const page of pages) {
    yield (n === 0 ? '' : ',') + page.map((r) => JSON.stringify(item(r))).join(',');
    n += page.length;
  }
  return n;
}

/** The document in pieces, in PersonExport's key order; the lists last, so nothing waits on their length. */
async function* exportPieces(db: Db, companyId: string, person: PersonRow, now: number): AsyncGenerator<string> {
  const [counterRows, conversation] = await Promise.all([
    getCounters(db, companyId, person.id),
    conversationOf(db, companyId, person.id),
  ]);
  const head: Omit<PersonExportJson, 'consent_log' | 'audit_log' | 'history' | 'history_count'> = {
    format: EXPORT_FORMAT,
    exported_at: new Date(now).toISOString(),
    company_id: companyId,
    person: serializePersonDetail(person, counterRows, now),
    conversation,
  };
  yield `${JSON.stringify(head).slice(0, -1)},"consent_log":[`;
  yield* arrayItems(walk(consentAfter(db, companyId, person.id)), consentEntry);
  yield '],"audit_log":[';
  yield* arrayItems(walk(auditAfter(db, companyId, person.id)), auditEntry);
  yield '],"history":[';
  const count = yield* arrayItems(walk(notesAfter(db, companyId, person.id)), serializeNote);
  yield `],"history_count":${count}}`;
}

/** The export as a byte stream, read from D1 only as fast as the client takes it. */
export function exportStream(db: Db, companyId: string, person: PersonRow, now = Date.now()): ReadableStream {
  const pieces = exportPieces(db, companyId, person, now);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // Every pull enqueues something or closes: a pull that did neither would leave the reader waiting.
        for (;;) {
          const { value, done } = await pieces.next();
          if (done) return controller.close();
          if (value) return controller.enqueue(encoder.encode(value));
        }
      } catch (err) {
        // The status line has gone: the client sees a document that does not parse, never a partial "success".
        console.error('person export failed midway', person.id, err);
        controller.error(err);
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
}

/** `clubchat-person-per_x-2026-12-03.json`: the person and the day, so two exports never overwrite each other. */
export function exportFilename(personId: string, now = Date.now()): string {
  const day = new Date(now).toISOString().slice(0, 10);
  return `clubchat-person-${personId.replace(/[^\w-]/g, '_')}-${day}.json`;
}
