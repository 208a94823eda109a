// Quick replies per company. The unique index (company, shortcut) decides duplicates, not a check-then-insert
// that two managers saving at once could both pass.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { quickReplies } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import type { QuickReplyCreate, QuickReplyJson, QuickReplyUpdate } from './schemas';

type Row = typeof quickReplies.$inferSelect;

const SHORTCUT_TAKEN = new ApiError(409, 'shortcut_taken', 'Another quick reply already uses that shortcut');

/** Up to this many per company: the composer's "/" list stays usable and the table bounded. */
export const MAX_QUICK_REPLIES = 500;

export function serializeQuickReply(r: Row): QuickReplyJson {
  return {
    id: r.id,
    shortcut: r.shortcut,
    text: r.text,
    interactive: r.interactive ?? null,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}

export async function listQuickReplies(db: Db, companyId: string): Promise<Row[]> {
  return db
    .select()
    .from(quickReplies)
    .where(eq(quickReplies.companyId, companyId))
    .orderBy(asc(quickReplies.shortcut))
    .limit(MAX_QUICK_REPLIES)
    .all();
}

export async function createQuickReply(db: Db, companyId: string, input: QuickReplyCreate): Promise<Row> {
  const count = await db.$count(quickReplies, eq(quickReplies.companyId, companyId));
  if (count >= MAX_QUICK_REPLIES)
    throw new ApiError(409, 'too_many_quick_replies', `A company keeps at most ${MAX_QUICK_REPLIES} quick replies`);
  try {
    return await db
      .insert(quickReplies)
      .values({
        id: newId('qrp'),
        companyId,
        shortcut: input.shortcut,
        text: input.text,
        interactive: input.interactive ?? null,
      })
      .returning()
      .get();
  } catch (err) {
    if (isUniqueViolation(err, 'quick_replies.')) throw SHORTCUT_TAKEN;
    throw err;
  }
}

export async function updateQuickReply(
  db: Db,
  companyId: string,
  id: string,
  input: QuickReplyUpdate,
  now = Date.now(),
): Promise<Row> {
  try {
    const row = await db
      .update(quickReplies)
      .set({
        ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
        ...(input.text !== undefined ? { text: input.text } : {}),
        ...(input.interactive !== undefined ? { interactive: input.interactive } : {}),
        // New text and the same buttons: the stored question asks with the new text (in the same statement).
        ...(input.text !== undefined && input.interactive === undefined
          ? { interactive: sql`json_set(${quickReplies.interactive}, '$.body.text', ${input.text})` }
          : {}),
        updatedAt: now,
      })
      .where(and(eq(quickReplies.companyId, companyId), eq(quickReplies.id, id)))
      .returning()
      .get();
    if (!row) throw notFound('Quick reply');
    return row;
  } catch (err) {
    if (isUniqueViolation(err, 'quick_replies.')) throw SHORTCUT_TAKEN;
    throw err;
  }
}

export async function deleteQuickReply(db: Db, companyId: string, id: string): Promise<void> {
  const gone = await db
    .delete(quickReplies)
    .where(and(eq(quickReplies.companyId, companyId), eq(quickReplies.id, id)))
    .returning({ id: quickReplies.id })
    .get();
  if (!gone) throw notFound('Quick reply');
}
