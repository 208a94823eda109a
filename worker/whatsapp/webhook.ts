import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { getDb } from '../db/client';
import { companies, webhookDeadLetters } from '../db/schema';
import { errorBody } from '../errors';
import { newRouter } from '../http';
import { newId } from '../ids';
import { decodeCallbackData } from './callback-data';
import { conversationStub } from './conversation';
import { isValidSignature, SIGNATURE_HEADER } from './meta/signature';
import {
  inboundMessageSchema,
  type MessagesValue,
  messagesValueSchema,
  statusSchema,
  webhookPayloadSchema,
} from './meta/webhook-schema';
import { handleTemplateChange, isTemplateField } from './templates/webhook';

export const webhookRoutes = newRouter();

// Meta's one-time verification: echo the challenge only to someone who knows our verify token.
webhookRoutes.get('/', (c) => {
  const mode = c.req.query('hub.mode');
  const token = c.req.query('hub.verify_token');
  const challenge = c.req.query('hub.challenge') ?? '';
  const expected = c.env.META_VERIFY_TOKEN;
  if (mode === 'subscribe' && expected && token === expected) return c.text(challenge, 200);
  return c.json(errorBody('forbidden', 'Verification token mismatch'), 403);
});

// Meta retries anything but a 2xx for days, so: 401 for forgeries, 200 only once everything is stored
// (or dead-lettered), 500 when our side failed and a retry will help. Redelivery is harmless by design.
webhookRoutes.post('/', async (c) => {
  const raw = await c.req.arrayBuffer();
  if (!(await isValidSignature(c.env.META_APP_SECRET, raw, c.req.header(SIGNATURE_HEADER))))
    return c.json(errorBody('invalid_signature', 'Missing or wrong X-Hub-Signature-256'), 401);

  const text = new TextDecoder().decode(raw);
  const ingest = new Ingest(c.env);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    await ingest.deadLetter(text, 'body is not JSON');
    return c.text('OK', 200);
  }
  const payload = webhookPayloadSchema.safeParse(body);
  if (!payload.success) {
    await ingest.deadLetter(text, `not a WhatsApp Business Account payload: ${payload.error.message}`);
    return c.text('OK', 200);
  }
  for (const entry of payload.data.entry)
    for (const change of entry.changes) await ingest.change(change.field, change.value, entry.id);

  const failures = await ingest.finish();
  if (failures > 0) return c.json(errorBody('ingest_failed', `${failures} item(s) failed; please retry`), 500);
  return c.text('OK', 200);
});

/** One webhook delivery: every message and status is handled on its own, so one bad item never sinks the rest. */
class Ingest {
  private readonly tasks: Promise<unknown>[] = [];
  private readonly letters: { raw: string; error: string }[] = [];
  private readonly companyByNumber = new Map<string, Promise<string | null>>();

  constructor(private readonly env: Env) {}

  async deadLetter(raw: string, error: string): Promise<void> {
    await getDb(this.env)
      .insert(webhookDeadLetters)
      .values({ id: newId('dlq'), rawBody: raw, error });
  }

  async change(field: string, value: unknown, wabaId: string): Promise<void> {
    // Template status and category: the entry id is the WhatsApp Business Account (templates/webhook.ts).
    if (isTemplateField(field)) {
      this.tasks.push(handleTemplateChange(this.env, wabaId, field, value));
      return;
    }
    if (field !== 'messages') {
      // Template status and account updates belong to later features; keep them rather than lose them.
      this.letters.push({ raw: JSON.stringify({ field, value }), error: `unhandled field: ${field}` });
      return;
    }
    const parsed = messagesValueSchema.safeParse(value);
    if (!parsed.success) {
      this.letters.push({ raw: JSON.stringify({ field, value }), error: parsed.error.message });
      return;
    }
    if (parsed.data.errors?.length)
      this.letters.push({ raw: JSON.stringify(parsed.data.errors), error: 'Meta reported errors for this number' });
    const companyId = await this.companyFor(parsed.data.metadata.phone_number_id);
    if (!companyId) return; // Not a number of ours: acknowledged and ignored.
    this.messages(companyId, parsed.data);
    this.statuses(companyId, parsed.data);
  }

  private messages(companyId: string, value: MessagesValue): void {
    for (const m of this.valid(value.messages, inboundMessageSchema, 'message')) {
      const profileName = value.contacts?.find((contact) => contact.wa_id === m.from)?.profile?.name;
      const conversation = conversationStub(this.env, companyId, m.from);
      this.tasks.push(conversation.receiveMessage({ companyId, waId: m.from, profileName, message: m }));
    }
  }

  private statuses(companyId: string, value: MessagesValue): void {
    for (const s of this.valid(value.statuses, statusSchema, 'status')) {
      // Back to the conversation that sent it, even when Meta's recipient_id is a different form of the number.
      const waId = decodeCallbackData(s.biz_opaque_callback_data)?.waId ?? s.recipient_id;
      this.tasks.push(conversationStub(this.env, companyId, waId).applyStatus({ companyId, waId, status: s }));
    }
  }

  /** The items that parse; the others are kept as dead letters, so one bad item never sinks the rest. */
  private valid<T>(items: unknown[] | undefined, schema: z.ZodType<T>, label: string): T[] {
    const out: T[] = [];
    for (const item of items ?? []) {
      const parsed = schema.safeParse(item);
      if (parsed.success) out.push(parsed.data);
      else this.letters.push({ raw: JSON.stringify(item), error: `${label}: ${parsed.error.message}` });
    }
    return out;
  }

  private companyFor(phoneNumberId: string): Promise<string | null> {
    let found = this.companyByNumber.get(phoneNumberId);
    if (!found) {
      found = getDb(this.env)
        .select({ id: companies.id })
        .from(companies)
        .where(eq(companies.phoneNumberId, phoneNumberId))
        .get()
        .then((row) => row?.id ?? null);
      this.companyByNumber.set(phoneNumberId, found);
    }
    return found;
  }

  /** Waits for every item; returns how many failed on our side (they will be retried by Meta). */
  async finish(): Promise<number> {
    const results = await Promise.allSettled(this.tasks);
    const failed = results.filter((r) => r.status === 'rejected');
    for (const f of failed) console.error('webhook item failed', f.reason);
    // D1 allows 100 bound parameters per statement: 3 per letter, so 30 letters a statement.
    for (let i = 0; i < this.letters.length; i += 30) {
      const chunk = this.letters.slice(i, i + 30);
      await getDb(this.env)
        .insert(webhookDeadLetters)
        .values(chunk.map((l) => ({ id: newId('dlq'), rawBody: l.raw, error: l.error })));
    }
    return failed.length;
  }
}
