// Broadcasts: create, read, change while a draft, and move between states. Routes call these after authorising.
// A user limited to clubs (#common/scope) makes broadcasts for their clubs only, and sees only broadcasts whose
// audience lies inside their clubs: anything else answers 404, as another company's does.
import { z } from '@hono/zod-openapi';
import { and, eq, inArray } from 'drizzle-orm';
import type { Scope } from '#common/scope';
import { type AuditBy, auditRow } from '../../audit/record';
import type { Actor } from '../../auth/actor';
import { requireClubs } from '../../clubs/service';
import type { Db } from '../../db/client';
import type { BroadcastAudience, BroadcastState } from '../../db/column-types';
import { companyDatabase, companyDb } from '../../db/company-data';
import { auditLog, broadcasts, labels, pipelineStages } from '../../db/schema';
import { ApiError, notFound } from '../../errors';
import { newId } from '../../ids';
import { type CursorQuery, keysetPage, type Pagination, startOf } from '../../pagination';
import { DEFAULT_SEND_WINDOW } from '../automations/triggers';
import { itemHeaderMedia } from '../templates/header-sample';
import { findTemplate, isApproved } from '../templates/store';
import { reportsOf } from './report';
import type { BroadcastCreate, BroadcastUpdate, broadcastSchema } from './schemas';

export type BroadcastRow = typeof broadcasts.$inferSelect;
export type BroadcastJson = z.infer<typeof broadcastSchema>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function serializeBroadcast(b: BroadcastRow, report: BroadcastJson['report']): BroadcastJson {
  return {
    id: b.id,
    name: b.name,
    state: b.state,
    paused_reason: b.pausedReason,
    template: { name: b.templateName, language: b.templateLanguage },
    variables: b.variables,
    sale_type: b.saleType,
    audience: b.audience ?? {},
    start_at: new Date(b.startAt).toISOString(),
    send_window: b.sendWindow ?? DEFAULT_SEND_WINDOW,
    header_media: b.headerMedia ?? null,
    created_by: { kind: b.createdBy.kind, id: b.createdBy.id, name: b.createdBy.name },
    started_at: iso(b.recipientsAt),
    finished_at: iso(b.finishedAt),
    created_at: new Date(b.createdAt).toISOString(),
    updated_at: new Date(b.updatedAt).toISOString(),
    report,
  };
}

/** SQL over `broadcasts b`: the broadcast's audience names clubs, all of them among `clubIds`. */
function insideClubsSql(clubIds: readonly string[]): { sql: string; args: string[] } {
  return {
    sql: `json_type(b.audience, '$.club_ids') = 'array' AND NOT EXISTS (SELECT 1 FROM json_each(b.audience, '$.club_ids') j
      WHERE j.value NOT IN (${clubIds.map(() => '?').join(', ')}))`,
    args: [...clubIds],
  };
}

export const visibleTo = (scope: Scope, b: Pick<BroadcastRow, 'audience'>): boolean =>
  scope.clubIds === null ||
  (Array.isArray(b.audience?.club_ids) && b.audience.club_ids.every((id) => scope.clubIds?.includes(id)));

export async function getBroadcast(db: Db, companyId: string, scope: Scope, id: string): Promise<BroadcastRow> {
  const row = await db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.id, id), eq(broadcasts.companyId, companyId)))
    .get();
  if (!row || !visibleTo(scope, row)) throw notFound('Broadcast');
  return row;
}

/** The list's cursor: the last row's (created_at, id). */
const listKey = z.tuple([z.number().int(), z.string().max(64)]);

/** Newest first, a keyset walk over broadcasts_company_created. */
export async function listBroadcasts(
  env: Env,
  companyId: string,
  scope: Scope,
  query: CursorQuery,
): Promise<{ rows: BroadcastRow[]; pagination: Pagination }> {
  const { after, offset, limit } = startOf(query, listKey);
  const args: unknown[] = [companyId];
  let where = 'b.company_id = ?';
  if (after) {
    where += ' AND (b.created_at, b.id) < (?, ?)';
    args.push(after[0], after[1]);
  }
  if (scope.clubIds !== null) {
    const inside = insideClubsSql(scope.clubIds);
    where += ` AND ${inside.sql}`;
    args.push(...inside.args);
  }
  const ids = await companyDatabase(env, companyId)
    .prepare(
      `SELECT b.id FROM broadcasts b INDEXED BY broadcasts_company_created WHERE ${where}
       ORDER BY b.created_at DESC, b.id DESC LIMIT ? OFFSET ?`,
    )
    .bind(...args, limit + 1, offset)
    .all<{ id: string }>();
  const found = ids.results.map((r) => r.id);
  const rows =
    found.length === 0
      ? []
      : await companyDb(env, companyId).select().from(broadcasts).where(inArray(broadcasts.id, found)).all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = found.flatMap((id) => byId.get(id) ?? []);
  return keysetPage(ordered, query, (r) => [r.createdAt, r.id]);
}

export async function withReports(env: Env, companyId: string, rows: BroadcastRow[]): Promise<BroadcastJson[]> {
  const reports = await reportsOf(
    companyDatabase(env, companyId),
    rows.filter((r) => r.recipientsAt !== null).map((r) => r.id),
  );
  return rows.map((r) => serializeBroadcast(r, reports.get(r.id) ?? null));
}

/** Only an APPROVED template may be broadcast (the picker offers only those). */
async function assertTemplate(db: Db, companyId: string, t: { name: string; language: string }) {
  const template = await findTemplate(db, companyId, t.name, t.language);
  if (!template)
    throw new ApiError(422, 'template_not_found', `No template ${t.name} in ${t.language}; create it first`);
  if (!isApproved(template))
    throw new ApiError(
      422,
      'template_not_approved',
      `Template ${t.name} (${t.language}) is ${template.status}: only an APPROVED template can be broadcast`,
    );
  return template;
}

/**
 * The audience as it is stored: its clubs, stages and labels checked against the company's, and a user limited to
 * clubs kept inside theirs (left out: all of theirs; another club: 422 unknown_club, as it is not theirs to name).
 */
async function checkedAudience(
  db: Db,
  companyId: string,
  scope: Scope,
  audience: BroadcastAudience,
): Promise<BroadcastAudience> {
  const out: BroadcastAudience = { ...audience };
  if (scope.clubIds !== null) {
    const outside = (out.club_ids ?? []).filter((id) => !scope.clubIds?.includes(id));
    if (outside.length > 0) throw new ApiError(422, 'unknown_club', `No club ${outside.join(', ')} of yours`);
    out.club_ids ??= [...scope.clubIds];
  }
  await requireClubs(db, companyId, out.club_ids ?? []);
  if (out.stage_ids?.length) {
    const found = await db
      .select({ id: pipelineStages.id })
      .from(pipelineStages)
      .where(and(eq(pipelineStages.companyId, companyId), inArray(pipelineStages.id, out.stage_ids)))
      .all();
    const missing = out.stage_ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0) throw new ApiError(422, 'unknown_stage', `No stage ${missing.join(', ')} in this pipeline`);
  }
  if (out.label_ids?.length) {
    const found = await db
      .select({ id: labels.id })
      .from(labels)
      .where(and(eq(labels.companyId, companyId), inArray(labels.id, out.label_ids)))
      .all();
    const missing = out.label_ids.filter((id) => !found.some((f) => f.id === id));
    if (missing.length > 0) throw new ApiError(422, 'unknown_label', `No label ${missing.join(', ')} in this company`);
  }
  if (out.last_contact_before && out.last_contact_after && out.last_contact_after >= out.last_contact_before)
    throw new ApiError(422, 'validation_failed', 'audience.last_contact_after must be before last_contact_before');
  return out;
}

export async function createBroadcast(
  env: Env,
  companyId: string,
  scope: Scope,
  by: AuditBy,
  input: BroadcastCreate,
): Promise<BroadcastRow> {
  const db = companyDb(env, companyId);
  await assertTemplate(db, companyId, input.template);
  const audience = await checkedAudience(db, companyId, scope, input.audience);
  const headerMedia = await itemHeaderMedia(db, companyId, input.template, input.header_media);
  const now = Date.now();
  const id = newId('brc');
  const actor: Actor = by.actor;
  const [rows] = await db.batch([
    db
      .insert(broadcasts)
      .values({
        id,
        companyId,
        name: input.name,
        state: 'draft',
        templateName: input.template.name,
        templateLanguage: input.template.language,
        variables: input.variables,
        saleType: input.sale_type,
        audience,
        startAt: Date.parse(input.start_at),
        sendWindow: input.send_window ?? null,
        headerMedia: headerMedia ?? null,
        createdBy: {
          kind: actor.kind,
          id: actor.id,
          name: actor.name,
          club_ids: scope.clubIds ? [...scope.clubIds] : null,
        },
        createdAt: now,
        updatedAt: now,
      })
      .returning(),
    db.insert(auditLog).values(
      auditRow(
        companyId,
        by,
        {
          action: 'broadcast.created',
          target: { type: 'broadcast', id },
          details: { name: input.name, template: input.template, audience },
        },
        now,
      ),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound('Broadcast');
  return row;
}

const notDraft = (state: BroadcastState) =>
  new ApiError(409, 'broadcast_not_draft', `This broadcast is ${state}: only a draft can be changed`);

export async function updateBroadcast(
  env: Env,
  companyId: string,
  scope: Scope,
  by: AuditBy,
  id: string,
  input: BroadcastUpdate,
): Promise<BroadcastRow> {
  const db = companyDb(env, companyId);
  const current = await getBroadcast(db, companyId, scope, id);
  if (current.state !== 'draft') throw notDraft(current.state);
  if (input.template) await assertTemplate(db, companyId, input.template);
  const audience = input.audience ? await checkedAudience(db, companyId, scope, input.audience) : undefined;
  // Another template without a header file named for it takes that template's default.
  const headerMedia = await itemHeaderMedia(
    db,
    companyId,
    input.template ?? { name: current.templateName, language: current.templateLanguage },
    input.header_media !== undefined ? input.header_media : input.template ? null : undefined,
  );
  const now = Date.now();
  const set = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.template !== undefined
      ? { templateName: input.template.name, templateLanguage: input.template.language }
      : {}),
    ...(input.variables !== undefined ? { variables: input.variables } : {}),
    ...(input.sale_type !== undefined ? { saleType: input.sale_type } : {}),
    ...(audience !== undefined ? { audience } : {}),
    ...(input.start_at !== undefined ? { startAt: Date.parse(input.start_at) } : {}),
    ...(input.send_window !== undefined ? { sendWindow: input.send_window } : {}),
    ...(headerMedia !== undefined ? { headerMedia } : {}),
    updatedAt: now,
  };
  // Only while still a draft: a start racing this edit wins or loses whole.
  const [rows] = await db.batch([
    db
      .update(broadcasts)
      .set(set)
      .where(and(eq(broadcasts.id, id), eq(broadcasts.companyId, companyId), eq(broadcasts.state, 'draft')))
      .returning(),
    db.insert(auditLog).values(
      auditRow(
        companyId,
        by,
        {
          action: 'broadcast.updated',
          target: { type: 'broadcast', id },
          details: { name: current.name, changed: Object.keys(input) },
        },
        now,
      ),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notDraft((await getBroadcast(db, companyId, scope, id)).state);
  return row;
}

/** Which states each action leaves from, and where it goes. */
const MOVES = {
  start: ['draft', 'paused'],
  pause: ['scheduled', 'running'],
  cancel: ['draft', 'scheduled', 'running', 'paused'],
} as const satisfies Record<string, readonly BroadcastState[]>;
export type BroadcastAction = keyof typeof MOVES;

/**
 * One state change, as one conditional statement (two racing requests: one wins, the other is told the state
 * it met). Start goes to `scheduled` until its recipients are written (the sweep does that at the start time),
 * then `running`; cancel also settles everyone still waiting as skipped `cancelled` (a send already claimed
 * finishes: it may be at Meta).
 */
export async function moveBroadcast(
  env: Env,
  companyId: string,
  scope: Scope,
  by: AuditBy,
  id: string,
  action: BroadcastAction,
): Promise<BroadcastRow> {
  const db = companyDb(env, companyId);
  const current = await getBroadcast(db, companyId, scope, id);
  const from: readonly BroadcastState[] = MOVES[action];
  const refuse = (state: BroadcastState) =>
    new ApiError(409, 'broadcast_state', `This broadcast is ${state}: it cannot ${action} now`);
  if (!from.includes(current.state)) throw refuse(current.state);
  if (action === 'start')
    await assertTemplate(db, companyId, { name: current.templateName, language: current.templateLanguage });
  const now = Date.now();
  const d1 = companyDatabase(env, companyId);
  const to =
    action === 'start'
      ? "CASE WHEN recipients_at IS NULL THEN 'scheduled' ELSE 'running' END"
      : action === 'pause'
        ? "'paused'"
        : "'cancelled'";
  const statements: D1PreparedStatement[] = [
    d1
      .prepare(
        `UPDATE broadcasts SET state = ${to}, paused_reason = NULL, updated_at = ?3
          WHERE id = ?1 AND company_id = ?2 AND state IN (${from.map((s) => `'${s}'`).join(', ')}) RETURNING id`,
      )
      .bind(id, companyId, now),
  ];
  if (action === 'cancel')
    statements.push(
      d1
        .prepare(
          `UPDATE broadcast_recipients SET state = 'skipped', reason = 'cancelled', updated_at = ?2
            WHERE broadcast_id = ?1 AND state = 'pending' AND claimed_at IS NULL
              AND EXISTS (SELECT 1 FROM broadcasts WHERE id = ?1 AND state = 'cancelled')`,
        )
        .bind(id, now),
    );
  const [moved] = await d1.batch<{ id: string }>(statements);
  if (!moved?.results.length) throw refuse((await getBroadcast(db, companyId, scope, id)).state);
  const row = await getBroadcast(db, companyId, scope, id);
  await db.insert(auditLog).values(
    auditRow(
      companyId,
      by,
      {
        action: 'broadcast.state_changed',
        target: { type: 'broadcast', id },
        details: { name: row.name, from: current.state, to: row.state },
      },
      now,
    ),
  );
  return row;
}
