// A media message as asked for (`{"media": {"type", "id" | "link", "caption"?, "filename"?}}`), checked against
// Meta's rules and filled in from the company's upload: Meta allows no caption on audio or stickers and a file
// name only on documents, and a media id must be one of this company's uploads of the same kind, younger than
// the 30 days Meta keeps it.
import { and, eq } from 'drizzle-orm';
import { MEDIA_RULES, type MediaType } from '#common/media';
import type { Db } from '../../db/client';
import { whatsappMedia } from '../../db/schema';
import { ApiError } from '../../errors';
import type { OutboundMedia } from '../meta/types';

export interface MediaRequest {
  type: MediaType;
  id?: string;
  link?: string;
  caption?: string;
  filename?: string;
}

/** Meta deletes an uploaded file 30 days after the upload. */
export const MEDIA_ID_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

const WORDS: Record<MediaType, string> = {
  image: 'a photo',
  document: 'a document',
  video: 'a video',
  audio: 'audio',
  sticker: 'a sticker',
};

const invalid = (message: string) => new ApiError(422, 'invalid_media', message);

export async function resolveOutboundMedia(
  db: Db,
  companyId: string,
  req: MediaRequest,
  now = Date.now(),
): Promise<OutboundMedia> {
  const rule = MEDIA_RULES[req.type];
  if (req.caption !== undefined && !rule.caption)
    throw invalid(`WhatsApp allows no caption on ${WORDS[req.type]}: send the text as its own message`);
  if (req.filename !== undefined && !rule.filename) throw invalid('Only a document has a file name on WhatsApp');
  if ((req.id === undefined) === (req.link === undefined)) throw invalid('Give the file as exactly one of id or link');
  const asked = {
    type: req.type,
    ...(req.caption !== undefined ? { caption: req.caption } : {}),
  };
  if (req.link !== undefined)
    return { ...asked, link: req.link, ...(req.filename !== undefined ? { filename: req.filename } : {}) };
  const row = await db
    .select()
    .from(whatsappMedia)
    .where(and(eq(whatsappMedia.companyId, companyId), eq(whatsappMedia.id, req.id ?? '')))
    .get();
  if (!row) throw invalid(`No file ${req.id} was uploaded here: upload it first (POST /api/v1/whatsapp/media)`);
  if (row.type !== req.type)
    throw invalid(`That file is ${WORDS[row.type]} (${row.mimeType}), so it cannot be sent as ${WORDS[req.type]}`);
  if (now - row.createdAt > MEDIA_ID_LIFETIME_MS)
    throw invalid('Meta keeps an uploaded file for 30 days and this one is older: upload it again');
  const filename = req.filename ?? (rule.filename ? row.filename : null);
  return {
    ...asked,
    id: row.id,
    ...(filename ? { filename } : {}),
    mime_type: row.mimeType,
    size: row.size,
  };
}
