// Reads of the templates table that sends, automations and the template routes share.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { templates } from '../../db/schema';

/**
 * A stored template: `status` is Meta's (APPROVED, PENDING, REJECTED, PAUSED, DISABLED...) or DELETED;
 * `variables` are the names a send fills, in order (components.ts); `variableMap` maps some of them.
 */
export type TemplateRow = typeof templates.$inferSelect;

/** Only an APPROVED template may be sent; any other status answers `template_not_approved`. */
export const isApproved = (t: Pick<TemplateRow, 'status'>): boolean => t.status === 'APPROVED';

export async function findTemplate(
  db: Db,
  companyId: string,
  name: string,
  language: string,
): Promise<TemplateRow | undefined> {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.companyId, companyId), eq(templates.name, name), eq(templates.language, language)))
    .get();
}

export async function findTemplateById(db: Db, companyId: string, id: string): Promise<TemplateRow | undefined> {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.companyId, companyId), eq(templates.id, id)))
    .get();
}

/** Meta's id arrives as a JSON number in webhooks and as a string elsewhere: always compare strings. */
export async function findTemplateByMetaId(
  db: Db,
  companyId: string,
  metaId: string | number,
): Promise<TemplateRow | undefined> {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.companyId, companyId), eq(templates.metaId, String(metaId))))
    .get();
}
