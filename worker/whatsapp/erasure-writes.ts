// The D1 statements of a person's erasure on request. The conversation object runs them as ONE batch (D1's
// transaction), after taking the person's unsent messages out of its outbox, so a send or an inbound message of
// that person lands either wholly before the erasure (and is erased with the rest) or after it (and meets an
// opted-out, erased person). people/erasure.ts says what is kept and why.

import type { AuditBy } from '../audit/record';
import { auditStatement } from '../audit/record';
import { type ConsentContext, consentLogRow, optNote } from '../people/consent';

/** The name an erased person's row carries: first_name may not be empty, and it says what happened. */
export const ERASED_NAME = 'Erased person';

/** Our own refusal, kept on a message the erasure stopped before it reached Meta. */
export const ERASED_SEND_ERROR = {
  code: 'person_erased',
  title: "Not sent: the person's data was erased at their request",
} as const;

/**
 * What stays of a note's JSON: a template's identity (name, language, category), so usage by template still
 * reads; its variable values, media ids, captions, locations, contacts, reactions and consent wording go.
 */
/** The ad a message came from is no one's personal data; its click id (ctwa_clid) ties it to the person. */
const withoutClickId = (column: string) =>
  `CASE WHEN json_valid(${column}) THEN json_remove(${column}, '$.ctwa_clid') ELSE NULL END`;

const ERASED_CONTENT = `CASE WHEN message_type = 'template' AND json_valid(content)
  THEN json_object('name', json_extract(content, '$.name'), 'language', json_extract(content, '$.language'),
    'category', json_extract(content, '$.category'))
  ELSE NULL END`;

/** Meta's (or our) error code and its short title stay; the message and details (free text from Meta) go. */
const ERASED_ERROR = `CASE WHEN json_valid(error)
  THEN json_object('code', json_extract(error, '$.code'), 'title', json_extract(error, '$.title')) ELSE NULL END`;

/** A STOP/START note's actor is the person, named from their WhatsApp profile: the name goes, the id stays. */
const ERASED_ACTOR = `CASE WHEN json_valid(actor) AND json_extract(actor, '$.kind') = 'whatsapp'
  THEN json_object('kind', 'whatsapp', 'id', json_extract(actor, '$.id'), 'name', '${ERASED_NAME}')
  ELSE actor END`;

export interface ErasureFacts {
  companyId: string;
  personId: string;
  by: AuditBy;
  /** The person was already erased when the request was read: the entry says it was asked again. */
  repeat: boolean;
  /** Messages the conversation object has handed to Meta (or has Meta's answer for): they settle as usual. */
  inFlight: readonly string[];
  now: number;
}

/** SQL: the person is still opted in on `column`'s channel (read in the batch, before the person's update). */
const stillIn = (column: 'whatsapp_opted_out' | 'sms_opted_out') =>
  `(SELECT ${column} FROM people WHERE id = ?3 AND company_id = ?2) = 0`;

function insertNoteIfStillIn(db: D1Database, ctx: ConsentContext): D1PreparedStatement {
  const note = optNote(ctx, 'whatsapp_opt_out', { method: 'erasure_request' });
  return db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, content, actor, occurred_at, created_at)
       SELECT ?1, ?2, ?3, 'whatsapp_opt_out', ?4, ?5, ?6, ?6 WHERE ${stillIn('whatsapp_opted_out')}`,
    )
    .bind(note.id, ctx.companyId, ctx.personId, JSON.stringify(note.content), JSON.stringify(ctx.actor), ctx.now);
}

function insertConsentIfStillIn(db: D1Database, ctx: ConsentContext, channel: 'whatsapp' | 'sms') {
  const row = consentLogRow(ctx, channel, 'opt_out', { method: 'erasure_request' });
  return db
    .prepare(
      `INSERT INTO consent_log (id, company_id, person_id, channel, action, method, text, captured_at, evidence_url, actor, recorded_at)
       SELECT ?1, ?2, ?3, ?4, 'opt_out', ?5, NULL, ?6, NULL, ?7, ?6
        WHERE ${stillIn(channel === 'whatsapp' ? 'whatsapp_opted_out' : 'sms_opted_out')}`,
    )
    .bind(row.id, ctx.companyId, ctx.personId, channel, row.method, ctx.now, JSON.stringify(ctx.actor));
}

/**
 * The whole erasure, in batch order:
 * 1. messages the object dropped from its outbox (and any left 'queued' by an earlier erasure that failed) fail
 *    with `person_erased`, so nothing shows as still sending;
 * 2. every note of the person loses its text, captions, media ids, template values, error details and the
 *    person's profile name; type, direction, time, status, category and sale type stay, so counters and usage
 *    stay true, and wamids stay, so a webhook Meta redelivers is still recognised and not stored again;
 * 3. the opt-out note and consent entries (method `erasure_request`), only if not opted out already: the
 *    consent log is append-only and keeps every earlier entry as proof;
 * 4. the person: personal fields blanked, opted out of WhatsApp and SMS, erased_at set;
 * 5. the template values automated items fixed for the person, and the remembered answers of sends made with
 *    an Idempotency-Key (a replay then answers the erased note);
 * 6. the audit entry.
 */
export function erasureStatements(db: D1Database, f: ErasureFacts): D1PreparedStatement[] {
  const ctx: ConsentContext = {
    companyId: f.companyId,
    personId: f.personId,
    actor: f.by.actor,
    now: f.now,
    source: 'api',
  };
  return [
    db
      .prepare(
        `UPDATE history_notes SET status = 'failed', status_at = ?3, error = ?4
          WHERE company_id = ?1 AND person_id = ?2 AND type = 'whatsapp_sent' AND status = 'queued'
            AND id NOT IN (SELECT value FROM json_each(?5))`,
      )
      .bind(f.companyId, f.personId, f.now, JSON.stringify(ERASED_SEND_ERROR), JSON.stringify(f.inFlight)),
    db
      .prepare(
        `UPDATE history_notes SET body = NULL, content = ${ERASED_CONTENT}, error = ${ERASED_ERROR},
           actor = ${ERASED_ACTOR}, referral = ${withoutClickId('referral')}
          WHERE company_id = ?1 AND person_id = ?2`,
      )
      .bind(f.companyId, f.personId),
    insertNoteIfStillIn(db, ctx),
    insertConsentIfStillIn(db, ctx, 'whatsapp'),
    insertConsentIfStillIn(db, ctx, 'sms'),
    // The phone and wa_id stay: see people/erasure.ts. whatsapp_keyword_at moves to now, so a START the person
    // sent before the erasure, delivered late, is older than their latest word and cannot opt them back in.
    db
      .prepare(
        `UPDATE people SET first_name = ?4, last_name = NULL, email = NULL, membership_start = NULL,
           membership_end = NULL, date_of_birth = NULL, whatsapp_opted_out = 1, sms_opted_out = 1,
           whatsapp_keyword_at = max(coalesce(whatsapp_keyword_at, 0), ?3), erased_at = ?3, updated_at = ?3,
           lead_source_first = ${withoutClickId('lead_source_first')},
           lead_source_latest = ${withoutClickId('lead_source_latest')}
          WHERE id = ?2 AND company_id = ?1`,
      )
      .bind(f.companyId, f.personId, f.now, ERASED_NAME),
    // Their windows (migrations/0030) say when they last wrote and from which phone: nothing an erased,
    // opted-out person needs.
    db
      .prepare('DELETE FROM conversation_windows WHERE company_id = ?1 AND person_id = ?2')
      .bind(f.companyId, f.personId),
    // Their ad click id identifies them at Meta: gone from every event, and nothing still pending is reported.
    db
      .prepare(
        `UPDATE conversion_events SET ctwa_clid = '',
           state = CASE WHEN state = 'pending' THEN 'failed' ELSE state END,
           error = CASE WHEN state = 'pending' THEN ?3 ELSE error END
          WHERE company_id = ?1 AND person_id = ?2`,
      )
      .bind(f.companyId, f.personId, JSON.stringify({ code: 'person_erased', title: 'Erased on request' })),
    db
      .prepare(
        `UPDATE automation_occurrences SET params = NULL
          WHERE company_id = ?1 AND person_id = ?2 AND params IS NOT NULL`,
      )
      .bind(f.companyId, f.personId),
    // And those a broadcast fixed for them (0026).
    db
      .prepare(
        `UPDATE broadcast_recipients SET params = NULL
          WHERE company_id = ?1 AND person_id = ?2 AND params IS NOT NULL`,
      )
      .bind(f.companyId, f.personId),
    db
      .prepare(
        `UPDATE idempotency_keys SET response_status = NULL, response_body = NULL
          WHERE company_id = ?1 AND response_body IS NOT NULL AND message_id IN
            (SELECT id FROM history_notes WHERE company_id = ?1 AND person_id = ?2 AND type = 'whatsapp_sent')`,
      )
      .bind(f.companyId, f.personId),
    auditStatement(
      db,
      f.companyId,
      f.by,
      { action: 'person.erased', target: { type: 'person', id: f.personId }, details: { repeat: f.repeat } },
      f.now,
    ),
  ];
}

/**
 * A send that raced an erasure (its facts were read before it, its note written around it): the note keeps no
 * text and fails as the erasure's own would have. Harmless when the erasure's batch already did the same.
 */
export function failErasedSend(db: D1Database, noteId: string, now: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE history_notes SET body = NULL, content = ${ERASED_CONTENT}, status = 'failed', status_at = ?2, error = ?3
        WHERE id = ?1 AND status = 'queued'`,
    )
    .bind(noteId, now, JSON.stringify(ERASED_SEND_ERROR));
}
