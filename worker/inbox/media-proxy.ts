// GET /api/v1/media/{id}: inbound media through us, because Meta's media URLs need the company's access token,
// which never leaves the server. Only ids that arrived in this company's messages, from people the caller may
// see (people/service.ts's getPerson), are served.
import { and, eq, sql } from 'drizzle-orm';
import { companyDb } from '../db/company-data';
import { historyNotes } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { getPerson, type Reader } from '../people/service';
import { metaApiFor } from '../whatsapp/meta';
import { credentialsForPerson } from '../whatsapp/numbers';

/** Types a browser may show inline; anything else downloads, so a hostile "document" never runs as our page. */
const INLINE = /^(image\/(jpeg|png|webp|gif)|video\/(mp4|3gpp)|audio\/(ogg|mpeg|aac|mp4|amr))(;|$)/i;

function safeFilename(name: string | null): string {
  return (name ?? 'file').replace(/[^\w.\- ]+/g, '_').slice(0, 100) || 'file';
}

export async function proxyMedia(env: Env, who: Reader, mediaId: string): Promise<Response> {
  const { companyId } = who;
  const db = companyDb(env, companyId);
  const note = await db
    .select({ content: historyNotes.content, personId: historyNotes.personId })
    .from(historyNotes)
    .where(and(eq(historyNotes.companyId, companyId), sql`json_extract(${historyNotes.content}, '$.id') = ${mediaId}`))
    .get();
  if (!note) throw notFound('Media');
  await getPerson(db, who, note.personId).catch((err: unknown) => {
    throw err instanceof ApiError && err.status === 404 ? notFound('Media') : err;
  });
  const credentials = await credentialsForPerson(env, db, companyId, note.personId, false);
  if (!credentials) throw new ApiError(403, 'whatsapp_disabled', 'WhatsApp is not configured for this company');
  const download = await metaApiFor(env).downloadMedia(credentials, mediaId);
  if (download.kind === 'not_found') throw new ApiError(404, 'media_gone', 'Meta no longer has this file');
  if (download.kind === 'failed')
    throw new ApiError(502, 'meta_unavailable', `Meta did not return the file: ${download.error.title}`);
  const content = note.content as Record<string, unknown> | null;
  const filename = safeFilename(typeof content?.filename === 'string' ? content.filename : null);
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
