// The pipeline's stages: read in order, replaced whole by an admin. The replacement is one D1 batch whose first
// statement fails when a stage to remove still has people, so a lead moved into it meanwhile is never left in a
// stage that no longer exists.
import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { type AuditBy, auditRow } from '../audit/record';
import type { Db } from '../db/client';
import { isNotNullViolation } from '../db/errors';
import { auditLog, automations, people, pipelineStages } from '../db/schema';
import { ApiError } from '../errors';
import { newId } from '../ids';
import type { PipelinePut, StageJson } from './schemas';

export type StageRow = typeof pipelineStages.$inferSelect;

export const serializeStage = (s: StageRow): StageJson => ({
  id: s.id,
  name: s.name,
  position: s.position,
  outcome: s.outcome,
});

export const stagesQuery = (db: Db, companyId: string) =>
  db.select().from(pipelineStages).where(eq(pipelineStages.companyId, companyId)).orderBy(asc(pipelineStages.position));

export async function listStages(db: Db, companyId: string): Promise<StageRow[]> {
  return stagesQuery(db, companyId).all();
}

export async function replacePipeline(db: Db, companyId: string, by: AuditBy, input: PipelinePut): Promise<StageRow[]> {
  const current = await listStages(db, companyId);
  const known = new Set(current.map((s) => s.id));
  const unknown = input.stages.find((s) => s.id !== undefined && !known.has(s.id));
  if (unknown) throw new ApiError(422, 'unknown_stage', `No stage ${unknown.id} in this pipeline`);
  const next: StageRow[] = input.stages.map((s, position) => ({
    id: s.id ?? newId('stg'),
    companyId,
    name: s.name,
    position,
    outcome: s.outcome,
    createdAt: current.find((c) => c.id === s.id)?.createdAt ?? Date.now(),
  }));
  const keep = next.map((s) => s.id);
  const removed = current.filter((s) => !keep.includes(s.id)).map((s) => s.id);
  if (removed.length > 0) {
    const inUse = await db
      .select({ id: people.stageId })
      .from(people)
      .where(and(eq(people.companyId, companyId), inArray(people.stageId, removed)))
      .limit(1)
      .get();
    if (inUse) {
      throw STAGE_IN_USE(current.find((s) => s.id === inUse.id)?.name ?? 'a stage');
    }
    await refuseIfItemsWait(db, companyId, current, removed);
  }
  // The guard: a row with no id, which D1 refuses (NOT NULL), exactly when someone is in a stage being removed;
  // the refusal rolls back the whole batch. It catches a lead moved into such a stage after the check above.
  const guard = db.insert(pipelineStages).select(
    sql`SELECT NULL, ${companyId}, '', 0, 'open', 0 WHERE EXISTS (
          SELECT 1 FROM people WHERE company_id = ${companyId} AND stage_id IN ${removed.length ? removed : ['']})`,
  );
  try {
    await db.batch([
      guard,
      db
        .delete(pipelineStages)
        .where(and(eq(pipelineStages.companyId, companyId), notInArray(pipelineStages.id, keep))),
      ...next.map((s) =>
        db
          .insert(pipelineStages)
          .values(s)
          .onConflictDoUpdate({
            target: pipelineStages.id,
            set: { name: s.name, position: s.position, outcome: s.outcome },
          }),
      ),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'pipeline.changed',
          target: { type: 'company', id: companyId },
          details: {
            from: current.map((s) => `${s.name} (${s.outcome})`),
            to: next.map((s) => `${s.name} (${s.outcome})`),
          },
        }),
      ),
    ]);
  } catch (err) {
    if (isNotNullViolation(err, 'pipeline_stages.id')) throw STAGE_IN_USE('a stage being removed');
    throw err;
  }
  return next;
}

/**
 * An automated item that waits for a stage (its trigger) or sends to people in it (its audience) would silently
 * never match again once the stage is gone: 409 stage_in_use naming the item, to be changed first. A company has
 * a handful of items, so they are read whole rather than searched in their JSON.
 */
async function refuseIfItemsWait(db: Db, companyId: string, current: StageRow[], removed: string[]): Promise<void> {
  const items = await db
    .select({ name: automations.name, trigger: automations.trigger, audience: automations.audience })
    .from(automations)
    .where(eq(automations.companyId, companyId))
    .all();
  for (const item of items) {
    const named = [
      ...(item.trigger.event === 'stage_changed' ? [item.trigger.stage_id] : []),
      ...(item.audience?.stage_ids ?? []),
    ];
    const stage = named.find((id) => removed.includes(id));
    if (stage === undefined) continue;
    const name = current.find((s) => s.id === stage)?.name ?? 'a stage';
    throw new ApiError(
      409,
      'stage_in_use',
      `The automated item “${item.name}” uses ${name}: change it before removing the stage`,
    );
  }
}

const STAGE_IN_USE = (name: string) =>
  new ApiError(409, 'stage_in_use', `People are in ${name}: move them to another stage before removing it`);

/** Each id one of the company's stages, else 422 `unknown_stage` (an automated item's audience names them). */
export async function requireStages(db: Db, companyId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const known = await listStages(db, companyId);
  const missing = [...new Set(ids)].filter((id) => !known.some((s) => s.id === id));
  if (missing.length > 0) throw new ApiError(422, 'unknown_stage', `No stage ${missing.join(', ')} in this pipeline`);
}

/** The stage, or 422 `unknown_stage`: for bodies that name one (a person's stage, an automated item's trigger). */
export async function requireStage(db: Db, companyId: string, id: string): Promise<StageRow> {
  const stage = await db
    .select()
    .from(pipelineStages)
    .where(and(eq(pipelineStages.companyId, companyId), eq(pipelineStages.id, id)))
    .get();
  if (!stage) throw new ApiError(422, 'unknown_stage', `No stage ${id} in this pipeline`);
  return stage;
}
