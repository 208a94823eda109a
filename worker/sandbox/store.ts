import { ddl, type Schema } from '../durable/schema-versions';
import type { SendBody } from '../whatsapp/meta/send-schema';
import { DEFAULT_SETTINGS, faultSchema, type SandboxFault, type SandboxSettings, settingsSchema } from './controls';
import { parseSentBody } from './graph-messages';
import { MEDIA_PART_BYTES, type SandboxUpload } from './uploads';

// The simulator's SQLite tables (one set per MetaSandbox object) and typed access to them.

const FIRST_VERSION = `
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, wamid TEXT NOT NULL UNIQUE, to_number TEXT NOT NULL, type TEXT NOT NULL,
  raw_body TEXT NOT NULL, callback_data TEXT, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS read_receipts (seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, due_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (due_at);
CREATE TABLE IF NOT EXISTS deliveries (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, signature TEXT NOT NULL, status INTEGER NOT NULL,
  attempt INTEGER NOT NULL, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS faults (seq INTEGER PRIMARY KEY AUTOINCREMENT, fault TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS failing_recipients (to_number TEXT PRIMARY KEY, code INTEGER NOT NULL, title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS media (id TEXT PRIMARY KEY, mime_type TEXT NOT NULL, sha256 TEXT NOT NULL, file_size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS templates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, language TEXT NOT NULL,
  category TEXT NOT NULL, status TEXT NOT NULL, parameter_format TEXT, components TEXT NOT NULL, rejected_reason TEXT,
  UNIQUE (name, language));
`;

/** The simulator's tables, step by step (rules in worker/durable/schema-versions.ts: never edit a shipped step). */
export const SANDBOX_SCHEMA: Schema = {
  name: 'meta_sandbox',
  steps: [
    ddl(FIRST_VERSION),
    // 2. Uploaded files (uploads.ts): their bytes in parts under SQLite's 2 MB row limit, and each upload.
    ddl(`
      CREATE TABLE IF NOT EXISTS media_bytes (id TEXT NOT NULL, part INTEGER NOT NULL, bytes BLOB NOT NULL,
        PRIMARY KEY (id, part));
      CREATE TABLE IF NOT EXISTS uploads (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, media_id TEXT NOT NULL, phone_number_id TEXT NOT NULL,
        mime_type TEXT NOT NULL, size INTEGER NOT NULL, filename TEXT, at INTEGER NOT NULL);
    `),
  ],
};

const TABLES = [
  'settings',
  'messages',
  'read_receipts',
  'outbox',
  'deliveries',
  'faults',
  'failing_recipients',
  'media',
  'templates',
  'media_bytes',
  'uploads',
];

export interface SandboxMessage {
  wamid: string;
  /** As the request gave it. */
  to: string;
  type: SendBody['type'];
  /** The request body exactly as received. */
  rawBody: string;
  request: SendBody;
  callbackData: string | null;
  at: number;
}

export interface ReadReceipt {
  messageId: string;
  at: number;
}

export interface WebhookDelivery {
  /** The exact bytes POSTed (ASCII only, see meta-json.ts). */
  body: string;
  /** The X-Hub-Signature-256 header sent with them. */
  signature: string;
  /** The receiver's HTTP status, 0 when the request failed. */
  status: number;
  attempt: number;
  at: number;
}

export type OutboxRow = {
  seq: number;
  body: string;
  due_at: number;
  attempts: number;
};

export type TemplateRow = {
  id: string;
  name: string;
  language: string;
  category: string;
  status: string;
  parameter_format: string | null;
  components: string;
  rejected_reason: string | null;
};

export class SandboxStore {
  constructor(private readonly sql: SqlStorage) {}

  clear(): void {
    for (const table of TABLES) this.sql.exec(`DELETE FROM ${table}`);
  }

  private getValue(key: string): string | null {
    const row = this.sql.exec<{ value: string }>('SELECT value FROM settings WHERE key = ?', key).toArray()[0];
    return row?.value ?? null;
  }

  private putValue(key: string, value: string): void {
    this.sql.exec(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      key,
      value,
    );
  }

  settings(): SandboxSettings {
    const stored = this.getValue('settings');
    const parsed = stored ? settingsSchema.safeParse(JSON.parse(stored)) : null;
    return parsed?.success ? parsed.data : DEFAULT_SETTINGS;
  }

  saveSettings(settings: SandboxSettings): void {
    this.putValue('settings', JSON.stringify(settings));
  }

  recordMessage(m: Omit<SandboxMessage, 'request'>): void {
    this.sql.exec(
      'INSERT INTO messages (wamid, to_number, type, raw_body, callback_data, at) VALUES (?, ?, ?, ?, ?, ?)',
      m.wamid,
      m.to,
      m.type,
      m.rawBody,
      m.callbackData,
      m.at,
    );
  }

  messages(): SandboxMessage[] {
    type Row = {
      wamid: string;
      to_number: string;
      type: string;
      raw_body: string;
      callback_data: string | null;
      at: number;
    };
    return this.sql
      .exec<Row>('SELECT wamid, to_number, type, raw_body, callback_data, at FROM messages ORDER BY seq')
      .toArray()
      .map((r) => {
        const json: unknown = JSON.parse(r.raw_body);
        const request = parseSentBody(json);
        return {
          wamid: r.wamid,
          to: r.to_number,
          type: request.type,
          rawBody: r.raw_body,
          request,
          callbackData: r.callback_data,
          at: r.at,
        };
      });
  }

  recordReadReceipt(messageId: string, at: number): void {
    this.sql.exec('INSERT INTO read_receipts (message_id, at) VALUES (?, ?)', messageId, at);
  }

  readReceipts(): ReadReceipt[] {
    return this.sql
      .exec<{ message_id: string; at: number }>('SELECT message_id, at FROM read_receipts ORDER BY seq')
      .toArray()
      .map((r) => ({ messageId: r.message_id, at: r.at }));
  }

  enqueue(body: string, dueAt: number): void {
    this.sql.exec('INSERT INTO outbox (body, due_at) VALUES (?, ?)', body, dueAt);
  }

  dueWebhooks(now: number): OutboxRow[] {
    return this.sql
      .exec<OutboxRow>('SELECT seq, body, due_at, attempts FROM outbox WHERE due_at <= ? ORDER BY due_at, seq', now)
      .toArray();
  }

  /** Takes every queued webhook out of the outbox, so nothing else delivers them meanwhile. */
  takeAllWebhooks(): OutboxRow[] {
    const rows = this.sql.exec<OutboxRow>('SELECT seq, body, due_at, attempts FROM outbox ORDER BY seq').toArray();
    this.sql.exec('DELETE FROM outbox');
    return rows;
  }

  pendingWebhookCount(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM outbox').one().n;
  }

  nextDueAt(): number | null {
    return this.sql.exec<{ due: number | null }>('SELECT MIN(due_at) AS due FROM outbox').one().due;
  }

  removeWebhook(seq: number): void {
    this.sql.exec('DELETE FROM outbox WHERE seq = ?', seq);
  }

  rescheduleWebhook(seq: number, dueAt: number, attempts: number): void {
    this.sql.exec('UPDATE outbox SET due_at = ?, attempts = ? WHERE seq = ?', dueAt, attempts, seq);
  }

  recordDelivery(d: WebhookDelivery): void {
    this.sql.exec(
      'INSERT INTO deliveries (body, signature, status, attempt, at) VALUES (?, ?, ?, ?, ?)',
      d.body,
      d.signature,
      d.status,
      d.attempt,
      d.at,
    );
  }

  deliveries(): WebhookDelivery[] {
    return this.sql
      .exec<{ body: string; signature: string; status: number; attempt: number; at: number }>(
        'SELECT body, signature, status, attempt, at FROM deliveries ORDER BY seq',
      )
      .toArray()
      .map((r) => ({ body: r.body, signature: r.signature, status: r.status, attempt: r.attempt, at: r.at }));
  }

  queueFaults(faults: SandboxFault[]): number {
    for (const f of faults) this.sql.exec('INSERT INTO faults (fault) VALUES (?)', JSON.stringify(f));
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM faults').one().n;
  }

  /** FIFO: the oldest queued fault, removed as it is used. */
  takeFault(): SandboxFault | null {
    const row = this.sql
      .exec<{ seq: number; fault: string }>('SELECT seq, fault FROM faults ORDER BY seq LIMIT 1')
      .toArray()[0];
    if (!row) return null;
    this.sql.exec('DELETE FROM faults WHERE seq = ?', row.seq);
    return faultSchema.parse(JSON.parse(row.fault));
  }

  failRecipient(to: string, code: number, title: string): void {
    this.sql.exec(
      'INSERT INTO failing_recipients (to_number, code, title) VALUES (?, ?, ?) ON CONFLICT (to_number) DO UPDATE SET code = excluded.code, title = excluded.title',
      to,
      code,
      title,
    );
  }

  failureFor(to: string): { code: number; title: string } | null {
    const row = this.sql
      .exec<{ code: number; title: string }>('SELECT code, title FROM failing_recipients WHERE to_number = ?', to)
      .toArray()[0];
    return row ?? null;
  }

  putMedia(m: { id: string; mime_type: string; sha256: string; file_size: number }): void {
    this.sql.exec(
      'INSERT INTO media (id, mime_type, sha256, file_size) VALUES (?, ?, ?, ?)',
      m.id,
      m.mime_type,
      m.sha256,
      m.file_size,
    );
  }

  putMediaBytes(id: string, bytes: Uint8Array): void {
    for (let part = 0; part * MEDIA_PART_BYTES < bytes.byteLength || part === 0; part++)
      this.sql.exec(
        'INSERT INTO media_bytes (id, part, bytes) VALUES (?, ?, ?)',
        id,
        part,
        bytes.slice(part * MEDIA_PART_BYTES, (part + 1) * MEDIA_PART_BYTES).buffer,
      );
  }

  /** An uploaded file's bytes, or null for media the simulator only describes (inbound stand-ins). */
  mediaBytes(id: string): Uint8Array | null {
    const parts = this.sql
      .exec<{ bytes: ArrayBuffer }>('SELECT bytes FROM media_bytes WHERE id = ? ORDER BY part', id)
      .toArray();
    if (parts.length === 0) return null;
    const out = new Uint8Array(parts.reduce((n, p) => n + p.bytes.byteLength, 0));
    let at = 0;
    for (const p of parts) {
      out.set(new Uint8Array(p.bytes), at);
      at += p.bytes.byteLength;
    }
    return out;
  }

  recordUpload(u: SandboxUpload): void {
    this.sql.exec(
      'INSERT INTO uploads (media_id, phone_number_id, mime_type, size, filename, at) VALUES (?, ?, ?, ?, ?, ?)',
      u.mediaId,
      u.phoneNumberId,
      u.mimeType,
      u.size,
      u.filename,
      u.at,
    );
  }

  uploads(): SandboxUpload[] {
    type Row = {
      media_id: string;
      phone_number_id: string;
      mime_type: string;
      size: number;
      filename: string | null;
      at: number;
    };
    return this.sql
      .exec<Row>('SELECT media_id, phone_number_id, mime_type, size, filename, at FROM uploads ORDER BY seq')
      .toArray()
      .map((r) => ({
        mediaId: r.media_id,
        phoneNumberId: r.phone_number_id,
        mimeType: r.mime_type,
        size: r.size,
        filename: r.filename,
        at: r.at,
      }));
  }

  media(id: string): { id: string; mime_type: string; sha256: string; file_size: number } | null {
    const row = this.sql
      .exec<{ id: string; mime_type: string; sha256: string; file_size: number }>(
        'SELECT id, mime_type, sha256, file_size FROM media WHERE id = ?',
        id,
      )
      .toArray()[0];
    return row ?? null;
  }

  templates(): TemplateRow[] {
    return this.sql
      .exec<TemplateRow>(
        'SELECT id, name, language, category, status, parameter_format, components, rejected_reason FROM templates ORDER BY seq',
      )
      .toArray();
  }

  insertTemplate(t: TemplateRow): boolean {
    // RETURNING tells whether the row went in; rowsWritten also counts index work.
    const cursor = this.sql.exec(
      `INSERT INTO templates (id, name, language, category, status, parameter_format, components, rejected_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name, language) DO NOTHING RETURNING id`,
      t.id,
      t.name,
      t.language,
      t.category,
      t.status,
      t.parameter_format,
      t.components,
      t.rejected_reason,
    );
    return cursor.toArray().length > 0;
  }

  deleteTemplates(name: string, id?: string): number {
    if (id !== undefined)
      return this.sql.exec('DELETE FROM templates WHERE name = ? AND id = ? RETURNING id', name, id).toArray().length;
    return this.sql.exec('DELETE FROM templates WHERE name = ? RETURNING id', name).toArray().length;
  }

  setTemplateStatusById(id: string, status: string, reason: string | null): void {
    this.sql.exec('UPDATE templates SET status = ?, rejected_reason = ? WHERE id = ?', status, reason, id);
  }

  setTemplateCategory(name: string, language: string | undefined, category: string): TemplateRow[] {
    const before = this.templates().filter(
      (t) => t.name === name && (language === undefined || t.language === language),
    );
    for (const t of before) this.sql.exec('UPDATE templates SET category = ? WHERE id = ?', category, t.id);
    return before;
  }

  setTemplateStatus(name: string, language: string | undefined, status: string, reason: string | null): TemplateRow[] {
    if (language === undefined) {
      this.sql.exec('UPDATE templates SET status = ?, rejected_reason = ? WHERE name = ?', status, reason, name);
    } else {
      this.sql.exec(
        'UPDATE templates SET status = ?, rejected_reason = ? WHERE name = ? AND language = ?',
        status,
        reason,
        name,
        language,
      );
    }
    return this.templates().filter((t) => t.name === name && (language === undefined || t.language === language));
  }
}
