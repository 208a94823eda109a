// Automated items: create, read, change, delete, and their run log. Routes call these after authorising.

import type { z } from '@hono/zod-openapi';
import { and, count, desc, eq, inArray, max, sql } from 'drizzle-orm';
import { type AuditBy, auditRow, auditRowIf } from '../../audit/record';
import { requireClubs } from '../../clubs/service';
import type { Db } from '../../db/client';
import type { Audience } from '../../db/column-types';
import { companyDb } from '../../db/company-data';
import { auditLog, automationOccurrences, automationRuns, automations, companies } from '../../db/schema';
import { ApiError, notFound } from '../../errors';
import { newId } from '../../ids';
import { requireLabels } from '../../labels/service';
import { pageOf } from '../../pagination';
import { requireStage, requireStages } from '../../pipeline/service';
import { itemHeaderMedia } from '../templates/header-sample';
import { findTemplate, isApproved } from '../templates/store';
import type { AutomationCreate, AutomationUpdate, automationSchema, runSchema } from './schemas';
import type { AutomationRow, CompanyRow } from './sweep';
import { DEFAULT_SEND_WINDOW } from './triggers';

const iso = (ms: number): string => new Date(ms).toISOString();

export function serializeAutomation(a: AutomationRow): z.infer<typeof automationSchema> {
  return {
    id: a.id,
    name: a.name,
    enabled: a.enabled,
    paused_reason: a.pausedReason,
    template: { name: a.templateName, language: a.templateLanguage },
    variables: a.variables,
    sale_type: a.saleType,
    trigger: a.trigger,
    audience: a.audience ?? null,
    send_window: a.sendWindow ?? DEFAULT_SEND_WINDOW,
    header_media: a.headerMedia ?? null,
    created_at: iso(a.createdAt),
    updated_at: iso(a.updatedAt),
  };
}

export async function getAutomation(db: Db, companyId: string, id: string): Promise<AutomationRow> {
  const row = await db
    .select()
    .from(automations)
    .where(and(eq(automations.id, id), eq(automations.companyId, companyId)))
    .get();
  if (!row) throw notFound('Automated item');
  return row;
}

export async function getCompanyRow(db: Db, companyId: string): Promise<CompanyRow> {
  const row = await db.select().from(companies).where(eq(companies.id, companyId)).get();
  if (!row) throw notFound('Company');
  return row;
}

/** An enabled item must name a template Meta has approved; a disabled one may wait for the approval. */
async function assertTemplate(db: Db, companyId: string, t: { name: string; language: string }, enabled: boolean) {
  const template = await findTemplate(db, companyId, t.name, t.language);
  if (!template)
    throw new ApiError(422, 'template_not_found', `No template ${t.name} in ${t.language}; create it first`);
  if (enabled && !isApproved(template))
    throw new ApiError(
      422,
      'template_not_approved',
      `Template ${t.name} (${t.language}) is ${template.status}: only an APPROVED template can be enabled`,
    );
}

/** The clubs, stages and labels an audience names are all the company's (else 422 unknown_club / _stage / _label). */
async function requireAudience(db: Db, companyId: string, audience: Audience | null | undefined): Promise<void> {
  await requireClubs(db, companyId, audience?.club_ids ?? []);
  await requireStages(db, companyId, audience?.stage_ids ?? []);
  await requireLabels(db, companyId, audience?.label_ids ?? []);
}

export async function createAutomation(
  env: Env,
  companyId: string,
  by: AuditBy,
  input: AutomationCreate,
): Promise<AutomationRow> {
  const db = companyDb(env, companyId);
  await assertTemplate(db, companyId, input.template, input.enabled);
  await requireAudience(db, companyId, input.audience);
  if (input.trigger.event === 'stage_changed') await requireStage(db, companyId, input.trigger.stage_id);
  const headerMedia = await itemHeaderMedia(db, companyId, input.template, input.header_media);
  const now = Date.now();
  const id = newId('aut');
  const [rows] = await db.batch([
    db
      .insert(automations)
      .values({
        id,
        companyId,
        name: input.name,
        enabled: input.enabled,
        templateName: input.template.name,
        templateLanguage: input.template.language,
        variables: input.variables,
        saleType: input.sale_type,
        trigger: input.trigger,
        audience: input.audience ?? null,
        sendWindow: input.send_window ?? null,
        headerMedia: headerMedia ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
    db.insert(auditLog).values(
      auditRow(
        companyId,
        by,
        {
          action: 'automation.created',
          target: { type: 'automation', id },
          details: { name: input.name, enabled: input.enabled, template: input.template, trigger: input.trigger },
        },
        now,
      ),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound('Automated item');
  return row;
}

type AutomationJson = ReturnType<typeof serializeAutomation>;
const CHANGEABLE = [
  'name',
  'enabled',
  'template',
  'variables',
  'sale_type',
  'trigger',
  'audience',
  'send_window',
  'header_media',
] as const;

/** Each field the update moves, as it reads in the API before and after (paused_reason too, when it clears). */
function changesOf(before: AutomationJson, after: AutomationJson): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of [...CHANGEABLE, 'paused_reason'] as const)
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key]))
      changed[key] = { from: before[key], to: after[key] };
  return changed;
}

export async function updateAutomation(
  env: Env,
  companyId: string,
  by: AuditBy,
  id: string,
  input: AutomationUpdate,
): Promise<AutomationRow> {
  const db = companyDb(env, companyId);
  const current = await getAutomation(db, companyId, id);
  const template = input.template ?? { name: current.templateName, language: current.templateLanguage };
  const enabled = input.enabled ?? current.enabled;
  if (input.template !== undefined || input.enabled === true) await assertTemplate(db, companyId, template, enabled);
  await requireAudience(db, companyId, input.audience);
  if (input.trigger?.event === 'stage_changed') await requireStage(db, companyId, input.trigger.stage_id);
  // Another template without a header file named for it takes that template's default.
  const headerMedia = await itemHeaderMedia(
    db,
    companyId,
    template,
    input.header_media !== undefined ? input.header_media : input.template ? null : undefined,
  );
  const now = Date.now();
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    // Switching it on again (or to another template) clears why it paused itself.
    ...(input.enabled === true || input.template !== undefined ? { pausedReason: null } : {}),
    ...(input.template !== undefined
      ? { templateName: input.template.name, templateLanguage: input.template.language }
      : {}),
    ...(input.variables !== undefined ? { variables: input.variables } : {}),
    ...(input.sale_type !== undefined ? { saleType: input.sale_type } : {}),
    ...(input.trigger !== undefined ? { trigger: input.trigger } : {}),
    ...(input.audience !== undefined ? { audience: input.audience } : {}),
    ...(input.send_window !== undefined ? { sendWindow: input.send_window } : {}),
    ...(headerMedia !== undefined ? { headerMedia } : {}),
    updatedAt: now,
  };
  const changed = changesOf(serializeAutomation(current), serializeAutomation({ ...current, ...set }));
  const where = and(eq(automations.id, id), eq(automations.companyId, companyId));
  const update = db.update(automations).set(set).where(where).returning();
  // Switching it off and on (pause, resume) is an update like any other; one that changes nothing is not logged.
  const [rows] =
    Object.keys(changed).length === 0
      ? [await update]
      : await db.batch([
          update,
          auditRowIf(
            db,
            companyId,
            by,
            {
              action: 'automation.updated',
              target: { type: 'automation', id },
              details: { name: current.name, changed },
            },
            sql`EXISTS (SELECT 1 FROM ${automations} WHERE ${where})`,
            now,
          ),
        ]);
  const row = rows[0];
  if (!row) throw notFound('Automated item');
  return row;
}

/** The item, its runs and its occurrences go; its history notes stay (they carry its id and name). */
export async function deleteAutomation(env: Env, companyId: string, by: AuditBy, id: string): Promise<void> {
  const db = companyDb(env, companyId);
  const current = await getAutomation(db, companyId, id);
  const where = and(eq(automations.id, id), eq(automations.companyId, companyId));
  await db.batch([
    // First, while the item is there to say it went.
    auditRowIf(
      db,
      companyId,
      by,
      { action: 'automation.deleted', target: { type: 'automation', id }, details: { name: current.name } },
      sql`EXISTS (SELECT 1 FROM ${automations} WHERE ${where})`,
    ),
    db.delete(automationOccurrences).where(eq(automationOccurrences.automationId, id)),
    db.delete(automationRuns).where(eq(automationRuns.automationId, id)),
    db.delete(automations).where(where),
  ]);
}

export async function listAutomations(
  db: Db,
  companyId: string,
  page: number,
  perPage: number,
): Promise<{ rows: AutomationRow[]; total: number }> {
  const where = eq(automations.companyId, companyId);
  const { limit, offset } = pageOf(page, perPage);
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(automations)
      .where(where)
      .orderBy(desc(automations.createdAt), desc(automations.id))
      .limit(limit)
      .offset(offset)
      .all(),
    db.select({ n: count() }).from(automations).where(where).all(),
  ]);
  return { rows, total: totals[0]?.n ?? 0 };
}

export type RunJson = z.infer<typeof runSchema>;

/** The run log: each run's occurrences counted by outcome, read from the occurrences themselves. */
export async function listRuns(
  db: Db,
  automationId: string,
  page: number,
  perPage: number,
): Promise<{ runs: RunJson[]; total: number }> {
  const { limit, offset } = pageOf(page, perPage);
  const [runs, totals] = await Promise.all([
    db
      .select()
      .from(automationRuns)
      .where(eq(automationRuns.automationId, automationId))
      .orderBy(desc(automationRuns.startedAt), desc(automationRuns.id))
      .limit(limit)
      .offset(offset)
      .all(),
    db.select({ n: count() }).from(automationRuns).where(eq(automationRuns.automationId, automationId)).all(),
  ]);
  return { runs: await summarizeRuns(db, runs), total: totals[0]?.n ?? 0 };
}

export async function summarizeRuns(db: Db, runs: (typeof automationRuns.$inferSelect)[]): Promise<RunJson[]> {
  if (runs.length === 0) return [];
  const groups = await db
    .select({
      runId: automationOccurrences.runId,
      state: automationOccurrences.state,
      reason: automationOccurrences.reason,
      n: count(),
      last: max(automationOccurrences.updatedAt),
    })
    .from(automationOccurrences)
    .where(
      inArray(
        automationOccurrences.runId,
        runs.map((r) => r.id),
      ),
    )
    .groupBy(automationOccurrences.runId, automationOccurrences.state, automationOccurrences.reason)
    .all();
  return runs.map((r) => {
    const out: RunJson = {
      id: r.id,
      kind: r.kind,
      started_at: iso(r.startedAt),
      finished_at: null,
      due: 0,
      sent: 0,
      skipped: {},
      failed: 0,
      pending: 0,
    };
    let last = r.startedAt;
    for (const g of groups.filter((g) => g.runId === r.id)) {
      out.due += g.n;
      last = Math.max(last, g.last ?? 0);
      if (g.state === 'sent') out.sent += g.n;
      else if (g.state === 'failed') out.failed += g.n;
      else if (g.state === 'pending') out.pending += g.n;
      else out.skipped[g.reason ?? 'unknown'] = (out.skipped[g.reason ?? 'unknown'] ?? 0) + g.n;
    }
    if (out.pending === 0) out.finished_at = iso(last);
    return out;
  });
}
