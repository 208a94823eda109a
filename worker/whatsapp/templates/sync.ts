// Brings the templates table in line with Meta's list: imports what only Meta has, updates status, category
// and components, and marks DELETED what Meta no longer has (kept for the history that used it). Run by
// `POST /templates/sync` and hourly for every enabled company (scheduled.ts).
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { type ParameterFormat, type TemplateComponent, templateVariables } from '#common/templates/components';
import { getDb } from '../../db/client';
import { companies, templates } from '../../db/schema';
import { newId } from '../../ids';
import { type MetaTemplate, type MetaTemplatesApi, metaTemplatesFor } from './meta-templates';
import { companyOf, metaFailure, wabaCredentials } from './service';
import type { TemplateRow } from './store';
import { TEMPLATE_CATEGORIES } from './validate';
import { replayKeptTemplateUpdates } from './webhook';

export interface SyncCounts {
  imported: number;
  updated: number;
  deleted: number;
  unchanged: number;
  /** Templates in Meta's list we could not read (an unknown category, a malformed entry). */
  skipped: number;
}

type Category = TemplateRow['category'];
const categoryOf = (c: string): Category | undefined => TEMPLATE_CATEGORIES.find((k) => k === c);
const formatOf = (f: string | undefined): ParameterFormat => (f === 'NAMED' ? 'NAMED' : 'POSITIONAL');
const keyOf = (name: string, language: string) => `${name}\u0000${language}`;

/** The fields Meta owns, as our row would hold them. */
function fromMeta(t: MetaTemplate, category: Category) {
  const components = t.components as TemplateComponent[];
  const parameterFormat = formatOf(t.parameter_format);
  return {
    metaId: t.id,
    status: t.status,
    category,
    parameterFormat,
    components,
    variables: templateVariables(components, parameterFormat),
    rejectedReason:
      t.status === 'REJECTED' && t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
  };
}

function differs(row: TemplateRow, next: ReturnType<typeof fromMeta>): boolean {
  return (
    row.metaId !== next.metaId ||
    row.status !== next.status ||
    row.category !== next.category ||
    row.parameterFormat !== next.parameterFormat ||
    row.rejectedReason !== next.rejectedReason ||
    JSON.stringify(row.components) !== JSON.stringify(next.components)
  );
}

export async function syncTemplates(
  env: Env,
  companyId: string,
  opts: { now?: number; replay?: boolean; meta?: MetaTemplatesApi } = {},
): Promise<SyncCounts> {
  const db = getDb(env);
  const now = opts.now ?? Date.now();
  const creds = await wabaCredentials(env, await companyOf(env, companyId));
  // Kept updates first: Meta's list, read next, is newer than any of them and has the last word.
  if (opts.replay !== false) await replayKeptTemplateUpdates(env);
  // Our rows before Meta's list: whatever a row held then is older than the list, so the list may replace
  // it. A webhook or a create recorded after this read may be newer than the list: each write below is a
  // compare-and-set on what was read, and leaves such a row to the webhook (or to the next sync).
  const rows = await db.select().from(templates).where(eq(templates.companyId, companyId)).all();
  const listed = await (opts.meta ?? metaTemplatesFor(env)).list(creds);
  if (!listed.ok) throw metaFailure(listed.error);

  const byMetaId = new Map(rows.filter((r) => r.metaId !== null).map((r) => [r.metaId, r]));
  const byKey = new Map(rows.map((r) => [keyOf(r.name, r.language), r]));
  const seen = new Set<string>();
  const counts: SyncCounts = { imported: 0, updated: 0, deleted: 0, unchanged: 0, skipped: listed.value.unreadable };
  const writes: BatchItem<'sqlite'>[] = [];
  // What each write counts as if it changes a row; one that finds its row changed since counts as unchanged.
  const counted: Exclude<keyof SyncCounts, 'unchanged' | 'skipped'>[] = [];
  /** The row still holds the status this sync read (status_at included: Meta may repeat a status). */
  const asRead = (row: TemplateRow) =>
    and(
      eq(templates.id, row.id),
      eq(templates.status, row.status),
      row.statusAt === null ? isNull(templates.statusAt) : eq(templates.statusAt, row.statusAt),
    );

  for (const t of listed.value.templates) {
    const category = categoryOf(t.category);
    if (!category) {
      counts.skipped += 1;
      continue;
    }
    const next = fromMeta(t, category);
    const row = byMetaId.get(t.id) ?? byKey.get(keyOf(t.name, t.language));
    if (!row) {
      counted.push('imported');
      writes.push(
        db
          .insert(templates)
          .values({
            id: newId('tpl'),
            companyId,
            name: t.name,
            language: t.language,
            ...next,
            statusAt: now,
            createdAt: now,
            updatedAt: now,
          })
          // A create that finished meanwhile stored it first: leave that row to the next sync.
          .onConflictDoNothing()
          .returning({ id: templates.id }),
      );
      seen.add(keyOf(t.name, t.language));
      continue;
    }
    seen.add(keyOf(row.name, row.language));
    if (!differs(row, next)) {
      counts.unchanged += 1;
      continue;
    }
    counted.push('updated');
    // A variable_map entry for a variable the new components no longer have would only ever fail a send.
    const variableMap = Object.fromEntries(Object.entries(row.variableMap).filter(([k]) => next.variables.includes(k)));
    writes.push(
      db
        .update(templates)
        .set({ ...next, variableMap, ...(row.status === next.status ? {} : { statusAt: now }), updatedAt: now })
        .where(asRead(row))
        .returning({ id: templates.id }),
    );
  }

  for (const row of rows) {
    if (seen.has(keyOf(row.name, row.language)) || row.status === 'DELETED') continue;
    counted.push('deleted');
    writes.push(
      db
        .update(templates)
        .set({ status: 'DELETED', statusAt: now, updatedAt: now })
        .where(and(asRead(row), eq(templates.companyId, companyId)))
        .returning({ id: templates.id }),
    );
  }

  const [first, ...rest] = writes;
  if (!first) return counts;
  const results: unknown[] = await db.batch([first, ...rest]);
  results.forEach((changed, i) => {
    const kind = counted[i];
    if (!kind) return;
    if (Array.isArray(changed) && changed.length > 0) counts[kind] += 1;
    else counts.unchanged += 1;
  });
  return counts;
}

/** Companies synced at once: each sync is a few Graph calls and one D1 batch. */
const SYNC_CONCURRENCY = 4;

/** The hourly job: every company with WhatsApp on and a WABA; one failing company does not stop the rest. */
export async function syncAllCompanies(env: Env): Promise<void> {
  const rows = await getDb(env)
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(companies.whatsappEnabled, true), isNotNull(companies.wabaId), isNotNull(companies.accessTokenEnc)))
    .all();
  // Kept updates once for everyone (they are not per company), before any list is read.
  await replayKeptTemplateUpdates(env);
  const failed: [string, unknown][] = [];
  for (let i = 0; i < rows.length; i += SYNC_CONCURRENCY) {
    const chunk = rows.slice(i, i + SYNC_CONCURRENCY);
    const results = await Promise.allSettled(chunk.map((c) => syncTemplates(env, c.id, { replay: false })));
    results.forEach((r, j) => {
      const id = chunk[j]?.id;
      if (r.status === 'rejected' && id) failed.push([id, r.reason]);
    });
  }
  for (const [id, reason] of failed) console.error('template sync failed', id, reason);
  if (failed.length > 0) throw new Error(`template sync failed for ${failed.length} of ${rows.length} companies`);
}
