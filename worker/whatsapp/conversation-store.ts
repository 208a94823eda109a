// The conversation object's own SQLite: the ordered outbox, the outbound messages whose statuses it ranks,
// and statuses that arrived before the message they describe. Scalars live in `ctx.storage.kv`.
// Everything here is synchronous, so each method is one atomic step between the object's awaits.

import { addColumn, ddl, type Schema } from '../durable/schema-versions';
import type { OutboundContent, SendOutcome } from './meta/types';
import { higherStatus, type MessageStatus, type SaleType } from './policy';

export interface OutboxRow {
  messageId: string;
  personId: string;
  saleType: SaleType;
  /** Null when the stored row no longer parses: the attempt fails on our side and, in the end, the message. */
  content: OutboundContent | null;
  /**
   * The person's phone when the message was accepted: it is never sent to another number. Null only for a
   * message queued by the first version, which pinned no number: it goes to the person's phone at its next
   * attempt, as that version would have sent it (see pinPhone).
   */
  phone: string | null;
  /**
   * 'sending' while a Meta call is in flight (found at start-up: the outcome is unknown); 'answered' once
   * Meta's answer is kept here but not yet written to D1 (settling it again is harmless).
   */
  state: 'queued' | 'sending' | 'answered';
  attempts: number;
  internalFailures: number;
  nextAttemptAt: number;
  outcome: SendOutcome | null;
}

export interface OutboundRow {
  messageId: string;
  wamid: string | null;
  personId: string;
  saleType: SaleType;
  /** A lower bound of the note's status in D1: raised only after D1 has it. */
  status: MessageStatus;
}

export interface OrphanStatus {
  wamid: string;
  payload: string;
}

type Row = Record<string, SqlStorageValue>;

const DAY_MS = 24 * 60 * 60 * 1000;
// Meta stops retrying webhooks after about a week; a month later nothing more can arrive for a message.
const ORPHAN_TTL_MS = 30 * DAY_MS;
const OUTBOUND_TTL_MS = 30 * DAY_MS;

/** The object's tables, step by step (rules in worker/durable/schema-versions.ts: never edit a shipped step). */
/** The tables CONVERSATION_SCHEMA makes: an object holding any of them was made by an older deploy. */
export const CONVERSATION_TABLES = ['outbox', 'outbound', 'orphan_statuses'] as const;

export const CONVERSATION_SCHEMA: Schema = {
  name: 'conversation',
  steps: [
    // 1. The first version.
    ddl(`
      CREATE TABLE IF NOT EXISTS outbox (
        message_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, person_id TEXT NOT NULL, sale_type TEXT NOT NULL,
        content TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbound (
        message_id TEXT PRIMARY KEY, wamid TEXT UNIQUE, person_id TEXT NOT NULL, sale_type TEXT NOT NULL,
        status TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS orphan_statuses (
        wamid TEXT NOT NULL, status TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL,
        PRIMARY KEY (wamid, status));
    `),
    // 2. Sends pinned to a number, bounded internal failures, Meta's answer kept before D1 has it, and outbound
    // rows pruned by age. SQLite adds a NOT NULL column only with a constant default, so `phone` stays nullable
    // (enqueue always writes it) and existing outbound rows get today as their age.
    (sql) => {
      addColumn(sql, 'outbox', 'phone', 'TEXT');
      addColumn(sql, 'outbox', 'internal_failures', 'INTEGER NOT NULL DEFAULT 0');
      addColumn(sql, 'outbox', 'outcome', 'TEXT');
      addColumn(sql, 'outbound', 'created_at', 'INTEGER');
      sql.exec('UPDATE outbound SET created_at = ? WHERE created_at IS NULL', Date.now());
      sql.exec('CREATE INDEX IF NOT EXISTS outbound_created ON outbound (created_at)');
    },
  ],
};

export class ConversationStore {
  constructor(private readonly sql: SqlStorage) {}

  // --- outbox: sends leave in the order they were accepted ---

  /** Records a message to send, and the outbound row its statuses will find even while it is in flight. */
  enqueue(row: {
    messageId: string;
    personId: string;
    saleType: SaleType;
    content: OutboundContent;
    phone: string;
    nextAttemptAt: number;
  }): void {
    this.sql.exec(
      `INSERT INTO outbox (message_id, seq, person_id, sale_type, content, phone, state, attempts, next_attempt_at)
       VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, ?, 'queued', 0, ?)
       ON CONFLICT (message_id) DO NOTHING`,
      row.messageId,
      row.personId,
      row.saleType,
      JSON.stringify(row.content),
      row.phone,
      row.nextAttemptAt,
    );
    this.sql.exec(
      `INSERT INTO outbound (message_id, wamid, person_id, sale_type, status, created_at)
       VALUES (?, NULL, ?, ?, 'queued', ?) ON CONFLICT (message_id) DO NOTHING`,
      row.messageId,
      row.personId,
      row.saleType,
      row.nextAttemptAt,
    );
  }

  /** Pins a message queued without a number (by the first version) to the number it is about to go to. */
  pinPhone(messageId: string, phone: string): void {
    this.sql.exec('UPDATE outbox SET phone = ? WHERE message_id = ? AND phone IS NULL', phone, messageId);
  }

  head(): OutboxRow | null {
    const row = this.sql.exec<Row>('SELECT * FROM outbox ORDER BY seq LIMIT 1').toArray()[0];
    return row ? toOutbox(row) : null;
  }

  get(messageId: string): OutboxRow | null {
    const row = this.sql.exec<Row>('SELECT * FROM outbox WHERE message_id = ?', messageId).toArray()[0];
    return row ? toOutbox(row) : null;
  }

  has(messageId: string): boolean {
    return this.sql.exec('SELECT 1 FROM outbound WHERE message_id = ?', messageId).toArray().length > 0;
  }

  markSending(messageId: string): void {
    this.sql.exec(`UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE message_id = ?`, messageId);
  }

  /** Meta's answer, kept before anything is written to D1, so a failure there settles it later, not resends it. */
  recordOutcome(messageId: string, outcome: SendOutcome): void {
    this.sql.exec(
      `UPDATE outbox SET state = 'answered', outcome = ? WHERE message_id = ?`,
      JSON.stringify(outcome),
      messageId,
    );
  }

  reschedule(messageId: string, nextAttemptAt: number): void {
    this.sql.exec(
      `UPDATE outbox SET state = 'queued', outcome = NULL, next_attempt_at = ? WHERE message_id = ?`,
      nextAttemptAt,
      messageId,
    );
  }

  /** One more failure on our side; the row keeps its state (an answered row must still be settled). */
  noteInternalFailure(messageId: string, nextAttemptAt: number): void {
    this.sql.exec(
      'UPDATE outbox SET internal_failures = internal_failures + 1, next_attempt_at = ? WHERE message_id = ?',
      nextAttemptAt,
      messageId,
    );
  }

  /** Moves a message out of the outbox once Meta's answer (or its absence) is final. */
  finish(messageId: string, wamid: string | null, status: MessageStatus): void {
    this.sql.exec('DELETE FROM outbox WHERE message_id = ?', messageId);
    this.raiseOutbound(messageId, wamid, status);
    this.sql.exec(
      'DELETE FROM outbound WHERE created_at < ? AND message_id NOT IN (SELECT message_id FROM outbox)',
      Date.now() - OUTBOUND_TTL_MS,
    );
  }

  /**
   * The person's data is being erased. Messages Meta does not have yet leave the outbox (never sent) and rank
   * as failed; those in flight, or answered but not yet written to D1, stay to settle, without their text
   * (settling needs only Meta's answer). Kept statuses lose Meta's free-text error detail. Returns the dropped
   * ids and those still in flight.
   */
  forgetForErasure(): { dropped: string[]; inFlight: string[] } {
    const rows = this.sql.exec<Row>('SELECT message_id, state FROM outbox').toArray();
    const dropped = rows.filter((r) => r.state === 'queued').map((r) => String(r.message_id));
    const inFlight = rows.filter((r) => r.state !== 'queued').map((r) => String(r.message_id));
    this.sql.exec(`DELETE FROM outbox WHERE state = 'queued'`);
    this.sql.exec(`UPDATE outbox SET content = 'null'`);
    for (const id of dropped) this.raiseOutbound(id, null, 'failed');
    for (const orphan of this.sql.exec<Row>('SELECT wamid, status, payload FROM orphan_statuses').toArray())
      this.sql.exec(
        'UPDATE orphan_statuses SET payload = ? WHERE wamid = ? AND status = ?',
        withoutErrorDetail(String(orphan.payload)),
        orphan.wamid,
        orphan.status,
      );
    return { dropped, inFlight };
  }

  // --- outbound statuses ---

  findOutbound(wamid: string, messageId: string | undefined): OutboundRow | null {
    const byWamid = this.sql.exec<Row>('SELECT * FROM outbound WHERE wamid = ?', wamid).toArray()[0];
    if (byWamid) return toOutbound(byWamid);
    if (!messageId) return null;
    // A send in flight, or whose answer never came, has no wamid yet: Meta echoes our id back in the status.
    const byId = this.sql.exec<Row>('SELECT * FROM outbound WHERE message_id = ?', messageId).toArray()[0];
    return byId ? toOutbound(byId) : null;
  }

  /** The status only ever rises here, whatever order the callers finish in. */
  raiseOutbound(messageId: string, wamid: string | null, status: MessageStatus): void {
    const current = this.sql.exec<Row>('SELECT status FROM outbound WHERE message_id = ?', messageId).toArray()[0];
    const next = current ? higherStatus(current.status as MessageStatus, status) : status;
    this.sql.exec(
      'UPDATE outbound SET wamid = coalesce(?, wamid), status = ? WHERE message_id = ?',
      wamid,
      next,
      messageId,
    );
  }

  keepOrphan(wamid: string, status: string, payload: string): void {
    this.sql.exec('DELETE FROM orphan_statuses WHERE received_at < ?', Date.now() - ORPHAN_TTL_MS);
    this.sql.exec(
      `INSERT INTO orphan_statuses (wamid, status, payload, received_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (wamid, status) DO NOTHING`,
      wamid,
      status,
      payload,
      Date.now(),
    );
  }

  takeOrphans(wamid: string): OrphanStatus[] {
    const rows = this.sql
      .exec<Row>('SELECT wamid, payload FROM orphan_statuses WHERE wamid = ? ORDER BY received_at', wamid)
      .toArray();
    this.sql.exec('DELETE FROM orphan_statuses WHERE wamid = ?', wamid);
    return rows.map((r) => ({ wamid: String(r.wamid), payload: String(r.payload) }));
  }
}

function parseJson<T>(value: SqlStorageValue | undefined): T | null {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}

/** A kept status (`{status, at}`) with only the code and title of its errors: Meta's detail may quote the person. */
function withoutErrorDetail(payload: string): string {
  const parsed = parseJson<{ status?: { errors?: { code?: unknown; title?: unknown }[] } }>(payload);
  const errors = parsed?.status?.errors;
  if (!parsed?.status || !Array.isArray(errors)) return payload;
  const trimmed = errors.map((e) => ({ code: e.code, title: e.title }));
  return JSON.stringify({ ...parsed, status: { ...parsed.status, errors: trimmed } });
}

function toOutbox(r: Row): OutboxRow {
  const state = r.state === 'sending' || r.state === 'answered' ? r.state : 'queued';
  return {
    messageId: String(r.message_id),
    personId: String(r.person_id),
    saleType: r.sale_type as SaleType,
    content: parseJson<OutboundContent>(r.content),
    phone: r.phone === null || r.phone === undefined ? null : String(r.phone),
    state,
    attempts: Number(r.attempts),
    internalFailures: Number(r.internal_failures ?? 0),
    nextAttemptAt: Number(r.next_attempt_at),
    outcome: parseJson<SendOutcome>(r.outcome),
  };
}

function toOutbound(r: Row): OutboundRow {
  return {
    messageId: String(r.message_id),
    wamid: r.wamid === null ? null : String(r.wamid),
    personId: String(r.person_id),
    saleType: r.sale_type as SaleType,
    status: r.status as MessageStatus,
  };
}
