// The JSON for one history note, and its schema; the WhatsApp send route returns the note it wrote with these.
import { z } from '@hono/zod-openapi';
import { referralOf, referralSchema } from '../ads/referral';
import type { historyNotes } from '../db/schema';
import { interactiveSchema } from '../whatsapp/meta/interactive-schema';

export type HistoryNoteRow = typeof historyNotes.$inferSelect;

export const HISTORY_TYPES = [
  'whatsapp_sent',
  'whatsapp_received',
  'whatsapp_opt_out',
  'whatsapp_opt_in',
  'whatsapp_event',
  /** The person's owner changed: body "Assigned to Sam by Alex", content {from, to} as {id, name} or null. */
  'owner_changed',
  /** The lead's stage changed: body "Stage: Enquiry → Tour booked by Sam", content {from, to} as {id, name} or null. */
  'stage_changed',
  /** An internal note by staff (POST /people/:id/notes): body with @[usr_…] tokens, content {mentions: [{id, name}]}. */
  'note',
] as const satisfies readonly HistoryNoteRow['type'][];

const actorSchema = z.object({
  kind: z.enum(['api_key', 'user', 'whatsapp', 'system', 'automation']),
  id: z.string(),
  name: z.string(),
});

export const historyNoteSchema = z
  .object({
    id: z.string().openapi({ example: 'his_0123456789abcdefghjk' }),
    person_id: z.string(),
    type: z.enum(HISTORY_TYPES),
    occurred_at: z.string().openapi({ description: "Meta's time for inbound messages, ours otherwise" }),
    wamid: z.string().nullable(),
    direction: z.enum(['outbound', 'inbound']).nullable(),
    message_type: z.string().nullable(),
    body: z.string().nullable(),
    template: z
      .object({
        name: z.string(),
        language: z.string(),
        category: z.string().nullable().openapi({ description: 'MARKETING, UTILITY or AUTHENTICATION' }),
        params: z
          .union([z.array(z.string()), z.record(z.string(), z.string())])
          .openapi({ description: 'In variable order, or by name for NAMED templates' }),
      })
      .nullable(),
    content: z.unknown().openapi({ description: 'Type-specific detail: media, location, reaction, consent...' }),
    context_wamid: z.string().nullable().openapi({ description: 'The message this one replies to' }),
    // The click-to-WhatsApp ad an inbound message was sent from, if it was (AdReferral's own description).
    referral: referralSchema.nullable(),
    sale_type: z.enum(['membership', 'secondary']).nullable(),
    status: z.string().nullable(),
    status_at: z.string().nullable(),
    error: z
      .object({
        // Meta's numeric code (e.g. 131026), or our own refusal code (e.g. 'opted_out') for a message we
        // stopped before it reached Meta.
        code: z.union([z.number(), z.string()]).nullable(),
        title: z.string().nullable(),
        message: z.string().nullable(),
        details: z.string().nullable(),
      })
      .nullable(),
    actor: actorSchema.nullable(),
    interactive: interactiveSchema.nullable().openapi({
      description: 'A sent interactive message (reply buttons, a list, a link button) as Meta received it',
    }),
    choice: z
      .object({
        kind: z.enum(['button', 'list']),
        id: z.string(),
        title: z.string(),
        description: z.string().nullable(),
      })
      .nullable()
      .openapi({
        description:
          "The person's answer to an interactive message: the button or list row they chose (context_wamid names the question)",
      }),
    automation: z
      .object({ id: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: 'The automated item that sent this message, if one did' }),
  })
  .openapi('HistoryNote');

export type HistoryNoteJson = z.infer<typeof historyNoteSchema>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

// content and error are JSON columns written by several modules; read them defensively, never trust the shape.
function templateOf(row: HistoryNoteRow): HistoryNoteJson['template'] {
  if (row.messageType !== 'template') return null;
  const c = record(row.content);
  const name = str(c?.name);
  if (!c || name === null) return null;
  const text = (p: unknown): string => (typeof p === 'string' ? p : JSON.stringify(p));
  const named = record(c.params);
  const params = Array.isArray(c.params)
    ? c.params.map(text)
    : named
      ? Object.fromEntries(Object.entries(named).map(([k, v]) => [k, text(v)]))
      : [];
  return { name, language: str(c.language) ?? '', category: str(c.category), params };
}

function interactiveOf(row: HistoryNoteRow): HistoryNoteJson['interactive'] {
  if (row.type !== 'whatsapp_sent' || row.messageType !== 'interactive') return null;
  const parsed = interactiveSchema.safeParse(row.content);
  return parsed.success ? parsed.data : null;
}

/** Meta's inbound `interactive`: `{type: "button_reply", button_reply: {id, title}}` or a `list_reply`. */
function choiceOf(row: HistoryNoteRow): HistoryNoteJson['choice'] {
  if (row.type !== 'whatsapp_received' || row.messageType !== 'interactive') return null;
  const c = record(row.content);
  const kind = c?.type === 'button_reply' ? 'button' : c?.type === 'list_reply' ? 'list' : null;
  const reply = kind && record(c?.[`${kind}_reply`]);
  const id = str(reply?.id);
  const title = str(reply?.title);
  if (!kind || id === null || title === null) return null;
  return { kind, id, title, description: str(reply?.description) };
}

function errorOf(value: unknown): HistoryNoteJson['error'] {
  const e = record(value);
  if (!e) return null;
  return {
    code: typeof e.code === 'number' || typeof e.code === 'string' ? e.code : null,
    title: str(e.title),
    message: str(e.message),
    details: str(e.details) ?? str(record(e.error_data)?.details),
  };
}

function actorOf(value: unknown): HistoryNoteJson['actor'] {
  const parsed = actorSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

function automationOf(value: unknown): HistoryNoteJson['automation'] {
  const actor = actorOf(value);
  return actor?.kind === 'automation' ? { id: actor.id, name: actor.name } : null;
}

const DIRECTION: Partial<Record<HistoryNoteRow['type'], 'outbound' | 'inbound'>> = {
  whatsapp_sent: 'outbound',
  whatsapp_received: 'inbound',
};

export function serializeNote(row: typeof historyNotes.$inferSelect): HistoryNoteJson {
  return {
    id: row.id,
    person_id: row.personId,
    type: row.type,
    occurred_at: new Date(row.occurredAt).toISOString(),
    wamid: row.wamid,
    direction: DIRECTION[row.type] ?? null,
    message_type: row.messageType,
    body: row.body,
    template: templateOf(row),
    content: row.content ?? null,
    context_wamid: row.contextWamid,
    referral: referralOf(row.referral),
    sale_type: row.saleType,
    status: row.status,
    status_at: iso(row.statusAt),
    error: errorOf(row.error),
    actor: actorOf(row.actor),
    interactive: interactiveOf(row),
    choice: choiceOf(row),
    automation: automationOf(row.actor),
  };
}
