// Brings the templates table in line with Meta's list: imports what only Meta has, updates status, category
// and components, and marks DELETED what Meta no longer has (kept for the history that used it). Run by
// `POST /templates/sync` and hourly for every enabled company (scheduled.ts).
import { and, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { type ParameterFormat, type TemplateComponent, templateVariables } from '#common/templates/components';
import { type AuditBy, type AuditEntry, auditRowIf, systemBy } from '../../audit/record';
import { SYSTEM } from '../../auth/actor';
import { platformDb } from '../../db/client';
import { companyDb } from '../../db/company-data';
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

/** The fields Meta changed since our row was written; none means the row is up to date. */
function changedFields(row: TemplateRow, next: ReturnType<typeof fromMeta>): string[] {
  const changed: string[] = [];
  if (row.metaId !== next.metaId) changed.push('meta_id');
  if (row.status !== next.status) changed.push('status');
  if (row.category !== next.category) changed.push('category');
  if (row.parameterFormat !== next.parameterFormat) changed.push('parameter_format');
  if (row.rejectedReason !== next.rejectedReason) changed.push('rejected_reason');
  if (JSON.stringify(row.components) !== JSON.stringify(next.components)) changed.push('components');
  return changed;
}

/** A status Meta moved is `status_changed`; any other field of Meta's that moved is `updated`. */
function syncEntry(row: TemplateRow, status: string, changed: string[]): AuditEntry {
  const about = { name: row.name, language: row.language, source: 'meta_sync' };
  return row.status !== status
    ? {
        action: 'template.status_changed',
        target: { type: 'template', id: row.id },
        details: { ...about, from: row.status, to: status },
      }
    : { action: 'template.updated', target: { type: 'template', id: row.id }, details: { ...about, changed } };
}

export async function syncTemplates(
  env: Env,
  companyId: string,
  /** `by`: who asked (POST /templates/sync); the hourly job by default. */
  opts: { now?: number; replay?: boolean; meta?: MetaTemplatesApi; by?: AuditBy } = {},
): Promise<SyncCounts> {
  const db = companyDb(env, companyId);
  const now = opts.now ?? Date.now();
  const by = opts.by ?? systemBy(SYSTEM.templateSync);
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
  // Audit entries count as nothing (null): each goes just before its change, under the change's own condition.
  const counted: (Exclude<keyof SyncCounts, 'unchanged' | 'skipped'> | null)[] = [];
  const audit = (entry: AuditEntry, when: SQL) => {
    counted.push(null);
    writes.push(auditRowIf(db, companyId, by, entry, when, now));
  };
  const still = (row: TemplateRow) => sql`EXISTS (SELECT 1 FROM ${templates} WHERE ${asRead(row)})`;
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
      const id = newId('tpl');
      counted.push('imported');
      writes.push(
        db
          .insert(templates)
          .values({
            id,
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
      audit(
        {
          action: 'template.created',
          target: { type: 'template', id },
          details: { name: t.name, language: t.language, category, status: t.status, source: 'meta_sync' },
        },
        sql`EXISTS (SELECT 1 FROM ${templates} WHERE ${templates.id} = ${id})`,
      );
      seen.add(keyOf(t.name, t.language));
      continue;
    }
    seen.add(keyOf(row.name, row.language));
    const changed = changedFields(row, next);
    if (changed.length === 0) {
      counts.unchanged += 1;
      continue;
    }
    audit(syncEntry(row, next.status, changed), still(row));
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
    audit(syncEntry(row, 'DELETED', ['status']), still(row));
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
  const rows = await platformDb(env)
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
