// Meta's media upload, played: `POST /{phone-number-id}/media` (multipart: messaging_product, type, file)
// answers `{ id }` for a file of a type and size Meta takes, and the file is kept so that `GET /{media-id}` and
// its URL serve it back, byte for byte, as they serve inbound media (the chat shows what was really sent).
// Meta refuses other files with (#131053) Media upload error.
import { bareMime, mediaRefusal } from '#common/media';
import { graphError, invalidParameter } from './graph-errors';
import { newGraphId } from './ids';

/** A row of SQLite in a Durable Object holds at most 2 MB: files are kept in parts of 1 MB. */
export const MEDIA_PART_BYTES = 1_000_000;

export interface SandboxUpload {
  mediaId: string;
  phoneNumberId: string;
  mimeType: string;
  size: number;
  filename: string | null;
  at: number;
}

export interface UploadStore {
  putMedia(m: { id: string; mime_type: string; sha256: string; file_size: number }): void;
  putMediaBytes(id: string, bytes: Uint8Array): void;
  recordUpload(u: SandboxUpload): void;
}

const toHex = (buffer: ArrayBuffer): string =>
  [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

export async function handleUpload(request: Request, phoneNumberId: string, store: UploadStore): Promise<Response> {
  if (request.method !== 'POST') return invalidParameter('Param: only POST uploads media');
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return invalidParameter('Param file: send the file as multipart/form-data');
  }
  if (form.get('messaging_product') !== 'whatsapp') return invalidParameter('Param messaging_product must be whatsapp');
  const file = form.get('file');
  if (!(file instanceof File)) return invalidParameter('Param file is required');
  const type = form.get('type');
  const mime = bareMime(typeof type === 'string' && type ? type : file.type);
  const refusal = mediaRefusal({ mime, size: file.size, name: file.name });
  if (refusal) return graphError({ status: 400, code: 131053, title: 'Media upload error', details: refusal });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const id = newGraphId();
  store.putMedia({
    id,
    mime_type: mime,
    sha256: toHex(await crypto.subtle.digest('SHA-256', bytes)),
    file_size: bytes.byteLength,
  });
  store.putMediaBytes(id, bytes);
  store.recordUpload({
    mediaId: id,
    phoneNumberId,
    mimeType: mime,
    size: bytes.byteLength,
    filename: file.name || null,
    at: Date.now(),
  });
  return Response.json({ id });
}
