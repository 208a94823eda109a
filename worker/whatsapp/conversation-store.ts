// The conversation object's own SQLite: the ordered outbox, the outbound messages whose statuses it ranks,
// and statuses that arrived before the message they describe. Scalars live in `ctx.storage.kv`.

import type { OutboundContent } from './meta/types';
import type { MessageStatus, SaleType } from './policy';

export interface OutboxRow {
  messageId: string;
  personId: string;
  saleType: SaleType;
  content: OutboundContent;
  /** 'sending' while a Meta call is in flight: found at start-up, it means the outcome is unknown. */
  state: 'queued' | 'sending';
  attempts: number;
  nextAttemptAt: number;
}

export interface OutboundRow {
  messageId: string;
  wamid: string | null;
  personId: string;
  saleType: SaleType;
  status: MessageStatus;
}

export interface OrphanStatus {
  wamid: string;
  payload: string;
}

type Row = Record<string, SqlStorageValue>;

const ORPHAN_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export class ConversationStore {
  constructor(private readonly sql: SqlStorage) {}

  migrate(): void {
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS outbox (
        message_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, person_id TEXT NOT NULL, sale_type TEXT NOT NULL,
        content TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS outbound (
        message_id TEXT PRIMARY KEY, wamid TEXT UNIQUE, person_id TEXT NOT NULL, sale_type TEXT NOT NULL,
        status TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS orphan_statuses (
        wamid TEXT NOT NULL, status TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL,
        PRIMARY KEY (wamid, status));
    `);
  }

  // --- outbox: sends leave in the order they were accepted ---

  enqueue(row: Omit<OutboxRow, 'state' | 'attempts'>): void {
    this.sql.exec(
      `INSERT INTO outbox (message_id, seq, person_id, sale_type, content, state, attempts, next_attempt_at)
       VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM outbox), ?, ?, ?, 'queued', 0, ?)
       ON CONFLICT (message_id) DO NOTHING`,
      row.messageId,
      row.personId,
      row.saleType,
      JSON.stringify(row.content),
      row.nextAttemptAt,
    );
  }

  head(): OutboxRow | null {
    const row = this.sql.exec<Row>('SELECT * FROM outbox ORDER BY seq LIMIT 1').toArray()[0];
    return row ? toOutbox(row) : null;
  }

  has(messageId: string): boolean {
    return (
      this.sql.exec('SELECT 1 FROM outbox WHERE message_id = ?', messageId).toArray().length > 0 ||
      this.sql.exec('SELECT 1 FROM outbound WHERE message_id = ?', messageId).toArray().length > 0
    );
  }

  markSending(messageId: string): void {
    this.sql.exec(`UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE message_id = ?`, messageId);
  }

  reschedule(messageId: string, nextAttemptAt: number): void {
    this.sql.exec(
      `UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE message_id = ?`,
      nextAttemptAt,
      messageId,
    );
  }

  /** Moves a message out of the outbox once Meta's answer (or its absence) is final. */
  finish(row: OutboxRow, wamid: string | null, status: MessageStatus): void {
    this.sql.exec('DELETE FROM outbox WHERE message_id = ?', row.messageId);
    this.sql.exec(
      `INSERT INTO outbound (message_id, wamid, person_id, sale_type, status) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (message_id) DO UPDATE SET wamid = excluded.wamid, status = excluded.status`,
      row.messageId,
      wamid,
      row.personId,
      row.saleType,
      status,
    );
  }

  // --- outbound statuses ---

  findOutbound(wamid: string, messageId: string | undefined): OutboundRow | null {
    const byWamid = this.sql.exec<Row>('SELECT * FROM outbound WHERE wamid = ?', wamid).toArray()[0];
    if (byWamid) return toOutbound(byWamid);
    if (!messageId) return null;
    // A send whose answer never came (timeout) has no wamid yet: Meta echoes our id back in the status.
    const byId = this.sql
      .exec<Row>('SELECT * FROM outbound WHERE message_id = ? AND wamid IS NULL', messageId)
      .toArray()[0];
    return byId ? toOutbound(byId) : null;
  }

  setOutbound(messageId: string, wamid: string, status: MessageStatus): void {
    this.sql.exec('UPDATE outbound SET wamid = ?, status = ? WHERE message_id = ?', wamid, status, messageId);
  }

  keepOrphan(wamid: string, status: string, payload: string): void {
    // Meta stops retrying after about a week; a status still unmatched after a month belongs to no send of ours.
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

function toOutbox(r: Row): OutboxRow {
  return {
    messageId: String(r.message_id),
    personId: String(r.person_id),
    saleType: r.sale_type as SaleType,
    content: JSON.parse(String(r.content)) as OutboundContent,
    state: r.state === 'sending' ? 'sending' : 'queued',
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
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
