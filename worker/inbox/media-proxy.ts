// GET /api/v1/media/{id}: media through us, because Meta's media URLs need the company's access token,
// which never leaves the server. Only ids in this company's messages, to or from people the caller may see
// (people/service.ts's getPerson), are served; and the company's own uploads (whatsapp_media) not yet in any
// message, such as a quick reply's file, to any of its staff.

import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { companyDb } from '../db/company-data';
import { companies, historyNotes, whatsappMedia } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { getPerson, type Reader } from '../people/service';
import { metaApiFor } from '../whatsapp/meta';
import type { MetaCredentials } from '../whatsapp/meta/types';
import { companyNumbersQuery, credentialsFor, credentialsForPerson } from '../whatsapp/numbers';

async function uploadCredentials(
  env: Env,
  db: Db,
  companyId: string,
  phoneNumberId: string,
): Promise<MetaCredentials | null> {
  const [companyRows, numbers] = await db.batch([
    db.select().from(companies).where(eq(companies.id, companyId)),
    companyNumbersQuery(db, companyId),
  ]);
  const company = companyRows[0];
  const number = numbers.find((n) => n.phoneNumberId === phoneNumberId);
  return company && number ? credentialsFor(env, company, number) : null;
}

/** Types a browser may show inline; anything else downloads, so a hostile "document" never runs as our page. */
const INLINE = /^(image\/(jpeg|png|webp|gif)|video\/(mp4|3gpp)|audio\/(ogg|mpeg|aac|mp4|amr))(;|$)/i;

function safeFilename(name: string | null): string {
  return (name ?? 'file').replace(/[^\w.\- ]+/g, '_').slice(0, 100) || 'file';
}

export async function proxyMedia(env: Env, who: Reader, mediaId: string): Promise<Response> {
  const { companyId } = who;
  const db = companyDb(env, companyId);
  const [notes, uploads] = await db.batch([
    db
      .select({ content: historyNotes.content, personId: historyNotes.personId })
      .from(historyNotes)
      .where(
        and(eq(historyNotes.companyId, companyId), sql`json_extract(${historyNotes.content}, '$.id') = ${mediaId}`),
      )
      .limit(1),
    db
      .select()
      .from(whatsappMedia)
      .where(and(eq(whatsappMedia.companyId, companyId), eq(whatsappMedia.id, mediaId))),
  ]);
  const note = notes[0];
  const upload = uploads[0];
  if (!note && !upload) throw notFound('Media');
  if (note)
    await getPerson(db, who, note.personId).catch((err: unknown) => {
      throw err instanceof ApiError && err.status === 404 ? notFound('Media') : err;
    });
  // Our own upload is fetched with the token of the number it went up for.
  const credentials = upload
    ? await uploadCredentials(env, db, companyId, upload.phoneNumberId)
    : await credentialsForPerson(env, db, companyId, note?.personId ?? null, false);
  if (!credentials) throw new ApiError(403, 'whatsapp_disabled', 'WhatsApp is not configured for this company');
  const download = await metaApiFor(env).downloadMedia(credentials, mediaId);
  if (download.kind === 'not_found') throw new ApiError(404, 'media_gone', 'Meta no longer has this file');
  if (download.kind === 'failed')
    throw new ApiError(502, 'meta_unavailable', `Meta did not return the file: ${download.error.title}`);
  const content = note?.content as Record<string, unknown> | null | undefined;
  const filename = safeFilename(typeof content?.filename === 'string' ? content.filename : (upload?.filename ?? null));
  const headers = new Headers({
    'Content-Type': download.mimeType,
    // Private: each file belongs to one company's conversation. Media ids never change content.
    'Cache-Control': 'private, max-age=86400, immutable',
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Content-Disposition': INLINE.test(download.mimeType) ? 'inline' : `attachment; filename="${filename}"`,
  });
  if (download.size !== null) headers.set('Content-Length', String(download.size));
  return new Response(download.body, { status: 200, headers });
}
