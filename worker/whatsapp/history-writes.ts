// D1 statements of a conversation: an inbound message's (webhook ingest, inbound-store.ts) and those the conversation
// object writes for sends and statuses. Each group runs as one `DB.batch` (D1's transaction), and
// statements that must happen only once are guarded by `EXISTS (the note this batch just inserted)`: a
// redelivered webhook inserts no note, so nothing after it counts or opts anyone out twice.

import { auditStatement } from '../audit/record';
import type { Actor } from '../auth/actor';
import { newId } from '../ids';
import type { InboundNote } from './inbound-content';
import type { MetaError, OutboundContent, OutboundMedia } from './meta/types';
import {
  COUNTED_STATUSES_SQL,
  keywordSupersedesSql,
  type MessageStatus,
  phoneVariantsOfWaId,
  type SaleType,
  statusRankSql,
} from './policy';

/** Meta's error (numeric code) or our own refusal found at send time (string code, e.g. `opted_out`). */
export type NoteError = Omit<MetaError, 'code'> & { code: number | string };

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

export interface InboundRecord {
  noteId: string;
  companyId: string;
  personId: string;
  /** Meta's id for the sender (the inbound's `from`). */
  waId: string;
  /** The business number it came in on. */
  phoneNumberId: string;
  wamid: string;
  note: InboundNote;
  /** The person's own sale type: the message counts toward it unless we have written to them (inboundSaleType). */
  saleType: SaleType;
  occurredAt: number;
}

/**
 * An inbound message counts toward the sale type of our latest outbound message to the person, else their own:
 * read in the statement that stores it, from the person's conversation row. A subquery, not a join: workerd's SQLite
 * compiles a SELECT again on every run when it joins tables and binds a parameter, and this statement carries the
 * programs of all of history_notes' triggers (measured with the join: server CPU 4.0 ms per inbound message; 3.2
 * without).
 */
const inboundSaleType = (person: string, own: string) =>
  `coalesce((SELECT sale_type FROM history_notes
      WHERE id = (SELECT last_sent_note_id FROM conversations WHERE person_id = ${person})), ${own})`;

/**
 * The person the message is stored for still answers to the sender: they have that wa_id, or a phone that is a
 * form of it (policy.phoneVariantsOfWaId). Webhook ingest may have found them a minute ago (sender-cache.ts);
 * checked here, in the same statement that stores the message, it cannot go stale.
 */
const senderStillMatches = (person: string, company: string, waId: string, variants: string) =>
  `EXISTS (SELECT 1 FROM people WHERE id = ${person} AND company_id = ${company}
    AND (wa_id = ${waId} OR phone IN (SELECT value FROM json_each(${variants}))))`;

/**
 * The person's data was erased at or after the moment Meta says they sent this (people.erased_at): a message
 * that reaches us only after the erasure (Meta retries webhooks for days) is erased on arrival. Read in the
 * statement that stores the message, so an erasure that commits just before it still counts.
 */
const sentBeforeErasure = (person: string, occurredAt: string) =>
  `coalesce((SELECT erased_at FROM people WHERE id = ${person}), -1) >= ${occurredAt}`;

/**
 * Stores an inbound message, and through its trigger (migrations/0031) counts it and opens Meta's window for the
 * number it came to, which moves the person's mirror on: one statement, where there were four. Nothing is
 * inserted for a wamid already stored (a redelivery) or a sender who is no longer this person; otherwise it
 * returns the stored note's `StoredInbound`.
 */
export function insertInboundNote(db: D1Database, r: InboundRecord): D1PreparedStatement {
  const erased = sentBeforeErasure('?3', '?10');
  return db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, wamid, message_type, body, content, context_wamid,
         sale_type, status, status_at, actor, occurred_at, created_at, referral, phone_number_id)
       SELECT ?1, ?2, ?3, 'whatsapp_received', ?4, ?5, CASE WHEN ${erased} THEN NULL ELSE ?6 END,
         CASE WHEN ${erased} THEN NULL ELSE ?7 END, ?8, ${inboundSaleType('?3', '?9')}, 'received', ?10, NULL, ?10, ?11,
         CASE WHEN ${erased} THEN NULL ELSE ?14 END, ?15
        WHERE ${senderStillMatches('?3', '?2', '?12', '?13')}
       ON CONFLICT (company_id, wamid) DO NOTHING
       RETURNING sale_type, ${erased} AS erased`,
    )
    .bind(
      r.noteId,
      r.companyId,
      r.personId,
      r.wamid,
      r.note.messageType,
      r.note.body,
      json(r.note.content),
      r.note.contextWamid,
      r.saleType,
      r.occurredAt,
      Date.now(),
      r.waId,
      JSON.stringify(phoneVariantsOfWaId(r.waId)),
      json(r.note.referral),
      r.phoneNumberId,
    );
}

/** What insertInboundNote returns for the note it stored. */
export interface StoredInbound {
  /** The sale type it counts toward (an away reply to it is sent as that). */
  sale_type: SaleType;
  /** Stored without its text: the person was erased after sending it, so no notification quotes it. */
  erased: number;
}

/** What `inboundStored` reads: the stored note's id beside what the insert would have answered. */
export interface FoundInbound extends StoredInbound {
  id: string;
}

/**
 * Asked only when insertInboundNote answered nothing: the note stored under its wamid, if any. Another note is a
 * redelivery's; this very note (its id) was stored by this attempt in a group whose answer never came back
 * (db/group-commit.ts). None: the sender was no longer this person (they changed while ingest held them,
 * sender-cache.ts), and ingest looks again.
 */
export function inboundStored(db: D1Database, r: InboundRecord): D1PreparedStatement {
  return db
    .prepare(
      `SELECT h.id, h.sale_type, ${sentBeforeErasure('h.person_id', 'h.occurred_at')} AS erased
         FROM history_notes h WHERE h.company_id = ?1 AND h.wamid = ?2`,
    )
    .bind(r.companyId, r.wamid);
}

/**
 * STOP / START from the person: history note, consent log (the message is the evidence), audit entry and the flag.
 *
 * Only the person's latest keyword by Meta's time counts (policy.keywordSupersedesSql): its time is kept on the
 * person even when it changes nothing, and an older one delivered later is ignored. The note and the consent
 * entry record a change of the flag, so a keyword that changes nothing (ignored, or the state it asks for
 * already holds) writes neither: its message is in the history as received, at its own time, so reading the
 * history in time order still shows the person's last word.
 */
export function keywordStatements(
  db: D1Database,
  r: InboundRecord,
  keyword: 'stop' | 'start',
  actor: Actor,
  text: string,
): D1PreparedStatement[] {
  const optOut = keyword === 'stop' ? 1 : 0;
  const stored = `EXISTS (SELECT 1 FROM history_notes WHERE id = ?1)`;
  const latest = (at: string) =>
    keywordSupersedesSql('(SELECT whatsapp_keyword_at FROM people WHERE id = ?3)', at, keyword);
  // Read before the last statement of the batch records this keyword's time on the person.
  const changes = (at: string) => `${stored} AND ${latest(at)}
    AND (SELECT whatsapp_opted_out FROM people WHERE id = ?3) = ${1 - optOut}`;
  const noteType = optOut ? 'whatsapp_opt_out' : 'whatsapp_opt_in';
  const content = json({ source: 'whatsapp', method: 'whatsapp_keyword', keyword: text, wamid: r.wamid });
  return [
    db
      .prepare(
        `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
         SELECT ?4, ?2, ?3, '${noteType}', ?5, ?6, ?7, ?8, ?8 WHERE ${changes('?8')}`,
      )
      .bind(r.noteId, r.companyId, r.personId, `${r.noteId}_kw`, text, content, json(actor), r.occurredAt),
    db
      .prepare(
        `INSERT INTO consent_log (id, company_id, person_id, channel, action, method, text, captured_at, evidence_url, actor, recorded_at)
         SELECT ?4, ?2, ?3, 'whatsapp', '${optOut ? 'opt_out' : 'opt_in'}', 'whatsapp_keyword', ?5, ?6, ?7, ?8, ?9 WHERE ${changes('?6')}`,
      )
      .bind(
        r.noteId,
        r.companyId,
        r.personId,
        `${r.noteId}_cl`,
        text,
        r.occurredAt,
        `wamid:${r.wamid}`,
        json(actor),
        Date.now(),
      ),
    // The person changed their own consent: audited only when the consent entry above was written.
    auditStatement(
      db,
      r.companyId,
      { actor, ip: null },
      {
        action: optOut ? 'person.opted_out' : 'person.opted_in',
        target: { type: 'person', id: r.personId },
        details: {
          channel: 'whatsapp',
          method: 'whatsapp_keyword',
          keyword: text,
          wamid: r.wamid,
          consent_id: `${r.noteId}_cl`,
        },
      },
      Date.now(),
      { sql: 'EXISTS (SELECT 1 FROM consent_log WHERE id = ?)', params: [`${r.noteId}_cl`] },
    ),
    db
      .prepare(
        `UPDATE people SET whatsapp_opted_out = ?4, whatsapp_keyword_at = ?6,
           updated_at = CASE WHEN whatsapp_opted_out = ?4 THEN updated_at ELSE ?5 END
         WHERE id = ?3 AND company_id = ?2 AND ${stored} AND ${keywordSupersedesSql('whatsapp_keyword_at', '?6', keyword)}`,
      )
      .bind(r.noteId, r.companyId, r.personId, optOut, Date.now(), r.occurredAt),
  ];
}

export interface OutboundRecord {
  noteId: string;
  companyId: string;
  personId: string;
  saleType: SaleType;
  content: OutboundContent;
  actor: Actor;
  at: number;
}

/** What Meta bills the message as (usage by category): a template's category, or `service` for free-form messages. */
export function billingCategory(content: OutboundContent): string | null {
  if (content.kind !== 'template') return 'service';
  return content.resolved ? content.resolved.category.toLowerCase() : null;
}

/** A template note shows the text the person reads, and the template's name, language, category and values. */
function templateNote(content: OutboundContent & { kind: 'template' }): { body: string | null; content: unknown } {
  const { resolved, template } = content;
  if (!resolved) return { body: null, content: template };
  const params = resolved.parameterFormat === 'NAMED' ? resolved.values : Object.values(resolved.values);
  const body = resolved.text.header ? `${resolved.text.header}\n\n${resolved.text.body}` : resolved.text.body;
  return {
    body,
    content: {
      name: template.name,
      language: template.language,
      category: resolved.category,
      params,
      // A photo, video or document header: the chat draws it like a media message's file.
      ...(resolved.headerMedia ? { header_media: resolved.headerMedia } : {}),
    },
  };
}

/**
 * A media note reads like an inbound one (inbox/messages.ts mediaOf): the caption as its body, and the file as
 * content, so the chat draws it through the media proxy (by id) or links it (by link).
 */
function mediaNote(media: OutboundMedia): { body: string | null; content: unknown } {
  return { body: media.caption ?? null, content: media };
}

export function insertOutboundNote(db: D1Database, r: OutboundRecord): D1PreparedStatement {
  const note =
    r.content.kind === 'text'
      ? { body: r.content.text, content: null }
      : r.content.kind === 'interactive'
        ? // The body text is what the inbox and history show; the whole object lets the chat draw its buttons.
          { body: r.content.interactive.body.text, content: r.content.interactive }
        : r.content.kind === 'media'
          ? mediaNote(r.content.media)
          : templateNote(r.content);
  return db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, message_type, body, content, sale_type, status,
         status_at, actor, category, occurred_at, created_at)
       VALUES (?1, ?2, ?3, 'whatsapp_sent', ?4, ?5, ?6, ?7, 'queued', ?8, ?9, ?10, ?8, ?8)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(
      r.noteId,
      r.companyId,
      r.personId,
      r.content.kind === 'media' ? r.content.media.type : r.content.kind,
      note.body,
      json(note.content),
      r.saleType,
      r.at,
      json(r.actor),
      billingCategory(r.content),
    );
}

export interface StatusChange {
  noteId: string;
  status: MessageStatus;
  at: number;
  wamid?: string;
  /** Undefined leaves the stored error alone; null clears it. */
  error?: NoteError | null;
}

/**
 * A status change as D1 decides it: the note moves only up the ranking (policy.statusRankSql), and the sent
 * counter moves by the difference the change makes, read from the note in the same batch. Applying the same
 * change twice (a redelivered webhook, a batch whose answer was lost, two racing calls) changes nothing the
 * second time, whatever the conversation object believed.
 */
export function statusChange(db: D1Database, c: StatusChange): D1PreparedStatement[] {
  const counted = (col: string) => `(CASE WHEN ${col} IN ${COUNTED_STATUSES_SQL} THEN 1 ELSE 0 END)`;
  const rises = (column: string) => `${statusRankSql(column)} < ${statusRankSql('?2')}`;
  return [
    db
      .prepare(
        `INSERT INTO counters (company_id, person_id, channel, sale_type, sent, received)
         SELECT h.company_id, h.person_id, 'whatsapp', h.sale_type, ${counted('?2')} - ${counted('h.status')}, 0
           FROM history_notes h
          WHERE h.id = ?1 AND h.sale_type IS NOT NULL AND ${rises('h.status')} AND ${counted('?2')} != ${counted('h.status')}
         ON CONFLICT (person_id, channel, sale_type) DO UPDATE SET sent = sent + excluded.sent`,
      )
      .bind(c.noteId, c.status),
    updateNoteStatus(db, c, rises('status')),
  ];
}

/** An outcome we cannot know (timeout, lost connection) marks only a message that no status has reached. */
export function markUnknown(db: D1Database, noteId: string, at: number, error: NoteError): D1PreparedStatement {
  return updateNoteStatus(db, { noteId, status: 'unknown', at, error }, `status = 'queued'`);
}

/**
 * A note keeps the first wamid it learns (Meta's send answer, or the first status of a send whose outcome was
 * unknown). A status that names another wamid for our message (by our callback data) still moves its status, but
 * cannot take a wamid another message of the company already has: the unique index would refuse the batch on
 * every retry.
 */
function updateNoteStatus(db: D1Database, c: StatusChange, guard: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE history_notes SET status = ?2, status_at = ?3,
         wamid = CASE WHEN wamid IS NULL AND NOT EXISTS (SELECT 1 FROM history_notes o
                        WHERE o.company_id = history_notes.company_id AND o.wamid = ?4)
                      THEN ?4 ELSE wamid END,
         error = CASE WHEN ?5 = 1 THEN ?6 ELSE error END
       WHERE id = ?1 AND ${guard}`,
    )
    .bind(c.noteId, c.status, c.at, c.wamid ?? null, c.error === undefined ? 0 : 1, json(c.error ?? null));
}

/**
 * Remembers the id Meta knows the person by (a send answer's contacts[].wa_id, an inbound's `from`), while
 * the person still has the phone it was learnt for and no one else in the company claims that id. From an
 * inbound message, only if its batch stored it (`storedNoteId`): a redelivered old message from another form of
 * the number (Brazil's ninth digit, Mexico's "1") must not undo what a later message taught.
 */
export function learnWaId(
  db: D1Database,
  companyId: string,
  personId: string,
  phone: string,
  waId: string,
  storedNoteId: string | null = null,
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE people SET wa_id = ?4
        WHERE id = ?2 AND company_id = ?1 AND phone = ?3 AND wa_id IS NOT ?4
          AND NOT EXISTS (SELECT 1 FROM people o WHERE o.company_id = ?1 AND o.wa_id = ?4 AND o.id != ?2)
          AND (?5 IS NULL OR EXISTS (SELECT 1 FROM history_notes WHERE id = ?5))`,
    )
    .bind(companyId, personId, phone, waId, storedNoteId);
}

/** Meta error 131050: the person stopped marketing messages; kept on the person so marketing templates stop. */
export function markMarketingStopped(db: D1Database, companyId: string, personId: string, at: number, wamid: string) {
  return [
    db
      .prepare(
        `INSERT INTO history_notes (id, company_id, person_id, type, body, content, occurred_at, created_at)
         SELECT ?1, ?2, ?3, 'whatsapp_event', 'Stopped marketing messages (Meta error 131050)', ?4, ?5, ?5
         WHERE (SELECT whatsapp_marketing_stopped FROM people WHERE id = ?3) = 0`,
      )
      .bind(newId('his'), companyId, personId, json({ code: 131050, wamid }), at),
    db
      .prepare(`UPDATE people SET whatsapp_marketing_stopped = 1, updated_at = ?3 WHERE id = ?1 AND company_id = ?2`)
      .bind(personId, companyId, at),
  ];
}
