// POST /api/v1/whatsapp/media: a staff member's file, checked against Meta's rules (#common/media) before a
// byte goes to Meta, then streamed to Meta's upload for the number it will be sent from. The id Meta answers is
// recorded for the company (whatsapp_media), so a send by id names one of the company's own files and the
// chat can show its name and size.
import { eq } from 'drizzle-orm';
import { bareMime, MEDIA_RULES, type MediaType, mediaRefusal, mediaTypeOf } from '#common/media';
import type { CompanyAuth } from '../../auth/actor';
import { companyDb } from '../../db/company-data';
import { companies, whatsappMedia } from '../../db/schema';
import { ApiError } from '../../errors';
import { getPerson } from '../../people/service';
import { metaApiFor } from '../meta';
import type { MetaCredentials } from '../meta/types';
import { companyNumbersQuery, credentialsFor, sendingNumber } from '../numbers';
import type { IncomingFile } from './multipart-file';

export type MediaRow = typeof whatsappMedia.$inferSelect;

/**
 * Bytes a request may carry after the closing boundary (the CRLF every browser, curl and fetch end a form with).
 * A file whose bound from Content-Length is within this of its limit is let through and counted as it streams.
 */
const EPILOGUE_BYTES = 2;

const invalid = (message: string) => new ApiError(422, 'invalid_media', message);

/** What Meta keeps a name as: no path, no control characters, bounded. */
export function cleanFilename(name: string | null, type: MediaType): string {
  const base = [...((name ?? '').split(/[\\/]/).pop() ?? '')]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return base.slice(0, 240) || type;
}

/** Refuses by type, and by size as far as Content-Length tells it, before anything is read or sent. */
export function refuseEarly(file: IncomingFile): { type: MediaType; mime: string } {
  const refusal = mediaRefusal({ mime: file.mimeType, size: null, name: file.filename });
  const type = mediaTypeOf(file.mimeType);
  if (refusal || !type) throw invalid(refusal ?? 'This file cannot go on WhatsApp');
  const max = MEDIA_RULES[type].maxBytes;
  if (file.sizeAtMost !== null && file.sizeAtMost > max + EPILOGUE_BYTES) {
    const size = file.sizeAtMost - EPILOGUE_BYTES;
    throw invalid(mediaRefusal({ mime: file.mimeType, size, name: file.filename }) ?? 'This file is too large');
  }
  if (file.sizeAtMost === 0) throw invalid(`"${file.filename ?? 'The file'}" is empty.`);
  return { type, mime: bareMime(file.mimeType) };
}

/** The number the file goes up for: the person's sending number when given (the one it will be sent from). */
async function uploadCredentials(env: Env, auth: CompanyAuth, personId: string | undefined) {
  const db = companyDb(env, auth.companyId);
  const person = personId === undefined ? null : await getPerson(db, auth, personId);
  const [companyRows, numbers] = await db.batch([
    db.select().from(companies).where(eq(companies.id, auth.companyId)),
    companyNumbersQuery(db, auth.companyId),
  ]);
  const company = companyRows[0];
  const number = sendingNumber(numbers, person ?? { lastNumberId: null, clubId: null });
  const credentials: MetaCredentials | null =
    company?.whatsappEnabled && number ? await credentialsFor(env, company, number) : null;
  if (!credentials) throw new ApiError(403, 'whatsapp_disabled', 'WhatsApp is not enabled for this company');
  return credentials;
}

export async function uploadMedia(
  env: Env,
  auth: CompanyAuth,
  file: IncomingFile,
  personId: string | undefined,
): Promise<MediaRow> {
  let checked: { type: MediaType; mime: string };
  let credentials: MetaCredentials;
  try {
    checked = refuseEarly(file);
    credentials = await uploadCredentials(env, auth, personId);
  } catch (err) {
    await file.discard();
    throw err;
  }
  const { type, mime } = checked;
  const max = MEDIA_RULES[type].maxBytes;
  const filename = cleanFilename(file.filename, type);
  const outcome = await metaApiFor(env).uploadMedia(credentials, { mimeType: mime, filename, body: file.open(max) });
  const size = file.bytesRead();
  // Counted past the limit: the stream failed, so Meta got no complete file and made no media id.
  if (size > max) throw invalid(mediaRefusal({ mime, size, name: file.filename }) ?? 'This file is too large');
  if (outcome.kind === 'failed') {
    const { error } = outcome;
    if (error.httpStatus !== undefined && error.httpStatus >= 400 && error.httpStatus < 500)
      throw invalid(`Meta refused the file: ${error.details ?? error.title}`);
    throw new ApiError(502, 'meta_unavailable', `The file did not reach Meta (${error.title}); please try again`);
  }
  if (size === 0) throw invalid(`"${filename}" is empty.`);
  return companyDb(env, auth.companyId)
    .insert(whatsappMedia)
    .values({
      id: outcome.id,
      companyId: auth.companyId,
      phoneNumberId: credentials.phoneNumberId,
      type,
      mimeType: mime,
      size,
      filename,
      actor: auth.actor,
    })
    .onConflictDoNothing()
    .returning()
    .get()
    .then((row) => {
      if (!row) throw new Error(`Meta answered media id ${outcome.id} twice`);
      return row;
    });
}
