import { DurableObject } from 'cloudflare:workers';
import type { AuditBy } from '../audit/record';
import type { Actor } from '../auth/actor';
import { sandboxEnabled } from '../config';
import { companyDatabase } from '../db/company-data';
import { hasTables, migrateSchema } from '../durable/schema-versions';
import { newId } from '../ids';
import { notifyMessage, notifyStatus } from '../realtime/notify';
import { AWAY_REPLY_ACTOR, AWAY_REPLY_EVERY_MS, AWAY_REPLY_MAX_AGE_MS } from './away-reply';
import { CachedKv } from './cached-kv';
import { encodeCallbackData } from './callback-data';
import { CONVERSATION_SCHEMA, CONVERSATION_TABLES, ConversationStore, type OutboxRow } from './conversation-store';
import { erasureStatements, failErasedSend } from './erasure-writes';
import type { NoteError } from './history-writes';
import * as writes from './history-writes';
import { metaApiFor } from './meta';
import type { MetaError, OutboundContent, SendOutcome } from './meta/types';
import type { StatusUpdate } from './meta/webhook-schema';
import * as policy from './policy';
import { credentialsOf, type LoadedSend, loadSendFacts, waIdOf, windowOpenIn } from './send-facts';

export interface SendCommand {
  /** Fixed by the caller (an Idempotency-Key pins it): sending the same id twice sends once. */
  messageId: string;
  companyId: string;
  personId: string;
  saleType: policy.SaleType;
  content: OutboundContent;
  actor: Actor;
}

export type SendResult = { ok: true; messageId: string } | { ok: false; refusal: policy.Refusal };

export interface AwayReplyCommand {
  companyId: string;
  personId: string;
  /** The sale type the inbound message was stored with: the reply counts toward it. */
  saleType: policy.SaleType;
  content: OutboundContent;
  /** Meta's time of the message it answers: a reply that would come an hour late is not sent. */
  occurredAt: number;
}

export interface StatusCommand {
  companyId: string;
  personId: string;
  status: StatusUpdate;
  /** The status's timestamp, already clamped to our clock. */
  at: number;
  /** Our message id from the callback data, when Meta echoed it. */
  messageId?: string;
}

export interface EraseCommand {
  companyId: string;
  personId: string;
  by: AuditBy;
  /** The person was already erased when the request read them. */
  repeat: boolean;
}

interface FreshFacts {
  messageId: string;
  loaded: LoadedSend;
}

const KV = {
  companyId: 'company_id',
  personId: 'person_id',
  // Meta's window as objects kept it before it moved to D1 (migrations/0030): no longer written, still honoured
  // (legacyWindowOpen) until it expires, a day after the deploy.
  /** The last inbound time on the company's first number (objects from before several numbers knew only it). */
  lastInboundAt: 'last_inbound_at',
  /** The last inbound time on each other number: { [phone_number_id]: ms }. */
  lastInboundByNumber: 'last_inbound_by_number',
  /** The phone the window was opened for. */
  windowPhone: 'window_phone',
  alarmAt: 'alarm_at',
  /** When the club's away reply last went to this person (away-reply.ts): once per 12 hours. */
  awayReplyAt: 'away_reply_at',
} as const;

const INTERNAL_ERROR = 'internal_error';

const ERASED_REFUSAL: policy.Refusal = {
  status: 422,
  code: 'person_erased',
  message: "This person's data was erased at their request while the message was being sent; it was not sent",
};

/**
 * One object per conversation (company + person). It sends in order with retries, deciding each send against
 * the 24-hour window D1 keeps (inbound messages are stored by webhook ingest in one D1 batch, inbound-store.ts,
 * without a call here), and sends a club's away reply at most once per 12 hours. Status changes are decided by
 * D1 in guarded batches (history-writes.statusChange), so calls that interleave at an await, or repeat after a
 * lost answer, still count once and never move backwards.
 */
export class Conversation extends DurableObject<Env> {
  private readonly sqlStore: ConversationStore;
  /** Whether this instance has brought its SQLite tables up to date (the schema's steps run once per instance). */
  private migrated = false;
  private readonly kv: CachedKv;
  private draining: Promise<void> | undefined;
  /**
   * Erasures in progress, and a count bumped when one starts and when it ends. A call that read the person
   * before awaiting compares the count after: if it moved, or one is running, what it read may predate the
   * erasure (only this instance erases this person, so memory is enough).
   */
  private erasing = 0;
  private erasureMarks = 0;
  /** Away replies on their way (awayReply): tests wait for them to know that none is left to come. */
  readonly awayReplies = new Set<Promise<void>>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sqlStore = new ConversationStore(ctx.storage.sql);
    this.kv = new CachedKv(ctx.storage.kv);
    ctx.blockConcurrencyWhile(async () => {
      // A new object makes its tables when it first sends (the store getter): a person who only writes to us
      // costs none (making them was about a twelfth of an inbound message's server CPU in the ingest benchmark).
      if (!hasTables(ctx.storage, CONVERSATION_TABLES)) return;
      // A send left 'sending' or 'answered' by an earlier instance must be settled even if nobody writes again.
      const head = this.store.head();
      if (head && head.state !== 'queued') await ctx.storage.setAlarm(Date.now());
    });
  }

  /** The outbox and outbound rows, their tables made or upgraded on first use (synchronously: no call slips in). */
  private get store(): ConversationStore {
    if (!this.migrated) {
      migrateSchema(this.ctx.storage, CONVERSATION_SCHEMA);
      this.migrated = true;
    }
    return this.sqlStore;
  }

  // --- away replies ---------------------------------------------------------------------------------

  /**
   * The club's away reply to a message outside its hours (away-reply.ts; webhook ingest stored the message and
   * found it due), at most once per 12 hours: decided here, with nothing awaited between the check and the mark,
   * so two messages at once send one. It goes through send(), which refuses it for an opted-out or erased person
   * like any other message, and is not awaited: the webhook's answer waits for the message to be stored, not for
   * Meta to take the reply.
   */
  async awayReply(cmd: AwayReplyCommand): Promise<void> {
    this.remember(cmd.companyId, cmd.personId);
    const now = Date.now();
    if (now - cmd.occurredAt > AWAY_REPLY_MAX_AGE_MS) return;
    const last = this.kv.get<number>(KV.awayReplyAt);
    if (last !== undefined && now - last < AWAY_REPLY_EVERY_MS) return;
    this.kv.put(KV.awayReplyAt, now);
    const reply = this.send({
      messageId: newId('his'),
      companyId: cmd.companyId,
      personId: cmd.personId,
      saleType: cmd.saleType,
      content: cmd.content,
      actor: AWAY_REPLY_ACTOR,
    })
      .then((result) => {
        if (!result.ok) console.log('away reply not sent', cmd.personId, result.refusal.code);
      })
      .finally(() => this.awayReplies.delete(reply));
    this.awayReplies.add(reply);
    this.ctx.waitUntil(reply);
  }

  // --- outbound -----------------------------------------------------------------------------------

  async send(cmd: SendCommand): Promise<SendResult> {
    this.remember(cmd.companyId, cmd.personId);
    const marks = this.erasureMarks;
    if (this.store.has(cmd.messageId)) return { ok: true, messageId: cmd.messageId };
    const loaded = await loadSendFacts(this.env, cmd.companyId, cmd.personId, cmd.content);
    if (!loaded) return { ok: false, refusal: { status: 422, code: 'no_person', message: 'Person not found' } };
    const refusal = policy.sendRefusal({ ...loaded.facts, windowOpen: this.windowOpenFor(loaded) });
    if (refusal) return { ok: false, refusal };
    const phone = loaded.person.phone;
    if (!phone) return { ok: false, refusal: { status: 422, code: 'no_phone', message: 'No phone number' } };
    const now = Date.now();
    await writes
      .insertOutboundNote(companyDatabase(this.env, this.companyId()), {
        noteId: cmd.messageId,
        companyId: cmd.companyId,
        personId: cmd.personId,
        saleType: cmd.saleType,
        // A template filled in for this person: every retry sends (and the history shows) these same values.
        content: loaded.content,
        actor: cmd.actor,
        at: now,
      })
      .run();
    // Asked again after the awaits: a call for the same id may have queued (or even sent and finished) it
    // meanwhile. From this check to enqueue() nothing awaits, so the id is queued once.
    if (this.store.has(cmd.messageId)) return { ok: true, messageId: cmd.messageId };
    if (this.erasureRaced(marks)) {
      // The person was read before an erasure that ran while we awaited: our note may have landed after its
      // batch, text and all. It fails without its text, and nothing is queued.
      await failErasedSend(companyDatabase(this.env, this.companyId()), cmd.messageId, Date.now()).run();
      return { ok: false, refusal: ERASED_REFUSAL };
    }
    this.ctx.waitUntil(notifyMessage(this.env, cmd.companyId, cmd.personId, cmd.messageId));
    this.store.enqueue({
      messageId: cmd.messageId,
      personId: cmd.personId,
      saleType: cmd.saleType,
      content: loaded.content,
      phone,
      nextAttemptAt: now,
    });
    await this.drain(now, { messageId: cmd.messageId, loaded });
    return { ok: true, messageId: cmd.messageId };
  }

  override async alarm(): Promise<void> {
    // The alarm firing means the head of the queue is due, even when a test runs it early.
    const alarmAt = this.kv.get<number>(KV.alarmAt) ?? 0;
    this.kv.delete(KV.alarmAt);
    await this.drain(Math.max(Date.now(), alarmAt));
  }

  /**
   * Sends due messages one at a time, in order; a message waiting to retry holds back those behind it.
   * `fresh` carries the facts send() has just read for its message, so its first attempt need not read them
   * again; after waiting behind another drain they may be stale, so they are dropped.
   */
  private async drain(dueBy: number, fresh?: FreshFacts): Promise<void> {
    let reusable = fresh;
    while (this.draining) {
      reusable = undefined;
      await this.draining;
    }
    this.draining = this.drainLoop(dueBy, reusable).finally(() => {
      this.draining = undefined;
    });
    await this.draining;
  }

  private async drainLoop(dueBy: number, fresh: FreshFacts | undefined): Promise<void> {
    for (let head = this.store.head(); head; head = this.store.head()) {
      if (head.state === 'queued' && head.nextAttemptAt > dueBy) {
        await this.scheduleAlarm(head.nextAttemptAt);
        return;
      }
      try {
        await this.attempt(head, head.messageId === fresh?.messageId ? fresh.loaded : undefined);
      } catch (err) {
        console.error('conversation send attempt failed on our side', head.messageId, err);
        if (!(await this.afterInternalFailure(head.messageId, err))) return;
      }
    }
  }

  /**
   * D1, decryption or a bad row failed us. Before Meta has the message it is retried with backoff and, after
   * policy.MAX_INTERNAL_FAILURES, failed with `internal_error` so the messages behind it can go. A message
   * Meta may have (in flight or answered) is never sent again. Returns whether the drain may go on.
   */
  private async afterInternalFailure(messageId: string, err: unknown): Promise<boolean> {
    // A row left 'sending' settles as unknown on the next try; an 'answered' one is settled again.
    const row = this.store.get(messageId);
    if (!row) return true;
    const failures = row.internalFailures + 1;
    const nextAt = Date.now() + policy.internalRetryDelayMs(failures);
    this.store.noteInternalFailure(messageId, nextAt);
    if (row.state === 'queued' && failures >= policy.MAX_INTERNAL_FAILURES) {
      try {
        await this.finishFailed(row, { code: INTERNAL_ERROR, title: 'Failed on our side', message: errorText(err) });
        return true;
      } catch (finishErr) {
        console.error('conversation could not record an internal failure', messageId, finishErr);
      }
    }
    if (row.state === 'queued') this.store.reschedule(messageId, nextAt);
    await this.scheduleAlarm(nextAt);
    return false;
  }

  private async attempt(stored: OutboxRow, prefetched: LoadedSend | undefined): Promise<void> {
    let row = stored;
    if (row.state === 'answered' && row.outcome) {
      await this.settle(row, row.outcome);
      return;
    }
    if (row.state !== 'queued') {
      // We were stopped while Meta had the request. Meta has no idempotency key: resending could
      // deliver twice, so the outcome stays unknown until a status (matched by callback data) tells us.
      await this.finishUnknown(row, { code: 'interrupted', title: 'Interrupted while sending; not resent' });
      return;
    }
    if (!row.content) throw new Error(`outbox row ${row.messageId} does not parse`);
    const loaded = prefetched ?? (await loadSendFacts(this.env, this.companyId(), row.personId, row.content));
    if (row.phone === null && loaded?.person.phone) {
      // Queued by the first version, which sent to the person's phone of the moment: pinned to it now.
      this.store.pinPhone(row.messageId, loaded.person.phone);
      row = { ...row, phone: loaded.person.phone };
    }
    const refusal = this.refusalNow(row, loaded);
    if (refusal || !loaded?.person.phone) {
      const reason = refusal ?? { code: 'no_phone', message: 'This person has no phone number' };
      await this.finishFailed(row, { code: reason.code, title: reason.message });
      return;
    }
    const credentials = await credentialsOf(this.env, loaded);
    if (!credentials) {
      await this.finishFailed(row, { code: 'whatsapp_disabled', title: 'WhatsApp is not configured' });
      return;
    }
    // An erasure while this attempt awaited took the message out of the outbox: it must not go. From this
    // check to the call to Meta nothing awaits.
    if (this.store.get(row.messageId)?.state !== 'queued') return;
    this.store.markSending(row.messageId);
    const outcome = await metaApiFor(this.env).sendMessage(credentials, {
      to: loaded.person.waId ?? waIdOf(loaded.person.phone),
      content: loaded.content,
      callbackData: encodeCallbackData({ messageId: row.messageId, personId: row.personId }),
    });
    this.store.recordOutcome(row.messageId, outcome);
    await this.settle(row, outcome);
  }

  /** Re-checked before every attempt: a STOP, a closed window or a new number while queued wins over the send. */
  private refusalNow(row: OutboxRow, loaded: LoadedSend | null): policy.Refusal | null {
    if (!loaded) return { status: 422, code: 'no_person', message: 'Person not found' };
    if (loaded.person.phone !== row.phone)
      return {
        status: 409,
        code: 'phone_changed',
        message: "The person's number changed after this message was queued; it was not sent to the new one",
      };
    return policy.sendRefusal({ ...loaded.facts, windowOpen: this.windowOpenFor(loaded) });
  }

  /** Writes Meta's answer to D1 (guarded, so settling twice is harmless) and moves the message on. */
  private async settle(row: OutboxRow, outcome: SendOutcome): Promise<void> {
    const db = companyDatabase(this.env, this.companyId());
    const now = Date.now();
    switch (outcome.kind) {
      case 'accepted': {
        const statements = writes.statusChange(db, {
          noteId: row.messageId,
          status: 'sent',
          at: now,
          wamid: outcome.wamid,
          error: null,
        });
        if (outcome.waId && row.phone)
          statements.push(writes.learnWaId(db, this.companyId(), row.personId, row.phone, outcome.waId));
        await db.batch(statements);
        this.store.finish(row.messageId, outcome.wamid, 'sent');
        this.ctx.waitUntil(notifyStatus(this.env, this.companyId(), row.personId, row.messageId));
        // Statuses that beat Meta's answer here without our callback data were kept; apply them now.
        for (const orphan of this.store.takeOrphans(outcome.wamid)) {
          const status = parseOrphan(orphan.payload);
          if (status) await this.applyStatus({ ...status, companyId: this.companyId(), personId: row.personId });
        }
        return;
      }
      case 'retryable': {
        const attempts = row.attempts + 1;
        if (attempts >= policy.MAX_SEND_ATTEMPTS) {
          await this.finishFailed(row, { ...outcome.error, message: `Gave up after ${attempts} attempts` });
          return;
        }
        const delay = policy.retryDelayMs(attempts, outcome.error.code, outcome.retryAfterMs, Math.random());
        this.store.reschedule(row.messageId, now + delay);
        await this.scheduleAlarm(now + delay);
        return;
      }
      case 'permanent':
        await this.finishFailed(row, outcome.error);
        return;
      case 'unknown':
        await this.finishUnknown(row, outcome.error);
        return;
    }
  }

  private async finishUnknown(row: OutboxRow, error: NoteError): Promise<void> {
    await companyDatabase(this.env, this.companyId()).batch([
      writes.markUnknown(companyDatabase(this.env, this.companyId()), row.messageId, Date.now(), error),
    ]);
    this.store.finish(row.messageId, null, 'unknown');
    this.ctx.waitUntil(notifyStatus(this.env, this.companyId(), row.personId, row.messageId));
  }

  private async finishFailed(row: OutboxRow, error: NoteError): Promise<void> {
    const db = companyDatabase(this.env, this.companyId());
    const now = Date.now();
    const statements = writes.statusChange(db, { noteId: row.messageId, status: 'failed', at: now, error });
    if (error.code === policy.META_ERROR.marketingStopped)
      statements.push(...writes.markMarketingStopped(db, this.companyId(), row.personId, now, row.messageId));
    await db.batch(statements);
    this.store.finish(row.messageId, null, 'failed');
    this.ctx.waitUntil(notifyStatus(this.env, this.companyId(), row.personId, row.messageId));
  }

  // --- erasure on request ----------------------------------------------------------------------------

  /**
   * Erases the person's data (erasure-writes.ts: one D1 batch). Unsent messages leave the outbox first,
   * synchronously, so no attempt starting after this line sends one; a send or attempt that was awaiting
   * meanwhile sees the erasure marks move and stops (send, attempt). Throws if D1 refuses the batch: the caller
   * answers 500 and the request may be repeated (it is idempotent).
   */
  async erase(cmd: EraseCommand): Promise<void> {
    this.remember(cmd.companyId, cmd.personId);
    this.erasing++;
    this.erasureMarks++;
    try {
      const { dropped, inFlight } = this.store.forgetForErasure();
      const db = companyDatabase(this.env, this.companyId());
      await db.batch(erasureStatements(db, { ...cmd, inFlight, now: Date.now() }));
      for (const messageId of dropped)
        this.ctx.waitUntil(notifyStatus(this.env, cmd.companyId, cmd.personId, messageId));
    } finally {
      this.erasing--;
      this.erasureMarks++;
    }
  }

  /** Whether an erasure ran, or is running, since `marks` was read (see `erasing`). */
  private erasureRaced(marks: number): boolean {
    return this.erasing > 0 || this.erasureMarks !== marks;
  }

  // --- delivery statuses --------------------------------------------------------------------------

  async applyStatus(cmd: StatusCommand): Promise<void> {
    this.remember(cmd.companyId, cmd.personId);
    const s = cmd.status;
    const message = this.store.findOutbound(s.id, cmd.messageId);
    if (!message) {
      // Not ours yet (Meta's answer is still on its way) or sent from elsewhere: keep it, never drop it.
      this.store.keepOrphan(s.id, s.status, JSON.stringify({ status: s, at: cmd.at }));
      return;
    }
    // The local status is a lower bound of D1's: when it is already this high, D1 is too.
    if (!policy.shouldApplyStatus(message.status, s.status)) return;
    const db = companyDatabase(this.env, this.companyId());
    const metaError = s.errors?.[0];
    const error: MetaError | undefined = metaError && {
      code: metaError.code,
      title: metaError.title ?? 'Failed',
      message: metaError.message,
      details: metaError.error_data?.details,
    };
    const statements = writes.statusChange(db, {
      noteId: message.messageId,
      status: s.status,
      at: cmd.at,
      wamid: s.id,
      ...(error ? { error } : {}),
    });
    if (error?.code === policy.META_ERROR.marketingStopped)
      statements.push(...writes.markMarketingStopped(db, cmd.companyId, message.personId, cmd.at, s.id));
    await db.batch(statements);
    this.store.raiseOutbound(message.messageId, s.id, s.status);
    this.ctx.waitUntil(notifyStatus(this.env, cmd.companyId, message.personId, message.messageId));
  }

  // --- the sandbox clock ----------------------------------------------------------------------------

  /**
   * Sandbox mode only (the sandbox panel's "Close window", through sandbox/routes.ts, which moves D1's windows):
   * moves a window this object kept from before migrations/0030 back to `at`. Whether it had one.
   */
  async expireLegacyWindowInSandbox(at: number): Promise<boolean> {
    if (!sandboxEnabled(this.env)) throw new Error('The sandbox clock only runs when WHATSAPP_MODE is "sandbox"');
    const first = this.kv.get<number>(KV.lastInboundAt);
    const others = this.kv.get<Record<string, number>>(KV.lastInboundByNumber) ?? {};
    if (first === undefined && Object.keys(others).length === 0) return false;
    if (first !== undefined) this.kv.put(KV.lastInboundAt, at);
    this.kv.put(KV.lastInboundByNumber, Object.fromEntries(Object.keys(others).map((id) => [id, at])));
    return true;
  }

  // --- small state ----------------------------------------------------------------------------------

  private remember(companyId: string, personId: string): void {
    if (this.kv.get(KV.companyId) !== companyId) {
      this.kv.put(KV.companyId, companyId);
      this.kv.put(KV.personId, personId);
    }
  }

  private companyId(): string {
    return this.kv.get<string>(KV.companyId) ?? '';
  }

  /** D1's window (send-facts.windowOpenIn), or one this object kept from before migrations/0030. */
  private windowOpenFor(loaded: LoadedSend): boolean {
    const now = Date.now();
    return windowOpenIn(loaded, now) || this.legacyWindowOpen(loaded, now);
  }

  private legacyWindowOpen(loaded: LoadedSend, now: number): boolean {
    const { number } = loaded;
    const phone = loaded.person.phone;
    if (!phone || !number || this.kv.get<string>(KV.windowPhone) !== phone) return false;
    const at = number.isFirst
      ? this.kv.get<number>(KV.lastInboundAt)
      : this.kv.get<Record<string, number>>(KV.lastInboundByNumber)?.[number.phoneNumberId];
    return policy.isWindowOpen(at ?? null, now);
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = this.kv.get<number>(KV.alarmAt);
    if (current !== undefined && current <= at) return;
    this.kv.put(KV.alarmAt, at);
    await this.ctx.storage.setAlarm(at);
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 500);
}

function parseOrphan(payload: string): { status: StatusUpdate; at: number } | null {
  try {
    const parsed = JSON.parse(payload) as { status?: StatusUpdate; at?: number };
    return parsed.status && typeof parsed.at === 'number' ? { status: parsed.status, at: parsed.at } : null;
  } catch {
    return null;
  }
}

/** The conversation with one person: every form of their number (Meta's wa_id, the phone) lands here. */
export function conversationStub(env: Env, companyId: string, personId: string) {
  return env.CONVERSATION.getByName(`${companyId}:${personId}`);
}
