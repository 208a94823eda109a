// Meta's template webhooks: `message_template_status_update` (review outcome, pause, disable...) and
// `template_category_update`. The row is found by Meta's template id, compared as a string (the webhook sends a
// JSON number, the create answer a string), else by name and language. An update for a template we do not
// have (yet) is kept as a dead letter and replayed after a create or a sync, never lost.
// https://developers.facebook.com/docs/whatsapp/business-management-api/webhooks/components
// An update names a WABA, found in the platform's directory, and may be kept before any company is known, so
// this file reads and writes through `platformDb` while every company shares one database; with a company on
// a database of its own, the update is applied there once the directory has named the company.
import { and, eq, inArray, like, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { auditEachRow, systemBy } from '../../audit/record';
import { SYSTEM } from '../../auth/actor';
import { platformDb } from '../../db/client';
import { companies, templates, webhookDeadLetters } from '../../db/schema';
import { TEMPLATE_CATEGORIES } from './validate';

export const TEMPLATE_FIELDS = ['message_template_status_update', 'template_category_update'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export const isTemplateField = (field: string): field is TemplateField =>
  (TEMPLATE_FIELDS as readonly string[]).includes(field);

const metaId = z.union([z.string(), z.number()]).transform(String);

const statusUpdateSchema = z.looseObject({
  event: z.string().min(1),
  message_template_id: metaId.optional(),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  reason: z.string().nullable().optional(),
});

const categoryUpdateSchema = z.looseObject({
  message_template_id: metaId.optional(),
  message_template_name: z.string().optional(),
  message_template_language: z.string().optional(),
  previous_category: z.string().optional(),
  new_category: z.string().optional(),
});

/** The status a Meta event leaves the template in; null when the event says nothing about sendability. */
function statusAfter(event: string): string | null {
  // Meta's REINSTATED ends a pause: the template is APPROVED again.
  if (event === 'REINSTATED') return 'APPROVED';
  // UNARCHIVED returns a template to its earlier status, which the event does not say: the next sync reads it.
  if (event === 'UNARCHIVED') return null;
  return event;
}

export type TemplateUpdateOutcome = 'applied' | 'unknown_template' | 'invalid';

interface Who {
  metaId?: string;
  name?: string;
  language?: string;
}

/** The rows one update is about: by Meta id in the company (or anywhere, for letters kept without a WABA). */
async function targetIds(env: Env, companyId: string | null, who: Who): Promise<string[]> {
  const db = platformDb(env);
  const scope = companyId === null ? undefined : eq(templates.companyId, companyId);
  if (who.metaId !== undefined) {
    const rows = await db
      .select({ id: templates.id })
      .from(templates)
      .where(and(scope, eq(templates.metaId, who.metaId)))
      .all();
    if (rows.length > 0 || companyId === null) return rows.map((r) => r.id);
  }
  if (companyId === null || who.name === undefined || who.language === undefined) return [];
  const rows = await db
    .select({ id: templates.id })
    .from(templates)
    .where(and(scope, eq(templates.name, who.name), eq(templates.language, who.language.replace('-', '_'))))
    .all();
  return rows.map((r) => r.id);
}

/** Applies one template change for the company owning the WABA (null: a letter kept without its WABA id). */
/** Meta's entry `time` (epoch seconds) in milliseconds, or null when absent. */
export function metaTimeOf(time: unknown): number | null {
  const n = typeof time === 'string' ? Number(time) : time;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n * 1000 : null;
}

export async function applyTemplateChange(
  env: Env,
  wabaId: string | null,
  field: TemplateField,
  value: unknown,
  at: number | null = null,
): Promise<TemplateUpdateOutcome> {
  const db = platformDb(env);
  let companyId: string | null = null;
  if (wabaId !== null) {
    const company = await db.select({ id: companies.id }).from(companies).where(eq(companies.wabaId, wabaId)).get();
    if (!company) return 'unknown_template';
    companyId = company.id;
  }
  const now = Date.now();
  if (field === 'message_template_status_update') {
    const v = statusUpdateSchema.safeParse(value);
    if (!v.success) return 'invalid';
    const status = statusAfter(v.data.event);
    const ids = await targetIds(env, companyId, {
      metaId: v.data.message_template_id,
      name: v.data.message_template_name,
      language: v.data.message_template_language,
    });
    if (ids.length === 0) return 'unknown_template';
    if (status === null) return 'applied';
    const reason = status === 'REJECTED' && v.data.reason && v.data.reason !== 'NONE' ? v.data.reason : null;
    // Meta delivers webhooks unordered: an update older than the status we hold is stale and changes nothing.
    // Meta's time is whole seconds, ours milliseconds: an update from the same second still applies.
    const fresh = at === null ? sql`1` : sql`(${templates.statusAt} IS NULL OR ${templates.statusAt} < ${at + 1000})`;
    const where = sql`${inArray(templates.id, ids)} AND ${fresh}`;
    await db.batch([
      // Read in the batch, before the change: each row the update moves to another status, and its status before.
      auditEachRow(
        db,
        systemBy(SYSTEM.meta),
        {
          action: 'template.status_changed',
          targetType: 'template',
          table: templates,
          companyId: templates.companyId,
          targetId: templates.id,
          details: sql`json_object('name', ${templates.name}, 'language', ${templates.language},
            'from', ${templates.status}, 'to', ${status}, 'reason', ${reason}, 'event', ${v.data.event})`,
        },
        sql`${where} AND ${ne(templates.status, status)}`,
        now,
      ),
      db
        .update(templates)
        .set({ status, rejectedReason: reason, statusAt: at ?? now, updatedAt: now })
        .where(where),
    ]);
    return 'applied';
  }
  const v = categoryUpdateSchema.safeParse(value);
  if (!v.success) return 'invalid';
  const category = TEMPLATE_CATEGORIES.find((c) => c === v.data.new_category);
  if (!category) return 'invalid';
  const ids = await targetIds(env, companyId, {
    metaId: v.data.message_template_id,
    name: v.data.message_template_name,
    language: v.data.message_template_language,
  });
  if (ids.length === 0) return 'unknown_template';
  const where = inArray(templates.id, ids);
  await db.batch([
    auditEachRow(
      db,
      systemBy(SYSTEM.meta),
      {
        action: 'template.updated',
        targetType: 'template',
        table: templates,
        companyId: templates.companyId,
        targetId: templates.id,
        details: sql`json_object('name', ${templates.name}, 'language', ${templates.language},
          'category', json_object('from', ${templates.category}, 'to', ${category}))`,
      },
      sql`${where} AND ${ne(templates.category, category)}`,
      now,
    ),
    db.update(templates).set({ category, updatedAt: now }).where(where),
  ]);
  return 'applied';
}

const KEPT_PREFIX = 'template_unknown: ';
/** What webhook.ts wrote for these fields before templates were handled. */
const UNHANDLED_PREFIX = 'unhandled field: ';

interface KeptLetter {
  field: TemplateField;
  value: unknown;
  waba_id?: string;
  /** Meta's entry time, epoch milliseconds. */
  at?: number;
}

/**
 * Webhook entry point for one change: apply it, or hand it to `keep` (webhook.ts stores it as a dead letter,
 * with its WABA id) for a later replay.
 */
export async function handleTemplateChange(
  env: Env,
  entry: { wabaId: string; time?: unknown },
  field: TemplateField,
  value: unknown,
  keep: (raw: string, error: string) => void,
): Promise<TemplateUpdateOutcome> {
  const at = metaTimeOf(entry.time);
  const outcome = await applyTemplateChange(env, entry.wabaId, field, value, at);
  if (outcome !== 'applied') {
    const letter: KeptLetter = { field, value, waba_id: entry.wabaId, ...(at === null ? {} : { at }) };
    keep(JSON.stringify(letter), outcome === 'invalid' ? `template_invalid: ${field}` : `${KEPT_PREFIX}${field}`);
  }
  return outcome;
}

const keptLetterSchema = z.looseObject({
  field: z.enum(TEMPLATE_FIELDS),
  value: z.unknown(),
  waba_id: z.string().optional(),
  at: z.number().optional(),
});

/**
 * Replays kept template updates: ours (`template_unknown`) and those webhook.ts dead-lettered as unhandled
 * before this feature. Applied ones are removed; the rest stay for the next replay. Idempotent: a status
 * applied twice is the same status.
 */
export async function replayKeptTemplateUpdates(env: Env, limit = 500): Promise<{ applied: number; kept: number }> {
  const db = platformDb(env);
  const letters = await db
    .select()
    .from(webhookDeadLetters)
    .where(
      or(
        ...TEMPLATE_FIELDS.flatMap((f) => [
          eq(webhookDeadLetters.error, `${KEPT_PREFIX}${f}`),
          like(webhookDeadLetters.error, `${UNHANDLED_PREFIX}${f}%`),
        ]),
      ),
    )
    .orderBy(webhookDeadLetters.receivedAt)
    .limit(limit)
    .all();
  const done: string[] = [];
  for (const letter of letters) {
    let json: unknown;
    try {
      json = JSON.parse(letter.rawBody);
    } catch {
      continue;
    }
    const parsed = keptLetterSchema.safeParse(json);
    if (!parsed.success) continue;
    const { waba_id: wabaId, field, value, at } = parsed.data;
    const outcome = await applyTemplateChange(env, wabaId ?? null, field, value, at ?? null);
    if (outcome === 'applied') done.push(letter.id);
  }
  for (let i = 0; i < done.length; i += 90)
    await db.delete(webhookDeadLetters).where(inArray(webhookDeadLetters.id, done.slice(i, i + 90)));
  return { applied: done.length, kept: letters.length - done.length };
}
