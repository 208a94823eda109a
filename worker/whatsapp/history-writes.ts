// D1 statements the conversation object writes. Each group runs as one `DB.batch` (D1's transaction), and
// statements that must happen only once are guarded by `EXISTS (the note this batch just inserted)`: a
// redelivered webhook inserts no note, so nothing after it counts or opts anyone out twice.

import type { Actor } from '../auth/actor';
import { newId } from '../ids';
import type { InboundNote } from './inbound-content';
import type { MetaError, OutboundContent } from './meta/types';
import type { MessageStatus, SaleType } from './policy';

/** Meta's error (numeric code) or our own refusal found at send time (string code, e.g. `opted_out`). */
export type NoteError = Omit<MetaError, 'code'> & { code: number | string };

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

export interface InboundRecord {
  noteId: string;
  companyId: string;
  personId: string;
  wamid: string;
  note: InboundNote;
  saleType: SaleType;
  occurredAt: number;
}

export function insertInboundNote(db: D1Database, r: InboundRecord): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO history_notes (id, company_id, person_id, type, wamid, message_type, body, content, context_wamid,
         sale_type, status, status_at, actor, occurred_at, created_at)
       VALUES (?1, ?2, ?3, 'whatsapp_received', ?4, ?5, ?6, ?7, ?8, ?9, 'received', ?10, NULL, ?10, ?11)
       ON CONFLICT (company_id, wamid) DO NOTHING`,
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
    );
}

/** +1 received, only if the guarding note was inserted by this batch. */
export function countReceived(db: D1Database, r: InboundRecord): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO counters (company_id, person_id, channel, sale_type, sent, received)
       SELECT ?1, ?2, 'whatsapp', ?3, 0, 1 WHERE EXISTS (SELECT 1 FROM history_notes WHERE id = ?4)
       ON CONFLICT (person_id, channel, sale_type) DO UPDATE SET received = received + 1`,
    )
    .bind(r.companyId, r.personId, r.saleType, r.noteId);
}

export function addSent(db: D1Database, companyId: string, personId: string, saleType: SaleType, delta: number) {
  return db
    .prepare(
      `INSERT INTO counters (company_id, person_id, channel, sale_type, sent, received) VALUES (?1, ?2, 'whatsapp', ?3, ?4, 0)
       ON CONFLICT (person_id, channel, sale_type) DO UPDATE SET sent = sent + excluded.sent`,
    )
    .bind(companyId, personId, saleType, delta);
}

export function mirrorLastInbound(db: D1Database, personId: string, at: number): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE people SET whatsapp_last_inbound_at = max(coalesce(whatsapp_last_inbound_at, 0), ?2) WHERE id = ?1`,
    )
    .bind(personId, at);
}

/** STOP / START from the person: history note, consent log (the message is the evidence) and the flag. */
export function keywordStatements(
  db: D1Database,
  r: InboundRecord,
  keyword: 'stop' | 'start',
  actor: Actor,
  text: string,
): D1PreparedStatement[] {
  const optOut = keyword === 'stop' ? 1 : 0;
  const guard = `EXISTS (SELECT 1 FROM history_notes WHERE id = ?1)
    AND (SELECT whatsapp_opted_out FROM people WHERE id = ?3) = ${1 - optOut}`;
  const noteType = optOut ? 'whatsapp_opt_out' : 'whatsapp_opt_in';
  const content = json({ source: 'whatsapp', method: 'whatsapp_keyword', keyword: text, wamid: r.wamid });
  return [
    db
      .prepare(
        `INSERT INTO history_notes (id, company_id, person_id, type, body, content, actor, occurred_at, created_at)
         SELECT ?4, ?2, ?3, '${noteType}', ?5, ?6, ?7, ?8, ?8 WHERE ${guard}`,
      )
      .bind(r.noteId, r.companyId, r.personId, `${r.noteId}_kw`, text, content, json(actor), r.occurredAt),
    db
      .prepare(
        `INSERT INTO consent_log (id, company_id, person_id, channel, action, method, text, captured_at, evidence_url, actor, recorded_at)
         SELECT ?4, ?2, ?3, 'whatsapp', '${optOut ? 'opt_out' : 'opt_in'}', 'whatsapp_keyword', ?5, ?6, ?7, ?8, ?9 WHERE ${guard}`,
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
    db
      .prepare(
        `UPDATE people SET whatsapp_opted_out = ?4, updated_at = ?5
         WHERE id = ?3 AND company_id = ?2 AND ${guard}`,
      )
      .bind(r.noteId, r.companyId, r.personId, optOut, Date.now()),
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

/** What Meta bills the message as (usage by category): a template's category, or `service` for free text. */
export function billingCategory(content: OutboundContent): string | null {
  if (content.kind === 'text') return 'service';
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
    content: { name: template.name, language: template.language, category: resolved.category, params },
  };
}

export function insertOutboundNote(db: D1Database, r: OutboundRecord): D1PreparedStatement {
  const note = r.content.kind === 'text' ? { body: r.content.text, content: null } : templateNote(r.content);
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
      r.content.kind,
      note.body,
      json(note.content),
      r.saleType,
      r.at,
      json(r.actor),
      billingCategory(r.content),
    );
}

export function setOutboundStatus(
  db: D1Database,
  noteId: string,
  status: MessageStatus,
  at: number,
  opts: { wamid?: string; error?: NoteError | null } = {},
): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE history_notes SET status = ?2, status_at = ?3, wamid = coalesce(?4, wamid),
         error = CASE WHEN ?5 = 1 THEN ?6 ELSE error END
       WHERE id = ?1`,
    )
    .bind(noteId, status, at, opts.wamid ?? null, opts.error === undefined ? 0 : 1, json(opts.error ?? null));
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
