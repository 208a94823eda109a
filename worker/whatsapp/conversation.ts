import { DurableObject } from 'cloudflare:workers';
import type { Actor } from '../auth/actor';
import { newId } from '../ids';
import { notifyMessage, notifyStatus } from '../realtime/notify';
import { assertSandbox } from '../sandbox/guard';
import { decodeCallbackData, encodeCallbackData } from './callback-data';
import { ConversationStore, type OutboxRow } from './conversation-store';
import type { NoteError } from './history-writes';
import * as writes from './history-writes';
import { inboundNote, namesFromProfile, typedText } from './inbound-content';
import { metaApiFor } from './meta';
import type { MetaError, OutboundContent, SendOutcome } from './meta/types';
import { type InboundMessage, type StatusUpdate, statusSchema } from './meta/webhook-schema';
import { findOrCreatePerson } from './people-lookup';
import * as policy from './policy';
import { credentialsOf, type LoadedSend, loadSendFacts, waIdOf } from './send-facts';

export interface SendCommand {
  /** Fixed by the caller (an Idempotency-Key pins it): sending the same id twice sends once. */
  messageId: string;
  companyId: string;
  personId: string;
  waId: string;
  saleType: policy.SaleType;
  content: OutboundContent;
  actor: Actor;
}

export type SendResult = { ok: true; messageId: string } | { ok: false; refusal: policy.Refusal };

export interface InboundCommand {
  companyId: string;
  waId: string;
  profileName?: string;
  message: InboundMessage;
}

const INTERNAL_RETRY_MS = 5_000;

interface FreshFacts {
  messageId: string;
  loaded: LoadedSend;
}

const KV = {
  companyId: 'company_id',
  waId: 'wa_id',
  lastInboundAt: 'last_inbound_at',
  lastOutboundSaleType: 'last_outbound_sale_type',
  alarmAt: 'alarm_at',
} as const;

/**
 * One object per conversation (company + the person's WhatsApp id). It alone decides the 24-hour window,
 * sends in order with retries, and ranks delivery statuses, so these never race across Worker instances.
 */
export class Conversation extends DurableObject<Env> {
  private readonly store: ConversationStore;
  private draining: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new ConversationStore(ctx.storage.sql);
    ctx.blockConcurrencyWhile(async () => {
      this.store.migrate();
      // A send left 'sending' by an earlier instance must be settled even if nobody writes to us again.
      if (this.store.head()?.state === 'sending') await ctx.storage.setAlarm(Date.now());
    });
  }

  // --- inbound ------------------------------------------------------------------------------------

  async receiveMessage(cmd: InboundCommand): Promise<{ duplicate: boolean; personId: string }> {
    this.remember(cmd.companyId, cmd.waId);
    const names = namesFromProfile(cmd.profileName, cmd.waId);
    const person = await findOrCreatePerson(this.env, cmd.companyId, cmd.waId, names);
    const occurredAt = Number(cmd.message.timestamp) * 1000;
    const record: writes.InboundRecord = {
      noteId: newId('his'),
      companyId: cmd.companyId,
      personId: person.id,
      wamid: cmd.message.id,
      note: inboundNote(cmd.message),
      saleType: policy.attributeInbound(this.lastOutboundSaleType(), person.saleType),
      occurredAt,
    };
    const db = this.env.DB;
    const statements = [
      writes.insertInboundNote(db, record),
      writes.countReceived(db, record),
      writes.mirrorLastInbound(db, person.id, occurredAt),
    ];
    const text = typedText(cmd.message);
    const keyword = policy.keywordOf(text);
    if (keyword && text) {
      const actor: Actor = { kind: 'whatsapp', id: cmd.waId, name: cmd.profileName ?? `+${cmd.waId}` };
      statements.push(...writes.keywordStatements(db, record, keyword, actor, text.trim()));
    }
    const [inserted] = await db.batch(statements);
    // Meta's own timestamp, not arrival time: a webhook redelivered hours later must not reopen the window.
    this.ctx.storage.kv.put(KV.lastInboundAt, policy.nextLastInbound(this.lastInboundAt(), occurredAt));
    await notifyMessage(this.env, cmd.companyId, person.id, record.noteId);
    return { duplicate: (inserted?.meta.changes ?? 0) === 0, personId: person.id };
  }

  // --- outbound -----------------------------------------------------------------------------------

  async send(cmd: SendCommand): Promise<SendResult> {
    this.remember(cmd.companyId, cmd.waId);
    if (this.store.has(cmd.messageId)) return { ok: true, messageId: cmd.messageId };
    const loaded = await loadSendFacts(this.env, cmd.companyId, cmd.personId, cmd.content);
    if (!loaded) return { ok: false, refusal: { status: 422, code: 'no_person', message: 'Person not found' } };
    const refusal = policy.sendRefusal({ ...loaded.facts, windowOpen: this.windowOpen() });
    if (refusal) return { ok: false, refusal };
    const now = Date.now();
    await writes
      .insertOutboundNote(this.env.DB, {
        noteId: cmd.messageId,
        companyId: cmd.companyId,
        personId: cmd.personId,
        saleType: cmd.saleType,
        content: cmd.content,
        actor: cmd.actor,
        at: now,
      })
      .run();
    await notifyMessage(this.env, cmd.companyId, cmd.personId, cmd.messageId);
    this.store.enqueue({
      messageId: cmd.messageId,
      personId: cmd.personId,
      saleType: cmd.saleType,
      content: cmd.content,
      nextAttemptAt: now,
    });
    this.ctx.storage.kv.put(KV.lastOutboundSaleType, cmd.saleType);
    await this.drain(now, { messageId: cmd.messageId, loaded });
    return { ok: true, messageId: cmd.messageId };
  }

  override async alarm(): Promise<void> {
    // The alarm firing means the head of the queue is due, even when a test runs it early.
    const alarmAt = this.ctx.storage.kv.get<number>(KV.alarmAt) ?? 0;
    this.ctx.storage.kv.delete(KV.alarmAt);
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
        // D1 or decryption failed: the message stays recorded and queued; try again shortly.
        console.error('conversation send attempt failed', head.messageId, err);
        await this.scheduleAlarm(Date.now() + INTERNAL_RETRY_MS);
        return;
      }
    }
  }

  private async attempt(row: OutboxRow, prefetched: LoadedSend | undefined): Promise<void> {
    if (row.state === 'sending') {
      // We were stopped while Meta had the request. Meta has no idempotency key: resending could
      // deliver twice, so the outcome stays unknown until a status (matched by callback data) tells us.
      await this.finishUnknown(row, {
        code: 'interrupted',
        title: 'Interrupted while sending; not resent automatically',
      });
      return;
    }
    const loaded = prefetched ?? (await loadSendFacts(this.env, this.companyId(), row.personId, row.content));
    const refusal = loaded
      ? policy.sendRefusal({ ...loaded.facts, windowOpen: this.windowOpen() })
      : { status: 422 as const, code: 'no_person', message: 'Person not found' };
    const credentials = loaded && !refusal ? await credentialsOf(this.env, loaded.company) : null;
    if (!loaded?.person.phone || refusal || !credentials) {
      // Re-checked before every attempt: a STOP or a closed window while queued wins over the send.
      const reason = refusal ?? { code: 'whatsapp_disabled', message: 'WhatsApp is not configured' };
      await this.finishFailed(row, { code: reason.code, title: reason.message });
      return;
    }
    this.store.markSending(row.messageId);
    const outcome = await metaApiFor(this.env).sendMessage(credentials, {
      to: waIdOf(loaded.person.phone),
      content: row.content,
      callbackData: encodeCallbackData({ messageId: row.messageId, waId: this.waId() }),
    });
    await this.settle(row, outcome, loaded.company.id);
  }

  private async settle(row: OutboxRow, outcome: SendOutcome, companyId: string): Promise<void> {
    const db = this.env.DB;
    const now = Date.now();
    switch (outcome.kind) {
      case 'accepted': {
        await db.batch([
          writes.setOutboundStatus(db, row.messageId, 'sent', now, { wamid: outcome.wamid, error: null }),
          writes.addSent(db, companyId, row.personId, row.saleType, 1),
        ]);
        this.store.finish(row, outcome.wamid, 'sent');
        await notifyStatus(this.env, companyId, row.personId, row.messageId);
        // Statuses that beat Meta's answer here were kept; apply them now in arrival order.
        for (const orphan of this.store.takeOrphans(outcome.wamid)) {
          const parsed = statusSchema.safeParse(JSON.parse(orphan.payload));
          if (parsed.success) await this.applyStatus({ companyId, waId: this.waId(), status: parsed.data });
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

  private async finishFailed(row: OutboxRow, error: NoteError): Promise<void> {
    const db = this.env.DB;
    const now = Date.now();
    const statements = [writes.setOutboundStatus(db, row.messageId, 'failed', now, { error })];
    if (error.code === policy.META_ERROR.marketingStopped)
      statements.push(...writes.markMarketingStopped(db, this.companyId(), row.personId, now, row.messageId));
    await db.batch(statements);
    this.store.finish(row, null, 'failed');
    await notifyStatus(this.env, this.companyId(), row.personId, row.messageId);
  }

  private async finishUnknown(row: OutboxRow, error: NoteError): Promise<void> {
    await this.env.DB.batch([writes.setOutboundStatus(this.env.DB, row.messageId, 'unknown', Date.now(), { error })]);
    this.store.finish(row, null, 'unknown');
    await notifyStatus(this.env, this.companyId(), row.personId, row.messageId);
  }

  // --- delivery statuses --------------------------------------------------------------------------

  async applyStatus(cmd: { companyId: string; waId: string; status: StatusUpdate }): Promise<void> {
    this.remember(cmd.companyId, cmd.waId);
    const s = cmd.status;
    const message = this.store.findOutbound(s.id, decodeCallbackData(s.biz_opaque_callback_data)?.messageId);
    if (!message) {
      // Not ours yet (Meta's answer is still on its way) or sent from elsewhere: keep it, never drop it.
      this.store.keepOrphan(s.id, s.status, JSON.stringify(s));
      return;
    }
    if (!policy.shouldApplyStatus(message.status, s.status)) return;
    const db = this.env.DB;
    const at = Number(s.timestamp) * 1000;
    const metaError = s.errors?.[0];
    const error: MetaError | undefined = metaError && {
      code: metaError.code,
      title: metaError.title ?? 'Failed',
      message: metaError.message,
      details: metaError.error_data?.details,
    };
    const statements = [
      writes.setOutboundStatus(db, message.messageId, s.status, at, { wamid: s.id, ...(error ? { error } : {}) }),
    ];
    const delta = policy.sentCounterDelta(message.status, s.status);
    if (delta !== 0) statements.push(writes.addSent(db, cmd.companyId, message.personId, message.saleType, delta));
    if (error?.code === policy.META_ERROR.marketingStopped)
      statements.push(...writes.markMarketingStopped(db, cmd.companyId, message.personId, at, s.id));
    await db.batch(statements);
    this.store.setOutbound(message.messageId, s.id, s.status);
    await notifyStatus(this.env, cmd.companyId, message.personId, message.messageId);
  }

  // --- sandbox test hook ----------------------------------------------------------------------------

  /** Sandbox only: moves the last inbound time back (e.g. 25 h) so tests can see the window close. */
  async expireWindowForTest(hoursAgo: number): Promise<number | null> {
    assertSandbox(this.env);
    if (this.lastInboundAt() === null) return null;
    const at = Date.now() - hoursAgo * 60 * 60 * 1000;
    this.ctx.storage.kv.put(KV.lastInboundAt, at);
    return at;
  }

  // --- small state ----------------------------------------------------------------------------------

  private remember(companyId: string, waId: string): void {
    if (this.ctx.storage.kv.get(KV.companyId) !== companyId) {
      this.ctx.storage.kv.put(KV.companyId, companyId);
      this.ctx.storage.kv.put(KV.waId, waId);
    }
  }

  private companyId(): string {
    return this.ctx.storage.kv.get<string>(KV.companyId) ?? '';
  }

  private waId(): string {
    return this.ctx.storage.kv.get<string>(KV.waId) ?? '';
  }

  private lastInboundAt(): number | null {
    return this.ctx.storage.kv.get<number>(KV.lastInboundAt) ?? null;
  }

  private lastOutboundSaleType(): policy.SaleType | null {
    return this.ctx.storage.kv.get<policy.SaleType>(KV.lastOutboundSaleType) ?? null;
  }

  private windowOpen(): boolean {
    return policy.isWindowOpen(this.lastInboundAt(), Date.now());
  }

  private async scheduleAlarm(at: number): Promise<void> {
    const current = this.ctx.storage.kv.get<number>(KV.alarmAt);
    if (current !== undefined && current <= at) return;
    this.ctx.storage.kv.put(KV.alarmAt, at);
    await this.ctx.storage.setAlarm(at);
  }
}

export function conversationStub(env: Env, companyId: string, waId: string) {
  return env.CONVERSATION.getByName(`${companyId}:${waId}`);
}
