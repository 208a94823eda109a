import { DurableObject } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { metaAppId, metaTimeoutMs, sandboxEnabled } from '../config';
import { getDb } from '../db/client';
import { companies, whatsappNumbers } from '../db/schema';
import { migrateSchema } from '../durable/schema-versions';
import type { SendBody } from '../whatsapp/meta/send-schema';
import {
  digitsOf,
  type FlushOptions,
  failRecipientSchema,
  faultsSchema,
  flushOptionsSchema,
  type InboundInput,
  inboundInputSchema,
  metaWaIdOf,
  type SandboxFault,
  type SandboxSettings,
  type SandboxSettingsPatch,
  settingsPatchSchema,
  type TemplateCategoryInput,
  type TemplatePutInput,
  type TemplateStatusInput,
  templateCategorySchema,
  templatePutSchema,
  templateStatusSchema,
} from './controls';
import { handleConversions, type ReceivedConversions, receivedConversions } from './conversions';
import { MAX_DELIVERY_ATTEMPTS, postWebhook, redeliveryDelayMs } from './delivery';
import { graphError, hasBearer, invalidParameter, invalidToken, metaTitle, unsupportedRequest } from './graph-errors';
import { parseMessagesRequest, sendAnswer } from './graph-messages';
import { graphTarget, MEDIA_OBJECT } from './graph-path';
import { assertSandbox, SANDBOX_DISABLED } from './guard';
import { newConversationId, newGraphId, newWamid } from './ids';
import { buildInbound, MEDIA_MIME, MEDIA_TYPES } from './inbound';
import { type AnswerInput, answerInputSchema, answerOf, questionOf, type SandboxQuestion } from './interactive-answers';
import { describeMedia, mediaBytes, mediaUrl, type SandboxMedia } from './media';
import { metaJson } from './meta-json';
import { messagesEnvelope, type NumberInfo, statusObject } from './payloads';
import { type PushDelivery, PushServiceStore } from './push-service';
import { RateHold } from './rate-hold';
import {
  type IssuedHandle,
  issuedHandle,
  issuedHandles,
  startUploadSession,
  uploadToSession,
} from './resumable-uploads';
import type { SignupFault, SignupSessionInput } from './signup-controls';
import { signupGraphTarget } from './signup-graph';
import { SignupSandbox, type SignupSession } from './signup-sandbox';
import type { SignupCall, SignupNumber } from './signup-store';
import type { ReadReceipt, SandboxMessage, TemplateRow, WebhookDelivery } from './store';
import { SANDBOX_SCHEMA, SandboxStore } from './store';
import { handleTemplates, settleQueuedReview, templateCategoryPayload, templateStatusPayload } from './templates';
import { handleUpload, type SandboxUpload } from './uploads';

export type { FlushOptions, InboundInput, SandboxFault, SandboxSettings, SandboxSettingsPatch } from './controls';
export type { AnswerInput, SandboxQuestion } from './interactive-answers';
export type { SandboxMedia } from './media';
export type { IssuedHandle } from './resumable-uploads';
export type { ReadReceipt, SandboxMessage, WebhookDelivery } from './store';
export type { SandboxUpload } from './uploads';

const SEND_REQUESTS = 'send_requests';

/** An answer whose body breaks off mid-stream: the client sees the connection drop after Meta had the message. */
function connectionLost(): Response {
  const body = new ReadableStream({
    start(controller) {
      controller.error(new Error('Network connection lost.'));
    },
  });
  return new Response(body, { headers: { 'Content-Type': 'application/json' } });
}

/** What a number's display number defaults to when no company claims it (Meta's test number). */
const DEFAULT_DISPLAY_NUMBER = '15550783881';

/**
 * Meta, played for local mode, tests and benchmarks. One instance per phone number id (sends, statuses,
 * inbound), one per WABA (`waba:<id>`, templates) and one shared `media` instance. Refuses to run outside
 * WHATSAPP_MODE=sandbox.
 */
export class MetaSandbox extends DurableObject<Env> {
  private readonly store: SandboxStore;
  private numberInfo: NumberInfo | null = null;
  private readonly rateHold: RateHold;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new SandboxStore(ctx.storage.sql);
    this.rateHold = new RateHold(env, ctx.id.name ?? 'unknown');
    void ctx.blockConcurrencyWhile(async () => {
      migrateSchema(ctx.storage, SANDBOX_SCHEMA);
    });
  }

  // --- Meta's Graph API ------------------------------------------------------------------------------
  // fetch() serves HTTP, not RPC, because it IS Meta's HTTP API: the graph client must meet real status
  // codes, headers (Retry-After) and bodies here, exactly as it does at graph.facebook.com.

  override async fetch(request: Request): Promise<Response> {
    // Read the whole body before answering, even when the answer ignores it (401, 404): a stub's request
    // stream still being pumped after the response went out makes workerd report "Can't read from request
    // stream after response has been sent".
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
    return this.graph(new Request(request, { body }));
  }

  private async graph(request: Request): Promise<Response> {
    if (!sandboxEnabled(this.env)) return Response.json(SANDBOX_DISABLED, { status: 404 });
    const url = new URL(request.url);
    if (url.pathname.startsWith('/sandbox/media/')) return this.downloadMedia(request, url);
    const signupTarget = signupGraphTarget(url);
    if (signupTarget) return this.signup().graph(request, signupTarget);
    const target = graphTarget(url.pathname);
    if (!target || target.kind === 'unknown')
      return unsupportedRequest(request.method, target?.objectId ?? url.pathname);
    // The Resumable Upload API takes its token as `OAuth` (and, at the start, in the query): checked there.
    if (target.kind === 'upload_start')
      return startUploadSession(request, target.appId, metaAppId(this.env) ?? '', this.ctx.storage.kv);
    if (target.kind === 'upload_session') return uploadToSession(request, target.sessionId, this.ctx.storage.kv);
    if (!hasBearer(request)) return invalidToken();
    if (target.kind === 'templates') {
      // A queued fault answers the next template call instead (a WABA instance sends no messages).
      const fault = this.store.takeFault();
      if (fault?.kind === 'http')
        return graphError({ status: fault.status, code: fault.code, title: fault.title ?? metaTitle(fault.code) });
      return handleTemplates(request, this.store, {
        submitted: (row) => this.queueReview(target.wabaId, row),
        handle: (h) => this.env.META_SANDBOX.getByName(MEDIA_OBJECT).resumableHandle(h),
      });
    }
    if (target.kind === 'upload') return handleUpload(request, target.phoneNumberId, this.store);
    if (target.kind === 'events')
      return handleConversions(request, target.datasetId, this.ctx.storage.kv, this.store.takeFault(), () =>
        hang(metaTimeoutMs(this.env) + 1000),
      );
    if (target.kind === 'media') {
      const media = request.method === 'GET' ? this.store.media(target.mediaId) : null;
      if (!media) return unsupportedRequest(request.method, target.mediaId);
      return Response.json({ messaging_product: 'whatsapp', url: mediaUrl(media.id), ...media });
    }
    if (request.method !== 'POST') return unsupportedRequest(request.method, target.phoneNumberId);
    return this.messages(request);
  }

  private async messages(request: Request): Promise<Response> {
    const rawBody = await request.text();
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return invalidParameter('Request body is not valid JSON');
    }
    const parsed = parseMessagesRequest(json);
    if (!parsed.ok) return invalidParameter(parsed.details);
    if (parsed.kind === 'read') {
      this.store.recordReadReceipt(parsed.body.message_id, Date.now());
      return Response.json({ success: true });
    }
    this.ctx.storage.kv.put(SEND_REQUESTS, this.sendRequestCount() + 1);
    const held = await this.rateHold.admit(Date.now());
    if (held) return held;
    // Faults apply to sends only, one per call, in the order they were queued.
    const fault = this.store.takeFault();
    if (fault?.kind === 'http')
      return graphError({
        status: fault.status,
        code: fault.code,
        title: fault.title,
        retryAfterSeconds: fault.retryAfterSeconds,
      });
    const wamid = await this.accept(parsed.body, rawBody);
    if (fault?.kind === 'timeout') await hang(fault.hangMs ?? metaTimeoutMs(this.env) + 1000);
    if (fault?.kind === 'statuses_first') await this.flushWebhooks();
    if (fault?.kind === 'connection_lost') return connectionLost();
    return Response.json(sendAnswer(parsed.body, wamid));
  }

  /** Records the send and queues its statuses; from here on Meta has it, whatever happens to the answer. */
  private async accept(body: SendBody, rawBody: string): Promise<string> {
    // Look the number up first, so recording the message and queueing its statuses happen with no await
    // between them (an await opens the input gate).
    const number = await this.number();
    const wamid = newWamid();
    const now = Date.now();
    const callbackData = body.biz_opaque_callback_data ?? null;
    this.store.recordMessage({ wamid, to: body.to, type: body.type, rawBody, callbackData, at: now });
    const facts = { wamid, recipientId: metaWaIdOf(body.to), type: body.type, callbackData };
    const failure = this.store.failureFor(facts.recipientId);
    const settings = this.store.settings();
    const conversationId = newConversationId();
    // A message Meta accepted but cannot deliver (131026, 131049, 131050...) may be reported `sent`, then
    // `failed`; it is never delivered or read.
    const statuses: ('sent' | 'delivered' | 'read' | 'failed')[] = failure
      ? [...settings.statuses.filter((s) => s === 'sent'), 'failed']
      : settings.statuses;
    statuses.forEach((status, i) => {
      const dueAt = now + settings.delayMs * (i + 1);
      const seconds = Math.floor(dueAt / 1000);
      const object = statusObject(
        facts,
        status,
        seconds,
        conversationId,
        status === 'failed' ? (failure ?? undefined) : undefined,
      );
      this.store.enqueue(metaJson(messagesEnvelope(number, { statuses: [object] })), dueAt);
    });
    await this.scheduleAlarm();
    return wamid;
  }

  private async downloadMedia(request: Request, url: URL): Promise<Response> {
    if (!hasBearer(request)) return invalidToken();
    const id = decodeURIComponent(url.pathname.slice('/sandbox/media/'.length));
    const media = this.store.media(id);
    if (!media) return unsupportedRequest(request.method, id);
    // An upload comes back as it went up; inbound media the simulator made up has stand-in contents.
    return new Response(this.store.mediaBytes(id) ?? mediaBytes(id), { headers: { 'Content-Type': media.mime_type } });
  }

  // --- Webhook delivery --------------------------------------------------------------------------------

  /** One alarm, multiplexed over the outbox: the earliest due webhook decides when it fires. */
  private async scheduleAlarm(): Promise<void> {
    if (this.store.settings().delivery !== 'auto') return;
    const next = this.store.nextDueAt();
    if (next === null) return;
    const current = await this.ctx.storage.getAlarm();
    if (current === null || next < current) await this.ctx.storage.setAlarm(next);
  }

  override async alarm(): Promise<void> {
    if (!sandboxEnabled(this.env) || this.store.settings().delivery !== 'auto') return;
    for (const row of this.store.dueWebhooks(Date.now())) {
      if (!settleQueuedReview(this.store, row.body)) {
        this.store.removeWebhook(row.seq);
        continue;
      }
      const attempt = row.attempts + 1;
      const status = await this.deliver(row.body, attempt);
      // Only a 2xx counts; Meta retries anything else with backoff, then gives up.
      if (status >= 200 && status < 300) this.store.removeWebhook(row.seq);
      else if (attempt >= MAX_DELIVERY_ATTEMPTS) {
        console.warn('sandbox webhook dropped after', attempt, 'attempts; last status', status);
        this.store.removeWebhook(row.seq);
      } else this.store.rescheduleWebhook(row.seq, Date.now() + redeliveryDelayMs(attempt), attempt);
    }
    await this.scheduleAlarm();
  }

  private async deliver(body: string, attempt: number): Promise<number> {
    const { signature, status } = await postWebhook(this.env.META_APP_SECRET, body);
    this.store.recordDelivery({ body, signature, status, attempt, at: Date.now() });
    return status;
  }

  /** The number's WABA and display number, as Meta knows them: in sandbox mode, from the numbers table. */
  private async number(): Promise<NumberInfo> {
    if (this.numberInfo) return this.numberInfo;
    const phoneNumberId = this.ctx.id.name ?? 'unknown';
    const row = await getDb(this.env)
      .select({ wabaId: companies.wabaId, display: whatsappNumbers.displayPhoneNumber })
      .from(whatsappNumbers)
      .innerJoin(companies, eq(companies.id, whatsappNumbers.companyId))
      .where(eq(whatsappNumbers.phoneNumberId, phoneNumberId))
      .get();
    const info = {
      phoneNumberId,
      wabaId: row?.wabaId ?? `waba-of-${phoneNumberId}`,
      displayPhoneNumber: row?.display ?? DEFAULT_DISPLAY_NUMBER,
    };
    // A company may claim the number later: only cache what came from the table.
    if (row) this.numberInfo = info;
    return info;
  }

  // --- RPC for tests, benchmarks and the /sandbox routes ----------------------------------------------

  /** Every send request that reached this number, accepted or not: proof that nothing was sent twice. */
  async sendRequests(): Promise<number> {
    return this.sendRequestCount();
  }

  private sendRequestCount(): number {
    return this.ctx.storage.kv.get<number>(SEND_REQUESTS) ?? 0;
  }

  async listMessages(): Promise<SandboxMessage[]> {
    assertSandbox(this.env);
    return this.store.messages();
  }

  /** A dataset instance (`dataset:<id>`): the Conversions API requests it took. */
  async listConversions(): Promise<ReceivedConversions[]> {
    assertSandbox(this.env);
    return receivedConversions(this.ctx.storage.kv);
  }

  async listReadReceipts(): Promise<ReadReceipt[]> {
    assertSandbox(this.env);
    return this.store.readReceipts();
  }

  async listDeliveries(): Promise<WebhookDelivery[]> {
    assertSandbox(this.env);
    return this.store.deliveries();
  }

  async pendingWebhooks(): Promise<number> {
    assertSandbox(this.env);
    return this.store.pendingWebhookCount();
  }

  async configure(patch: SandboxSettingsPatch): Promise<SandboxSettings> {
    assertSandbox(this.env);
    const settings = { ...this.store.settings(), ...settingsPatchSchema.parse(patch) };
    this.store.saveSettings(settings);
    if (settings.delivery === 'auto') await this.scheduleAlarm();
    else await this.ctx.storage.deleteAlarm();
    return settings;
  }

  /** Returns how many faults are now waiting. */
  async queueFaults(faults: SandboxFault[]): Promise<number> {
    assertSandbox(this.env);
    return this.store.queueFaults(faultsSchema.parse(faults));
  }

  async failRecipient(to: string, code: number, title?: string): Promise<void> {
    assertSandbox(this.env);
    const input = failRecipientSchema.parse({ to, code, title });
    this.store.failRecipient(digitsOf(input.to), input.code, input.title ?? metaTitle(input.code));
  }

  /** Manual mode: delivers every queued webhook now and returns the receiver's statuses, in delivery order. */
  async flushWebhooks(options: FlushOptions = {}): Promise<number[]> {
    assertSandbox(this.env);
    const { order = 'queued', duplicate = false } = flushOptionsSchema.parse(options);
    const rows = this.store.takeAllWebhooks();
    if (order === 'reverse') rows.reverse();
    const statuses: number[] = [];
    for (const row of rows) {
      if (!settleQueuedReview(this.store, row.body)) continue;
      for (let copy = 0; copy < (duplicate ? 2 : 1); copy++)
        statuses.push(await this.deliver(row.body, row.attempts + copy + 1));
    }
    return statuses;
  }

  /** A message from a person, delivered to our webhook now. */
  async inbound(input: InboundInput): Promise<{ wamid: string; status: number }> {
    assertSandbox(this.env);
    const parsed = inboundInputSchema.parse(input);
    const type = parsed.type ?? 'text';
    const media =
      MEDIA_TYPES.has(type) && !parsed.content
        ? await this.env.META_SANDBOX.getByName(MEDIA_OBJECT).registerMedia(
            MEDIA_MIME[type] ?? 'application/octet-stream',
          )
        : undefined;
    const built = buildInbound(
      await this.number(),
      parsed,
      Date.now(),
      media && { id: media.id, mime_type: media.mime_type, sha256: media.sha256 },
    );
    return { wamid: built.wamid, status: await this.deliver(metaJson(built.payload), 1) };
  }

  /** Reply buttons and lists this number sent, newest first: what a person could answer by tapping. */
  async listQuestions(limit = 20): Promise<SandboxQuestion[]> {
    assertSandbox(this.env);
    return this.store
      .messages()
      .map(questionOf)
      .filter((q): q is SandboxQuestion => q !== null)
      .reverse()
      .slice(0, limit);
  }

  /**
   * The person taps a button or a list row of a question we sent: the reply, with Meta's `context` naming the
   * question, is delivered to our webhook now. Null when no such question or choice exists.
   */
  async answer(input: AnswerInput): Promise<{ wamid: string; status: number } | null> {
    assertSandbox(this.env);
    const a = answerInputSchema.parse(input);
    const question = this.store.messages().find((m) => m.wamid === a.wamid);
    const q = question && questionOf(question);
    const inbound = q && answerOf(q, a.choice, (await this.number()).displayPhoneNumber, a.from);
    return inbound ? this.inbound(inbound) : null;
  }

  /** Any payload (batched, odd, hostile), serialised and signed like Meta's, delivered now. */
  async deliverPayload(payload: unknown): Promise<number> {
    assertSandbox(this.env);
    return this.deliver(metaJson(payload), 1);
  }

  async reset(): Promise<void> {
    assertSandbox(this.env);
    this.store.clear();
    this.ctx.storage.kv.delete(SEND_REQUESTS);
    this.numberInfo = null;
    await this.ctx.storage.deleteAlarm();
  }

  async settings(): Promise<SandboxSettings> {
    assertSandbox(this.env);
    return this.store.settings();
  }

  /** How many sends the number's rate hold answered with 130429. */
  async heldCount(): Promise<number> {
    assertSandbox(this.env);
    return this.rateHold.held;
  }

  /** Shared `media` instance: every upload that Meta took, oldest first (nothing for a refused file). */
  async listUploads(): Promise<SandboxUpload[]> {
    assertSandbox(this.env);
    return this.store.uploads();
  }

  /** Shared `media` instance: what a Resumable Upload handle stands for, or null for one never issued. */
  async resumableHandle(handle: string): Promise<IssuedHandle | null> {
    assertSandbox(this.env);
    return issuedHandle(this.ctx.storage.kv, handle);
  }

  /** Shared `media` instance: every Resumable Upload handle issued, oldest first. */
  async listResumableHandles(): Promise<IssuedHandle[]> {
    assertSandbox(this.env);
    return issuedHandles(this.ctx.storage.kv);
  }

  // Shared `media` instance: media ids are global at Meta.
  async registerMedia(mimeType: string): Promise<SandboxMedia> {
    assertSandbox(this.env);
    const media = await describeMedia(newGraphId(), mimeType);
    this.store.putMedia(media);
    return media;
  }

  // `waba:<id>` instances: templates.
  async listTemplates(): Promise<TemplateRow[]> {
    assertSandbox(this.env);
    return this.store.templates();
  }

  /**
   * Meta's review outcome, or a later pause/disable: updates the template and delivers
   * `message_template_status_update` now (unless `notify: false`, a webhook we never got).
   */
  async setTemplateStatus(input: TemplateStatusInput): Promise<number[]> {
    assertSandbox(this.env);
    const t = templateStatusSchema.parse(input);
    const reason = t.event === 'REJECTED' ? (t.reason ?? 'INVALID_FORMAT') : null;
    // REINSTATED ends a pause: the template is APPROVED again.
    const status = t.event === 'REINSTATED' ? 'APPROVED' : t.event;
    const statuses: number[] = [];
    for (const row of this.store.setTemplateStatus(t.name, t.language, status, reason)) {
      if (t.notify === false) continue;
      const payload = templateStatusPayload(this.wabaId(), row, t.event, t.reason ?? reason);
      statuses.push(await this.deliver(metaJson(payload), 1));
    }
    return statuses;
  }

  /** Meta moves a template to another category and says so (`template_category_update`). */
  async setTemplateCategory(input: TemplateCategoryInput): Promise<number[]> {
    assertSandbox(this.env);
    const t = templateCategorySchema.parse(input);
    const statuses: number[] = [];
    for (const before of this.store.setTemplateCategory(t.name, t.language, t.category)) {
      if (t.notify === false || before.category === t.category) continue;
      const payload = templateCategoryPayload(this.wabaId(), { ...before, category: t.category }, before.category);
      statuses.push(await this.deliver(metaJson(payload), 1));
    }
    return statuses;
  }

  /**
   * A template made at "Meta" directly (WhatsApp Manager): only a sync will find it. Returns its id; one that
   * exists (same name and language) is left as it is, so the seed can run again.
   */
  async putTemplate(input: TemplatePutInput): Promise<string> {
    assertSandbox(this.env);
    const t = templatePutSchema.parse(input);
    const existing = this.store.templates().find((r) => r.name === t.name && r.language === t.language);
    if (existing) return existing.id;
    const id = t.id ?? newGraphId();
    const inserted = this.store.insertTemplate({
      id,
      name: t.name,
      language: t.language,
      category: t.category,
      status: t.status,
      parameter_format: t.parameter_format ?? null,
      components: JSON.stringify(t.components),
      rejected_reason: null,
    });
    if (!inserted) throw new Error(`template id ${id} is taken`);
    return id;
  }

  private wabaId(): string {
    return (this.ctx.id.name ?? '').replace(/^waba:/, '');
  }

  // --- Embedded Signup (signup-sandbox.ts; only the "business" instance uses these) ---------------------

  private signupSandbox: SignupSandbox | null = null;

  private signup(): SignupSandbox {
    this.signupSandbox ??= new SignupSandbox(this.ctx.storage, this.env);
    return this.signupSandbox;
  }

  /** The customer finished Meta's dialog: what the popup hands the page that opened it. */
  async signupFinish(input: SignupSessionInput): Promise<SignupSession> {
    assertSandbox(this.env);
    return this.signup().finish(input);
  }

  async signupQueueFaults(phoneNumberId: string, faults: SignupFault[]): Promise<void> {
    assertSandbox(this.env);
    this.signup().queueFaults(phoneNumberId, faults);
  }

  /** Every Graph call a signup made about these numbers, WABAs or codes, in order. */
  async signupCalls(objectIds: string[]): Promise<SignupCall[]> {
    assertSandbox(this.env);
    return this.signup().calls(objectIds);
  }

  async signupNumber(phoneNumberId: string): Promise<SignupNumber | null> {
    assertSandbox(this.env);
    return this.signup().store.number(phoneNumberId);
  }

  async signupSubscribed(wabaId: string): Promise<boolean> {
    assertSandbox(this.env);
    return this.signup().store.subscribed(wabaId);
  }

  async signupExpireCode(code: string): Promise<void> {
    assertSandbox(this.env);
    this.signup().store.expireCode(code);
  }

  // --- Web Push service stand-in (push-service.ts; only the "push-service" instance uses these) -------

  async pushReceive(endpointId: string, headers: Record<string, string>, body: string): Promise<number> {
    assertSandbox(this.env);
    return new PushServiceStore(this.ctx.storage).receive(endpointId, headers, body);
  }

  async pushDeliveries(endpointId: string): Promise<PushDelivery[]> {
    assertSandbox(this.env);
    return new PushServiceStore(this.ctx.storage).deliveries(endpointId);
  }

  async pushAnswer(endpointId: string, status: number): Promise<void> {
    assertSandbox(this.env);
    new PushServiceStore(this.ctx.storage).setAnswer(endpointId, status);
  }

  /** Meta reviews a submission and answers by webhook a little later (settings.templateReviewMs). */
  private async queueReview(wabaId: string, row: TemplateRow): Promise<void> {
    const dueAt = Date.now() + this.store.settings().templateReviewMs;
    this.store.enqueue(metaJson(templateStatusPayload(wabaId, row, 'APPROVED', null)), dueAt);
    await this.scheduleAlarm();
  }
}

/** Holds the answer back past the caller's timeout. The caller's abort does not reach a Durable Object's
 * incoming request (checked in workerd), so the wait runs its course: keep hangMs modest. */
function hang(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
