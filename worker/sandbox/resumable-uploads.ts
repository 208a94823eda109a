// Meta's Resumable Upload API, played (https://developers.facebook.com/docs/graph-api/guides/upload):
// `POST /{app-id}/uploads?file_name&file_length&file_type` opens a session (`{ id: "upload:<id>?sig=<sig>" }`),
// `POST /upload:<id>?sig=<sig>` with `Authorization: OAuth <token>`, `file_offset: 0` and the bytes answers the
// handle (`{ h }`) a template's media header names as its sample; `GET` on the session tells its offset. Kept in
// the shared `media` instance (handles, like media ids, are Meta's, not a number's), in its synchronous KV.
// Meta refuses what it refuses here: another app, a file type the API does not take, a session it never opened,
// a token other than an `OAuth` header of the session's own, an offset that is not where the session stands.
import { toBase64 } from '../auth/crypto';
import { graphError, invalidParameter, invalidToken, unsupportedRequest } from './graph-errors';

/** The types the Resumable Upload API takes (Meta's list; image/jpg is its spelling of image/jpeg). */
export const RESUMABLE_FILE_TYPES = ['application/pdf', 'image/jpeg', 'image/jpg', 'image/png', 'video/mp4'] as const;

interface Session {
  appId: string;
  sig: string;
  fileName: string;
  fileLength: number;
  fileType: string;
  token: string;
  offset: number;
}

/** What a handle stands for: the template store checks a media header's sample against it. */
export interface IssuedHandle {
  handle: string;
  appId: string;
  fileName: string;
  fileLength: number;
  fileType: string;
  at: number;
}

const SESSION = 'resumable-session:';
const HANDLE = 'resumable-handle:';

const random = (bytes: number) => toBase64(crypto.getRandomValues(new Uint8Array(bytes)));
/** Meta's signatures are URL-safe. */
const signature = () => random(12).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Graph takes the token as a Bearer or OAuth header, or in the query string (Meta's own examples). */
function tokenOf(request: Request, url: URL): string | null {
  const header = request.headers.get('Authorization')?.match(/^(?:Bearer|OAuth)\s+(\S+)\s*$/i)?.[1];
  return header ?? url.searchParams.get('access_token');
}

export function startUploadSession(request: Request, appId: string, ourAppId: string, kv: SyncKvStorage): Response {
  const url = new URL(request.url);
  if (request.method !== 'POST' || appId !== ourAppId) return unsupportedRequest(request.method, appId);
  const token = tokenOf(request, url);
  if (!token) return invalidToken();
  const fileName = url.searchParams.get('file_name') ?? '';
  const length = url.searchParams.get('file_length') ?? '';
  const fileType = url.searchParams.get('file_type') ?? '';
  if (!fileName) return invalidParameter('Param file_name is required');
  if (!/^[1-9]\d{0,11}$/.test(length)) return invalidParameter('Param file_length must be a positive integer');
  if (!(RESUMABLE_FILE_TYPES as readonly string[]).includes(fileType))
    return invalidParameter(`Param file_type must be one of ${RESUMABLE_FILE_TYPES.join(', ')}`);
  // base64 may hold `/` and `+`: the client must escape the id when it makes a path of it.
  const id = `upload:${random(24)}`;
  const session: Session = {
    appId,
    sig: signature(),
    fileName,
    fileLength: Number(length),
    fileType,
    token,
    offset: 0,
  };
  kv.put(`${SESSION}${id}`, session);
  return Response.json({ id: `${id}?sig=${session.sig}` });
}

/** `POST` uploads the bytes from `file_offset`; `GET` answers where the session stands. */
export async function uploadToSession(request: Request, sessionId: string, kv: SyncKvStorage): Promise<Response> {
  const url = new URL(request.url);
  const session = kv.get<Session>(`${SESSION}${sessionId}`);
  // A session we never opened, or one named without its signature, does not exist as far as Graph says.
  if (!session || url.searchParams.get('sig') !== session.sig) return unsupportedRequest(request.method, sessionId);
  // The token must come as an `OAuth` Authorization header: Meta's upload step takes it nowhere else.
  const token = request.headers.get('Authorization')?.match(/^OAuth\s+(\S+)\s*$/i)?.[1];
  if (!token || token !== session.token) return invalidToken();
  if (request.method === 'GET')
    return Response.json({ id: `${sessionId}?sig=${session.sig}`, file_offset: session.offset });
  if (request.method !== 'POST') return unsupportedRequest(request.method, sessionId);
  const offsetHeader = request.headers.get('file_offset');
  if (offsetHeader === null || !/^\d+$/.test(offsetHeader))
    return invalidParameter('The file_offset header is required (an HTTP header, not a query parameter)');
  const offset = Number(offsetHeader);
  if (offset !== session.offset)
    return graphError({
      status: 400,
      code: 100,
      title: 'Invalid parameter',
      details: `file_offset ${offset} does not match the upload session's offset ${session.offset}`,
    });
  const bytes = (await request.arrayBuffer()).byteLength;
  if (offset + bytes !== session.fileLength)
    return invalidParameter(
      `The upload session declared ${session.fileLength} bytes; ${bytes} arrived from offset ${offset}`,
    );
  const at = Date.now();
  // Shaped like Meta's: "2:<base64 name>:<type>:<id>:e:<expiry seconds>:<signature>".
  const handle = `2:${toBase64(new TextEncoder().encode(session.fileName))}:${session.fileType}:${random(18)}:e:${Math.floor(at / 1000) + 30 * 86_400}:${signature()}`;
  kv.put(`${SESSION}${sessionId}`, { ...session, offset: session.fileLength });
  const issued: IssuedHandle = {
    handle,
    appId: session.appId,
    fileName: session.fileName,
    fileLength: session.fileLength,
    fileType: session.fileType,
    at,
  };
  kv.put(`${HANDLE}${handle}`, issued);
  return Response.json({ h: handle });
}

export function issuedHandle(kv: SyncKvStorage, handle: string): IssuedHandle | null {
  return kv.get<IssuedHandle>(`${HANDLE}${handle}`) ?? null;
}

/** Every handle issued, oldest first (tests assert what reached "Meta"). */
export function issuedHandles(kv: SyncKvStorage): IssuedHandle[] {
  return [...kv.list<IssuedHandle>({ prefix: HANDLE })].map(([, v]) => v).sort((a, b) => a.at - b.at);
}
