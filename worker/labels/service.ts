// Labels per company, and which people wear them. Names are unique per company by index, not by a check.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { type AuditBy, auditRow } from '../audit/record';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { auditLog, automations, labels, personLabels } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { type LabelCreate, type LabelJson, type LabelUpdate, MAX_LABELS } from './schemas';

type LabelRow = typeof labels.$inferSelect;

const NAME_TAKEN = new ApiError(409, 'label_name_taken', 'Another label already has that name');

export const serializeLabel = (l: LabelRow): LabelJson => ({
  id: l.id,
  name: l.name,
  color: l.color as LabelJson['color'],
});

export async function listLabels(db: Db, companyId: string): Promise<LabelRow[]> {
  return db
    .select()
    .from(labels)
    .where(eq(labels.companyId, companyId))
    .orderBy(asc(labels.name))
    .limit(MAX_LABELS)
    .all();
}

export async function createLabel(db: Db, companyId: string, by: AuditBy, input: LabelCreate): Promise<LabelRow> {
  if ((await db.$count(labels, eq(labels.companyId, companyId))) >= MAX_LABELS)
    throw new ApiError(409, 'too_many_labels', `A company keeps at most ${MAX_LABELS} labels`);
  const row: LabelRow = { id: newId('lbl'), companyId, name: input.name, color: input.color, createdAt: Date.now() };
  try {
    await db.batch([
      db.insert(labels).values(row),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'label.created',
          target: { type: 'label', id: row.id },
          details: { name: row.name, color: row.color },
        }),
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err, 'labels.')) throw NAME_TAKEN;
    throw err;
  }
  return row;
}

export async function updateLabel(db: Db, companyId: string, by: AuditBy, id: string, input: LabelUpdate) {
  const where = and(eq(labels.companyId, companyId), eq(labels.id, id));
  const current = await db.select().from(labels).where(where).get();
  if (!current) throw notFound('Label');
  try {
    const [rows] = await db.batch([
      db
        .update(labels)
        .set({ ...(input.name ? { name: input.name } : {}), ...(input.color ? { color: input.color } : {}) })
        .where(where)
        .returning(),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'label.updated',
          target: { type: 'label', id },
          details: { name: input.name ?? current.name, from: { name: current.name, color: current.color } },
        }),
      ),
    ]);
    const row = rows[0];
    if (!row) throw notFound('Label');
    return row;
  } catch (err) {
    if (isUniqueViolation(err, 'labels.')) throw NAME_TAKEN;
    throw err;
  }
}

/** Deletes the label; a trigger takes it off everyone wearing it (migrations/0019). */
export async function deleteLabel(db: Db, companyId: string, by: AuditBy, id: string): Promise<void> {
  const where = and(eq(labels.companyId, companyId), eq(labels.id, id));
  const current = await db.select().from(labels).where(where).get();
  if (!current) throw notFound('Label');
  // An automated item sending to the label's wearers would silently match nobody once it is gone: change it first.
  const items = await db
    .select({ name: automations.name, audience: automations.audience })
    .from(automations)
    .where(eq(automations.companyId, companyId))
    .all();
  const user = items.find((item) => item.audience?.label_ids?.includes(id));
  if (user)
    throw new ApiError(
      409,
      'label_in_use',
      `The automated item “${user.name}” sends to people wearing ${current.name}: change it before deleting the label`,
    );
  await db.batch([
    db.delete(labels).where(where),
    db.insert(auditLog).values(
      auditRow(companyId, by, {
        action: 'label.deleted',
        target: { type: 'label', id },
        details: { name: current.name },
      }),
    ),
  ]);
}

/** The labels each of these people wears, by name: for lists (one query for the page) and the profile. */
export async function labelsOfPeople(db: Db, companyId: string, personIds: readonly string[]) {
  const out = new Map<string, LabelJson[]>();
  if (personIds.length === 0) return out;
  const rows = await db
    .select({
      personId: personLabels.personId,
      id: labels.id,
      name: labels.name,
      color: labels.color,
      companyId: labels.companyId,
      createdAt: labels.createdAt,
    })
    .from(personLabels)
    .innerJoin(labels, eq(labels.id, personLabels.labelId))
    .where(and(eq(personLabels.companyId, companyId), inArray(personLabels.personId, [...personIds])))
    .orderBy(asc(labels.name))
    .all();
  for (const r of rows) out.set(r.personId, [...(out.get(r.personId) ?? []), serializeLabel(r)]);
  return out;
}

/** Each id one of the company's labels, else 422 `unknown_label` (an automated item's audience names them). */
export async function requireLabels(db: Db, companyId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const known = await listLabels(db, companyId);
  const missing = [...new Set(ids)].filter((id) => !known.some((l) => l.id === id));
  if (missing.length > 0) throw new ApiError(422, 'unknown_label', `No label ${missing.join(', ')} in this company`);
}

/**
 * Replaces the person's labels with `labelIds` (each one of the company's, else 422 `unknown_label`): one batch
 * that deletes the ones dropped and inserts the new, with an audit entry naming both.
 */
export async function setPersonLabels(
  db: Db,
  companyId: string,
  by: AuditBy,
  personId: string,
  labelIds: readonly string[],
): Promise<LabelJson[]> {
  const wanted = [...new Set(labelIds)];
  const known = await listLabels(db, companyId);
  const missing = wanted.filter((id) => !known.some((l) => l.id === id));
  if (missing.length > 0) throw new ApiError(422, 'unknown_label', `No label ${missing.join(', ')} in this company`);
  const before = (await labelsOfPeople(db, companyId, [personId])).get(personId) ?? [];
  const added = wanted.filter((id) => !before.some((l) => l.id === id));
  const removed = before.filter((l) => !wanted.includes(l.id)).map((l) => l.id);
  if (added.length + removed.length > 0) {
    const nameOf = (id: string) => known.find((l) => l.id === id)?.name ?? id;
    await db.batch([
      db
        .delete(personLabels)
        .where(
          and(eq(personLabels.personId, personId), inArray(personLabels.labelId, removed.length ? removed : [''])),
        ),
      ...added.map((labelId) => db.insert(personLabels).values({ personId, labelId, companyId }).onConflictDoNothing()),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'person.labels_changed',
          target: { type: 'person', id: personId },
          details: { added: added.map(nameOf), removed: removed.map(nameOf) },
        }),
      ),
    ]);
  }
  return (await labelsOfPeople(db, companyId, [personId])).get(personId) ?? [];
}
