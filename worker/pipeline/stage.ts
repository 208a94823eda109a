// A person's stage: the one write of people.stage_id, with its history note ("Stage: Enquiry → Tour booked by
// Sam") and audit entry in the same D1 batch. Every statement holds only while the person is still in the stage
// read and the new stage still exists, so two changes at once make one note each only if both moved it, and a
// stage removed meanwhile is never written.
import { type AuditBy, auditStatement } from '../audit/record';
import type { CompanyAuth } from '../auth/actor';
import { enqueueConversion, purchaseIf, recorded } from '../conversions/events';
import { companyDatabase, companyDb } from '../db/company-data';
import type { people } from '../db/schema';
import { ApiError } from '../errors';
import { changeNoteIf } from '../history/change-note';
import { listStages, type StageRow } from './service';

type PersonRow = typeof people.$inferSelect;
export interface StageRef {
  id: string;
  name: string;
}

const refOf = (s: StageRow | undefined): StageRef | null => (s ? { id: s.id, name: s.name } : null);

export function stageNoteText(from: StageRef | null, to: StageRef | null, by: string): string {
  if (!to) return `Taken out of the pipeline by ${by}`;
  return from ? `Stage: ${from.name} → ${to.name} by ${by}` : `Stage set to ${to.name} by ${by}`;
}

/** Moves the person (already read, and visible to the caller) to `stageId`, or out of the pipeline with null. */
export async function setStage(
  env: Env,
  auth: CompanyAuth,
  by: AuditBy,
  person: PersonRow,
  stageId: string | null,
  now = Date.now(),
): Promise<{ changed: boolean; from: StageRef | null; to: StageRef | null }> {
  const { companyId } = auth;
  const stages = await listStages(companyDb(env, companyId), companyId);
  const to = stageId === null ? null : refOf(stages.find((s) => s.id === stageId));
  if (stageId !== null && !to) throw new ApiError(422, 'unknown_stage', `No stage ${stageId} in this pipeline`);
  const from = refOf(stages.find((s) => s.id === person.stageId));
  if (person.stageId === stageId) return { changed: false, from, to };

  const db = companyDatabase(env, companyId);
  const guard = {
    sql: `EXISTS (SELECT 1 FROM people WHERE company_id = ? AND id = ? AND stage_id IS ?)
          AND (? IS NULL OR EXISTS (SELECT 1 FROM pipeline_stages WHERE company_id = ? AND id = ?))`,
    params: [companyId, person.id, person.stageId, stageId, companyId, stageId],
  };
  const note = changeNoteIf(
    db,
    {
      companyId,
      personId: person.id,
      type: 'stage_changed',
      body: stageNoteText(from, to, auth.actor.name),
      content: { from, to },
      actor: auth.actor,
      at: now,
    },
    guard,
  );
  const audit = auditStatement(
    db,
    companyId,
    by,
    { action: 'person.stage_changed', target: { type: 'person', id: person.id }, details: { from, to } },
    now,
    guard,
  );
  const update = db
    .prepare(
      `UPDATE people SET stage_id = ?, stage_changed_at = ?, updated_at = ?
        WHERE company_id = ? AND id = ? AND stage_id IS ?
          AND (? IS NULL OR EXISTS (SELECT 1 FROM pipeline_stages WHERE company_id = ? AND id = ?))`,
    )
    .bind(stageId, now, now, companyId, person.id, person.stageId, stageId, companyId, stageId);
  // An ad lead who reaches a won stage: Meta's Purchase event, recorded once (worker/conversions/events.ts).
  const purchase = purchaseIf(db, companyId, person.id, now);
  const results = await db.batch([note, audit, update, purchase.statement]);
  if ((results[2]?.meta.changes ?? 0) === 0)
    throw new ApiError(409, 'stage_changed', "The person's stage changed meanwhile, or the stage was removed; reload");
  if (recorded(results[3])) await enqueueConversion(env, { companyId, eventId: purchase.eventId });
  return { changed: true, from, to };
}
