import { eq } from 'drizzle-orm';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { timingSafeEqual } from '../auth/crypto';
import { platformDb } from '../db/client';
import type { Background } from '../db/group-commit';
import { webhookDeadLetters, whatsappNumbers } from '../db/schema';
import { errorBody } from '../errors';
import { newRouter } from '../http';
import { newId } from '../ids';
import { decodeCallbackData } from './callback-data';
import { conversationStub } from './conversation';
import { namesFromProfile } from './inbound-content';
import { storeInbound } from './inbound-store';
import { isValidSignature, SIGNATURE_HEADER } from './meta/signature';
import {
  type InboundMessage,
  inboundMessageSchema,
  type MessagesValue,
  messagesValueSchema,
  statusSchema,
  webhookPayloadSchema,
} from './meta/webhook-schema';
import { findByNumber, findOrCreatePerson, findPersonByWaId, type InboundPerson } from './people-lookup';
import { metaTimeMs } from './policy';
import { forgetSender, recallSender, rememberSender } from './sender-cache';
import { handleTemplateChange, isTemplateField } from './templates/webhook';
import { fitDeadLetter, jsonDepth, MAX_ITEM_DEPTH, MAX_WEBHOOK_BYTES, safeStringify } from './webhook-limits';

export const webhookRoutes = newRouter();

// Meta's one-time verification: echo the challenge only to someone who knows our verify token.
webhookRoutes.get('/', (c) => {
  const mode = c.req.query('hub.mode');
  const token = c.req.query('hub.verify_token');
  const challenge = c.req.query('hub.challenge') ?? '';
  const expected = c.env.META_VERIFY_TOKEN;
  if (mode === 'subscribe' && expected && token !== undefined && timingSafeEqual(token, expected))
    return c.text(challenge, 200);
  return c.json(errorBody('forbidden', 'Verification token mismatch'), 403);
});

// Meta retries anything but a 2xx for days, so: 401 for forgeries, 413 for bodies no Meta payload comes near,
// 200 only once everything is stored (or dead-lettered), 500 when our side failed and a retry will help.
// An item that would fail the same way on every retry is dead-lettered, never answered 500 forever.
webhookRoutes.post(
  '/',
  bodyLimit({
    maxSize: MAX_WEBHOOK_BYTES,
    onError: (c) =>
      c.json(errorBody('payload_too_large', `Webhook bodies are limited to ${MAX_WEBHOOK_BYTES} bytes`), 413),
  }),
  async (c) => {
    const raw = await c.req.arrayBuffer();
    if (!(await isValidSignature(c.env.META_APP_SECRET, raw, c.req.header(SIGNATURE_HEADER))))
      return c.json(errorBody('invalid_signature', 'Missing or wrong X-Hub-Signature-256'), 401);

    const text = new TextDecoder().decode(raw);
    const ingest = new Ingest(c.env, (task) => c.executionCtx.waitUntil(task));
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      ingest.keep(text, 'body is not JSON');
      await ingest.finish();
      return c.text('OK', 200);
    }
    const payload = webhookPayloadSchema.safeParse(body);
    if (!payload.success) {
      ingest.keep(text, `not a WhatsApp Business Account payload: ${payload.error.message}`);
      await ingest.finish();
      return c.text('OK', 200);
    }
    for (const entry of payload.data.entry)
      for (const change of entry.changes) await ingest.change(change.field, change.value, entry.id, entry.time);

    const failures = await ingest.finish();
    if (failures > 0) return c.json(errorBody('ingest_failed', `${failures} item(s) failed; please retry`), 500);
    return c.text('OK', 200);
  },
);

/** One webhook delivery: every message and status is handled on its own, so one bad item never sinks the rest. */
class Ingest {
  private readonly tasks: Promise<unknown>[] = [];
  private readonly letters: { raw: string; error: string }[] = [];
  private readonly companyByNumber = new Map<string, Promise<string | null>>();
  private readonly now = Date.now();

  constructor(
    private readonly env: Env,
    private readonly background: Background,
  ) {}

  /** Keeps what we cannot use as a dead letter, so nothing Meta sent is lost. */
  keep(raw: string, error: string): void {
    this.letters.push(fitDeadLetter(raw, error));
  }

  async change(field: string, value: unknown, wabaId: string, entryTime?: unknown): Promise<void> {
    // Template status and category: the entry id is the WhatsApp Business Account (templates/webhook.ts).
    if (isTemplateField(field)) {
      const keep = (raw: string, error: string) => this.keep(raw, error);
      this.tasks.push(handleTemplateChange(this.env, { wabaId, time: entryTime }, field, value, keep));
      return;
    }
    if (field !== 'messages') {
      // Any other field (account or phone number updates, say) is nothing we act on: kept rather than lost.
      this.keep(safeStringify({ field, value }), `unhandled field: ${field}`);
      return;
    }
    const parsed = messagesValueSchema.safeParse(value);
    if (!parsed.success) {
      this.keep(safeStringify({ field, value }), parsed.error.message);
      return;
    }
    if (parsed.data.errors?.length)
      this.keep(safeStringify(parsed.data.errors), 'Meta reported errors for this number');
    const number = parsed.data.metadata.phone_number_id;
    // Messages find their company and person in one round trip each; statuses share one company lookup.
    // A number that is none of ours is acknowledged and ignored.
    this.messages(number, parsed.data);
    if (!parsed.data.statuses?.length) return;
    const companyId = await this.companyFor(number);
    if (companyId) this.statuses(companyId, parsed.data);
  }

  private messages(number: string, value: MessagesValue): void {
    for (const m of this.valid(value.messages, inboundMessageSchema, 'message')) {
      const occurredAt = metaTimeMs(m.timestamp, this.now);
      if (occurredAt === null) {
        this.keep(safeStringify(m), `message: timestamp ${m.timestamp} is no possible time`);
        continue;
      }
      const profileName = value.contacts?.find((contact) => contact.wa_id === m.from)?.profile?.name;
      this.tasks.push(this.receive(number, m, occurredAt, profileName));
    }
  }

  private async receive(
    phoneNumberId: string,
    m: InboundMessage,
    occurredAt: number,
    profileName?: string,
    fresh = false,
  ): Promise<unknown> {
    const recalled = fresh ? null : recallSender(phoneNumberId, m.from);
    const found = recalled ?? (await findByNumber(this.env, phoneNumberId, m.from));
    if (!found) return;
    const { companyId, number } = found;
    const person: InboundPerson = await findOrCreatePerson(
      this.env,
      companyId,
      number.clubId,
      m.from,
      namesFromProfile(profileName, m.from),
      found.person,
    );
    const result = await storeInbound(
      this.env,
      { companyId, person, number, waId: m.from, profileName, message: m, occurredAt },
      this.background,
    );
    if (!result.stale) {
      rememberSender(m.from, { companyId, number }, person);
      return result;
    }
    forgetSender(phoneNumberId, m.from);
    // Found a moment ago and already someone else's: a change raced this message; Meta will deliver it again.
    if (fresh || !recalled) throw new Error(`sender ${m.from} changed while its message was stored`);
    return this.receive(phoneNumberId, m, occurredAt, profileName, true);
  }

  private statuses(companyId: string, value: MessagesValue): void {
    for (const s of this.valid(value.statuses, statusSchema, 'status')) {
      const at = metaTimeMs(s.timestamp, this.now);
      if (at === null) {
        this.keep(safeStringify(s), `status: timestamp ${s.timestamp} is no possible time`);
        continue;
      }
      this.tasks.push(
        (async () => {
          // Back to the conversation that sent it, even when Meta's recipient_id is another form of the number.
          const ours = decodeCallbackData(s.biz_opaque_callback_data);
          const personId = ours?.personId ?? (await findPersonByWaId(this.env, companyId, s.recipient_id))?.id;
          if (!personId) {
            this.keep(safeStringify(s), 'status: for a number that is no one in this company');
            return;
          }
          await conversationStub(this.env, companyId, personId).applyStatus({
            companyId,
            personId,
            status: s,
            at,
            ...(ours ? { messageId: ours.messageId } : {}),
          });
        })(),
      );
    }
  }

  /** The items that parse and nest sanely; the others are kept as dead letters. */
  private valid<T>(items: unknown[] | undefined, schema: z.ZodType<T>, label: string): T[] {
    const out: T[] = [];
    for (const item of items ?? []) {
      // Too deep to hand to a Durable Object (RPC serialisation overflows the stack): no message of Meta's.
      if (jsonDepth(item, MAX_ITEM_DEPTH) > MAX_ITEM_DEPTH) {
        this.keep(safeStringify(item), `${label}: nested deeper than ${MAX_ITEM_DEPTH} levels`);
        continue;
      }
      const parsed = schema.safeParse(item);
      if (parsed.success) out.push(parsed.data);
      else this.keep(safeStringify(item), `${label}: ${parsed.error.message}`);
    }
    return out;
  }

  private companyFor(phoneNumberId: string): Promise<string | null> {
    let found = this.companyByNumber.get(phoneNumberId);
    if (!found) {
      // The directory: which company a business number belongs to.
      found = platformDb(this.env)
        .select({ id: whatsappNumbers.companyId })
        .from(whatsappNumbers)
        .where(eq(whatsappNumbers.phoneNumberId, phoneNumberId))
        .get()
        .then((row) => row?.id ?? null);
      this.companyByNumber.set(phoneNumberId, found);
    }
    return found;
  }

  /** Waits for every item, stores the dead letters; returns how many failed on our side (Meta will retry). */
  async finish(): Promise<number> {
    const results = await Promise.allSettled(this.tasks);
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed) console.error('webhook item failed', f.reason);
    if (this.letters.length > 0) {
      // One row a statement: a letter may be up to a megabyte, and D1 caps statements, not batches, so tightly.
      // Kept before any company is known (or for none): the platform's.
      const db = platformDb(this.env);
      const [first, ...rest] = this.letters.map((l) =>
        db.insert(webhookDeadLetters).values({ id: newId('dlq'), rawBody: l.raw, error: l.error }),
      );
      if (first) await db.batch([first, ...rest]);
    }
    return failed.length;
  }
}
