// Templates with a photo, video or document header. Meta reviews such a template with a sample of the header
// (`example.header_handle`), which must come through its Resumable Upload API; each send then names the file
// the header carries. Here: the sample taken from a file staff uploaded (POST /api/v1/whatsapp/media), checked
// by Meta's rules before anything reaches Meta, fetched back from Meta and put through the two upload steps;
// and the file a template sends when a send names none (its default), checked the same way.
import { and, eq } from 'drizzle-orm';
import { MEDIA_RULES } from '#common/media';
import type { TemplateComponent } from '#common/templates/components';
import {
  HEADER_MEDIA_TYPE,
  HEADER_SAMPLE_RULES,
  type HeaderMedia,
  headerSampleRefusal,
  type MediaHeaderFormat,
  mediaHeaderFormat,
} from '#common/templates/header-media';
import { metaAppId } from '../../config';
import type { Db } from '../../db/client';
import { type companies, whatsappMedia, whatsappNumbers } from '../../db/schema';
import { ApiError } from '../../errors';
import { MEDIA_ID_LIFETIME_MS } from '../media/outbound';
import { metaApiFor } from '../meta';
import { credentialsFor } from '../numbers';
import { findTemplate } from './store';

/** A media header's file as an API request names it: an upload's id, or a public link (a document's name too). */
export interface HeaderMediaInput {
  id?: string;
  link?: string;
  filename?: string;
}

const invalid = (message: string) => new ApiError(422, 'invalid_media', message);

async function uploadRow(db: Db, companyId: string, id: string, now: number) {
  const row = await db
    .select()
    .from(whatsappMedia)
    .where(and(eq(whatsappMedia.companyId, companyId), eq(whatsappMedia.id, id)))
    .get();
  if (!row) throw invalid(`No file ${id} was uploaded here: upload it first (POST /api/v1/whatsapp/media)`);
  if (now - row.createdAt > MEDIA_ID_LIFETIME_MS)
    throw invalid('Meta keeps an uploaded file for 30 days and this one is older: upload it again');
  return row;
}

/**
 * The file as a header of this format takes it, checked by Meta's header rules (type and size, in words): an
 * upload of this company's, or a link (whose type Meta judges when it fetches it).
 */
export async function checkHeaderMedia(
  db: Db,
  companyId: string,
  format: MediaHeaderFormat,
  input: HeaderMediaInput,
  now = Date.now(),
): Promise<HeaderMedia> {
  const type = HEADER_MEDIA_TYPE[format];
  if ((input.id === undefined) === (input.link === undefined))
    throw invalid('Give the header file as exactly one of id or link');
  if (input.filename !== undefined && !MEDIA_RULES[type].filename)
    throw invalid(
      `Only a document header has a file name; this template's header is ${HEADER_SAMPLE_RULES[format].noun}`,
    );
  if (input.link !== undefined)
    return { type, link: input.link, ...(input.filename !== undefined ? { filename: input.filename } : {}) };
  return (await checkedUpload(db, companyId, format, input.id ?? '', input.filename, now)).media;
}

/** An upload of this company's that a header of this format can carry, and the file as the header sends it. */
async function checkedUpload(
  db: Db,
  companyId: string,
  format: MediaHeaderFormat,
  id: string,
  filenameAsked: string | undefined,
  now: number,
) {
  const row = await uploadRow(db, companyId, id, now);
  const refusal = headerSampleRefusal(format, { mime: row.mimeType, size: row.size, name: row.filename });
  if (refusal) throw invalid(refusal);
  const type = HEADER_MEDIA_TYPE[format];
  const filename = filenameAsked ?? (type === 'document' ? row.filename : null);
  const media: HeaderMedia = {
    type,
    id: row.id,
    mime_type: row.mimeType,
    size: row.size,
    ...(filename ? { filename } : {}),
  };
  return { row, media };
}

/**
 * Puts an uploaded file through Meta's Resumable Upload API as the header's sample: refused in words first when
 * a header of this format cannot take it, then fetched back from Meta (GET /{media-id}) and streamed into an
 * upload session of the app (META_APP_ID). Answers the handle and the file as the template's default header.
 */
export async function uploadHeaderSample(
  env: Env,
  db: Db,
  company: typeof companies.$inferSelect,
  format: MediaHeaderFormat,
  mediaId: string,
): Promise<{ handle: string; media: HeaderMedia }> {
  const { row, media } = await checkedUpload(db, company.id, format, mediaId, undefined, Date.now());
  const size = row.size;
  const appId = metaAppId(env);
  if (!appId)
    throw new ApiError(
      409,
      'meta_app_not_configured',
      "Templates with a photo, video or document header need the Meta app's id (META_APP_ID) for Meta's upload",
    );
  const number = await db
    .select()
    .from(whatsappNumbers)
    .where(and(eq(whatsappNumbers.companyId, company.id), eq(whatsappNumbers.phoneNumberId, row.phoneNumberId)))
    .get();
  const credentials = number ? await credentialsFor(env, company, number) : null;
  if (!credentials)
    throw invalid(`The number file ${mediaId} was uploaded for is no longer connected: upload it again`);

  const meta = metaApiFor(env);
  const failed = (what: string, why: string) => new ApiError(502, 'meta_error', `Meta refused the ${what}: ${why}`);
  const download = await meta.downloadMedia(credentials, mediaId);
  if (download.kind === 'not_found') throw invalid(`Meta no longer has file ${mediaId}: upload it again`);
  if (download.kind === 'failed' || !download.body)
    throw failed('sample', download.kind === 'failed' ? download.error.title : 'an empty file');
  const session = await meta.startUploadSession(
    { appId, accessToken: credentials.accessToken },
    { name: row.filename ?? `header-sample.${row.mimeType.split('/')[1] ?? 'bin'}`, length: size, type: row.mimeType },
  );
  if (!session.ok) {
    await download.body.cancel();
    throw failed('upload session', session.error.message ?? session.error.title);
  }
  // Meta's session takes exactly the declared length: a stream of known length is sent with its Content-Length.
  const fixed = new FixedLengthStream(size);
  void download.body.pipeTo(fixed.writable).catch(() => undefined);
  const uploaded = await meta.uploadToSession(credentials.accessToken, session.value.sessionId, fixed.readable);
  if (!uploaded.ok) {
    // Stop fetching the file from Meta if the upload gave up before reading it all.
    await fixed.readable.cancel().catch(() => undefined);
    throw failed('sample', uploaded.error.details ?? uploaded.error.message ?? uploaded.error.title);
  }
  return { handle: uploaded.value.handle, media };
}

/** The components with the sample's handle as the media header's example (Meta's `header_handle`). */
export function withHeaderHandle(components: readonly TemplateComponent[], handle: string): TemplateComponent[] {
  return components.map((c) => (c.type === 'HEADER' ? { ...c, example: { header_handle: [handle] } } : c));
}

/**
 * An automated item's or a broadcast's own header file, checked against its template as it is now: undefined
 * (left out) and null (the template's default) pass as they are.
 */
export async function itemHeaderMedia(
  db: Db,
  companyId: string,
  template: { name: string; language: string },
  input: HeaderMediaInput | null | undefined,
): Promise<HeaderMedia | null | undefined> {
  if (input === undefined || input === null) return input;
  const row = await findTemplate(db, companyId, template.name, template.language);
  const format = row ? mediaHeaderFormat(row.components) : null;
  if (!format)
    throw invalid(
      `Template ${template.name} (${template.language}) has no photo, video or document header: leave header_media out`,
    );
  return checkHeaderMedia(db, companyId, format, input);
}
