// Meta's side of Embedded Signup, played in sandbox mode: the businesses, WABAs and numbers its dialog hands out,
// the codes (30 seconds, used once) and the business tokens they become, each number's two-step PIN, the apps
// subscribed to each WABA, faults queued per number and step, and every call received. One MetaSandbox instance
// ("business") keeps it all, as these ids are global at Meta.
import { SIGNUP_CODE_TTL_MS } from '#common/whatsapp-signup';
import { ddl, migrateSchema, type Schema } from '../durable/schema-versions';
import type { SignupFault, SignupFaultStep } from './signup-controls';

export const SANDBOX_BUSINESS_OBJECT = 'business';

/** Meta's business tokens from Embedded Signup's "60 days" configuration. */
export const BUSINESS_TOKEN_TTL_SECONDS = 60 * 24 * 3600;

export const SIGNUP_SANDBOX_SCHEMA: Schema = {
  name: 'meta_sandbox_signup',
  steps: [
    ddl(`
      CREATE TABLE IF NOT EXISTS signup_numbers (
        phone_number_id TEXT PRIMARY KEY, waba_id TEXT NOT NULL, business_id TEXT NOT NULL,
        display_phone_number TEXT NOT NULL, verified_name TEXT NOT NULL, pin TEXT, registered_at INTEGER);
      CREATE TABLE IF NOT EXISTS signup_codes (
        code TEXT PRIMARY KEY, phone_number_id TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER);
      CREATE TABLE IF NOT EXISTS signup_tokens (
        token TEXT PRIMARY KEY, waba_id TEXT NOT NULL, expires_at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS signup_subscriptions (waba_id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS signup_faults (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, phone_number_id TEXT NOT NULL, step TEXT NOT NULL, fault TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS signup_calls (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, step TEXT NOT NULL, object_id TEXT NOT NULL, body TEXT, status INTEGER NOT NULL,
        at INTEGER NOT NULL);
    `),
  ],
};

export interface SignupNumber {
  phoneNumberId: string;
  wabaId: string;
  businessId: string;
  displayPhoneNumber: string;
  verifiedName: string;
  pin: string | null;
  registeredAt: number | null;
}

export interface SignupCall {
  step: SignupFaultStep;
  /** The number, WABA or code the call was about. */
  objectId: string;
  /** The request body as received, or the query for GETs (the secret left out). */
  body: string | null;
  status: number;
  at: number;
}

type NumberRow = {
  phone_number_id: string;
  waba_id: string;
  business_id: string;
  display_phone_number: string;
  verified_name: string;
  pin: string | null;
  registered_at: number | null;
};

const numberOf = (r: NumberRow): SignupNumber => ({
  phoneNumberId: r.phone_number_id,
  wabaId: r.waba_id,
  businessId: r.business_id,
  displayPhoneNumber: r.display_phone_number,
  verifiedName: r.verified_name,
  pin: r.pin,
  registeredAt: r.registered_at,
});

export class SignupSandboxStore {
  private ready = false;
  private readonly sql: SqlStorage;

  constructor(private readonly storage: DurableObjectStorage) {
    this.sql = storage.sql;
  }

  private db(): SqlStorage {
    if (!this.ready) {
      migrateSchema(this.storage, SIGNUP_SANDBOX_SCHEMA);
      this.ready = true;
    }
    return this.sql;
  }

  /** What the dialog hands back on FINISH: a number under a WABA (a new one, or one handed out before) and a code. */
  issue(n: Omit<SignupNumber, 'pin' | 'registeredAt'>, code: string, now: number): void {
    const sql = this.db();
    sql.exec(
      `INSERT INTO signup_numbers (phone_number_id, waba_id, business_id, display_phone_number, verified_name)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (phone_number_id) DO NOTHING`,
      n.phoneNumberId,
      n.wabaId,
      n.businessId,
      n.displayPhoneNumber,
      n.verifiedName,
    );
    sql.exec(
      'INSERT INTO signup_codes (code, phone_number_id, expires_at) VALUES (?, ?, ?)',
      code,
      n.phoneNumberId,
      now + SIGNUP_CODE_TTL_MS,
    );
  }

  number(phoneNumberId: string): SignupNumber | null {
    const row = this.db()
      .exec<NumberRow>('SELECT * FROM signup_numbers WHERE phone_number_id = ?', phoneNumberId)
      .toArray()[0];
    return row ? numberOf(row) : null;
  }

  /** The numbers handed out under a WABA, oldest first. */
  numbersOf(wabaId: string): string[] {
    return this.db()
      .exec<{ phone_number_id: string }>(
        'SELECT phone_number_id FROM signup_numbers WHERE waba_id = ? ORDER BY rowid',
        wabaId,
      )
      .toArray()
      .map((r) => r.phone_number_id);
  }

  /** A WABA handed out before (a company connecting a further number keeps its WABA). */
  wabaBusiness(wabaId: string): string | null {
    const row = this.db()
      .exec<{ business_id: string }>('SELECT business_id FROM signup_numbers WHERE waba_id = ? LIMIT 1', wabaId)
      .toArray()[0];
    return row?.business_id ?? null;
  }

  /** The number a code was given for, without spending it (a fault answers before Meta looks at the code). */
  codeNumber(code: string): string | null {
    const row = this.db()
      .exec<{ phone_number_id: string }>('SELECT phone_number_id FROM signup_codes WHERE code = ?', code)
      .toArray()[0];
    return row?.phone_number_id ?? null;
  }

  /** The code's number, or why Meta refuses it. Using it spends it, as Meta's codes are single-use. */
  redeem(
    code: string,
    now: number,
  ): { ok: true; number: SignupNumber } | { ok: false; why: 'unknown' | 'expired' | 'used' } {
    const sql = this.db();
    const row = sql
      .exec<{ phone_number_id: string; expires_at: number; used_at: number | null }>(
        'SELECT phone_number_id, expires_at, used_at FROM signup_codes WHERE code = ?',
        code,
      )
      .toArray()[0];
    if (!row) return { ok: false, why: 'unknown' };
    if (row.used_at !== null) return { ok: false, why: 'used' };
    if (row.expires_at < now) return { ok: false, why: 'expired' };
    const number = this.number(row.phone_number_id);
    if (!number) return { ok: false, why: 'unknown' };
    sql.exec('UPDATE signup_codes SET used_at = ? WHERE code = ?', now, code);
    return { ok: true, number };
  }

  /** Makes a code run out now, as 30 seconds passing would. */
  expireCode(code: string): void {
    this.db().exec('UPDATE signup_codes SET expires_at = 0 WHERE code = ?', code);
  }

  saveToken(token: string, wabaId: string, expiresAt: number): void {
    this.db().exec('INSERT INTO signup_tokens (token, waba_id, expires_at) VALUES (?, ?, ?)', token, wabaId, expiresAt);
  }

  /** The WABA a business token opens, while it lives. */
  tokenWaba(token: string, now: number): string | null {
    const row = this.db()
      .exec<{ waba_id: string; expires_at: number }>(
        'SELECT waba_id, expires_at FROM signup_tokens WHERE token = ?',
        token,
      )
      .toArray()[0];
    return row && row.expires_at >= now ? row.waba_id : null;
  }

  register(phoneNumberId: string, pin: string, now: number): void {
    this.db().exec(
      'UPDATE signup_numbers SET pin = ?, registered_at = ? WHERE phone_number_id = ?',
      pin,
      now,
      phoneNumberId,
    );
  }

  /** A number whose owner set a two-step PIN before (in WhatsApp Manager): register must give that one. */
  setPin(phoneNumberId: string, pin: string): void {
    this.db().exec('UPDATE signup_numbers SET pin = ? WHERE phone_number_id = ?', pin, phoneNumberId);
  }

  subscribe(wabaId: string, now: number): void {
    this.db().exec(
      'INSERT INTO signup_subscriptions (waba_id, at) VALUES (?, ?) ON CONFLICT (waba_id) DO UPDATE SET at = excluded.at',
      wabaId,
      now,
    );
  }

  subscribed(wabaId: string): boolean {
    return this.db().exec('SELECT 1 FROM signup_subscriptions WHERE waba_id = ?', wabaId).toArray().length > 0;
  }

  queueFaults(phoneNumberId: string, faults: readonly SignupFault[]): void {
    const sql = this.db();
    for (const f of faults)
      for (let i = 0; i < (f.times ?? 1); i++)
        sql.exec(
          'INSERT INTO signup_faults (phone_number_id, step, fault) VALUES (?, ?, ?)',
          phoneNumberId,
          f.step,
          JSON.stringify(f),
        );
  }

  /** The next fault queued for this number and step, taken (each answers one call). */
  takeFault(phoneNumberId: string, step: SignupFaultStep): SignupFault | null {
    const sql = this.db();
    const row = sql
      .exec<{ seq: number; fault: string }>(
        'SELECT seq, fault FROM signup_faults WHERE phone_number_id = ? AND step = ? ORDER BY seq LIMIT 1',
        phoneNumberId,
        step,
      )
      .toArray()[0];
    if (!row) return null;
    sql.exec('DELETE FROM signup_faults WHERE seq = ?', row.seq);
    return JSON.parse(row.fault) as SignupFault;
  }

  recordCall(call: SignupCall): void {
    this.db().exec(
      'INSERT INTO signup_calls (step, object_id, body, status, at) VALUES (?, ?, ?, ?, ?)',
      call.step,
      call.objectId,
      call.body,
      call.status,
      call.at,
    );
  }

  calls(objectIds: readonly string[]): SignupCall[] {
    return this.db()
      .exec<{ step: SignupFaultStep; object_id: string; body: string | null; status: number; at: number }>(
        'SELECT step, object_id, body, status, at FROM signup_calls ORDER BY seq',
      )
      .toArray()
      .filter((r) => objectIds.includes(r.object_id))
      .map((r) => ({ step: r.step, objectId: r.object_id, body: r.body, status: r.status, at: r.at }));
  }
}
