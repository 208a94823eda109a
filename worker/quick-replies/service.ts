// Quick replies per company. The unique index (company, shortcut) decides duplicates, not a check-then-insert
// that two managers saving at once could both pass.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { QuickReplyAttachment } from '../db/column-types';
import { isUniqueViolation } from '../db/errors';
import { quickReplies, whatsappMedia } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { MEDIA_ID_LIFETIME_MS, resolveOutboundMedia } from '../whatsapp/media/outbound';
import type { QuickReplyAttachmentInput, QuickReplyCreate, QuickReplyJson, QuickReplyUpdate } from './schemas';

type Row = typeof quickReplies.$inferSelect;

const SHORTCUT_TAKEN = new ApiError(409, 'shortcut_taken', 'Another quick reply already uses that shortcut');
const NOT_BOTH = new ApiError(
  422,
  'validation_failed',
  'attachment: a quick reply with buttons or a list sends no file',
);

/**
 * The update's guard: buttons (or a list) and a file never end up on one quick reply. Adding one while keeping the
 * other stored matches no row, which updateQuickReply answers 422 (the schema already refuses both in one body).
 */
function notBothAfter(input: QuickReplyUpdate) {
  if (input.interactive && input.attachment === undefined) return isNull(quickReplies.attachment);
  if (input.attachment && input.interactive === undefined) return isNull(quickReplies.interactive);
  return undefined;
}

/** Up to this many per company: the composer's "/" list stays usable and the table bounded. */
export const MAX_QUICK_REPLIES = 500;

function serializeAttachment(a: QuickReplyAttachment | null): QuickReplyJson['attachment'] {
  if (!a) return null;
  return {
    type: a.type,
    id: a.id ?? null,
    link: a.link ?? null,
    filename: a.filename ?? null,
    mime_type: a.mime_type ?? null,
    size: a.size ?? null,
    expires_at: a.uploaded_at === undefined ? null : new Date(a.uploaded_at + MEDIA_ID_LIFETIME_MS).toISOString(),
    url: a.id ? `/api/v1/media/${encodeURIComponent(a.id)}` : (a.link ?? ''),
  };
}

/**
 * Checked as a send would check it (media/outbound.ts): an id must be one of the company's uploads of that kind,
 * and Meta's rule on file names holds. What the upload says (type, name, size, when) is kept with it.
 */
async function attachmentOf(
  db: Db,
  companyId: string,
  input: QuickReplyAttachmentInput | null | undefined,
): Promise<QuickReplyAttachment | null | undefined> {
  if (input === undefined || input === null) return input;
  const media = await resolveOutboundMedia(db, companyId, input);
  const upload = media.id
    ? await db
        .select({ createdAt: whatsappMedia.createdAt })
        .from(whatsappMedia)
        .where(and(eq(whatsappMedia.companyId, companyId), eq(whatsappMedia.id, media.id)))
        .get()
    : undefined;
  return {
    type: media.type,
    ...(media.id ? { id: media.id } : {}),
    ...(media.link ? { link: media.link } : {}),
    ...(media.filename ? { filename: media.filename } : {}),
    ...(media.mime_type ? { mime_type: media.mime_type } : {}),
    ...(media.size !== undefined ? { size: media.size } : {}),
    ...(upload ? { uploaded_at: upload.createdAt } : {}),
  };
}

export function serializeQuickReply(r: Row): QuickReplyJson {
  return {
    id: r.id,
    shortcut: r.shortcut,
    text: r.text,
    interactive: r.interactive ?? null,
    attachment: serializeAttachment(r.attachment),
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
  const attachment = await attachmentOf(db, companyId, input.attachment);
  try {
    return await db
      .insert(quickReplies)
      .values({
        id: newId('qrp'),
        companyId,
        shortcut: input.shortcut,
        text: input.text,
        interactive: input.interactive ?? null,
        attachment,
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
  const attachment = await attachmentOf(db, companyId, input.attachment);
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
        ...(attachment !== undefined ? { attachment } : {}),
        updatedAt: now,
      })
      .where(and(eq(quickReplies.companyId, companyId), eq(quickReplies.id, id), notBothAfter(input)))
      .returning()
      .get();
    if (!row) {
      const exists = await db
        .select({ id: quickReplies.id })
        .from(quickReplies)
        .where(and(eq(quickReplies.companyId, companyId), eq(quickReplies.id, id)))
        .get();
      if (exists) throw NOT_BOTH;
      throw notFound('Quick reply');
    }
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
