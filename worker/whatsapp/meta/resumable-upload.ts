// Meta's Resumable Upload API over HTTP (types.ts says what each call is), spread into the graph client so the
// simulator plays it in sandbox mode exactly as graph.facebook.com does live.
// https://developers.facebook.com/docs/graph-api/guides/upload
import { z } from 'zod';
import { exchange, type SignupCallOptions } from './signup-calls';
import type { ResumableUploadApi } from './types';

const sessionAnswerSchema = z.looseObject({ id: z.string().regex(/^upload:/, 'an upload session id') });
const handleAnswerSchema = z.looseObject({ h: z.string().min(1) });

/**
 * The session id as a path: Meta's ids look like `upload:MTph...=?sig=ARZ...`, the part after `?` a query string
 * that must reach Meta as one. The id itself is escaped (base64 may hold `/` or `+`), keeping its `upload:`.
 */
export function sessionPath(sessionId: string): string {
  const q = sessionId.indexOf('?');
  const id = q === -1 ? sessionId : sessionId.slice(0, q);
  const query = q === -1 ? '' : sessionId.slice(q);
  return `${encodeURIComponent(id).replace(/%3A/gi, ':')}${query}`;
}

export function resumableUploadCalls(options: SignupCallOptions & { uploadTimeoutMs: number }): ResumableUploadApi {
  const base = options.baseUrl.replace(/\/+$/, '');

  return {
    async startUploadSession(app, file) {
      const query = new URLSearchParams({
        file_name: file.name,
        file_length: String(file.length),
        file_type: file.type,
      });
      const r = await exchange(
        options.fetch,
        new Request(`${base}/${encodeURIComponent(app.appId)}/uploads?${query}`, {
          method: 'POST',
          // The token in a header rather than the query string Meta's example shows: it stays out of logs.
          headers: { Authorization: `Bearer ${app.accessToken}` },
          signal: AbortSignal.timeout(options.timeoutMs),
        }),
        sessionAnswerSchema,
      );
      return r.ok ? { ok: true, value: { sessionId: r.value.id } } : r;
    },

    async uploadToSession(accessToken, sessionId, body) {
      const r = await exchange(
        options.fetch,
        new Request(`${base}/${sessionPath(sessionId)}`, {
          method: 'POST',
          // Meta: the token must be an `OAuth` Authorization header and file_offset a header, never query params.
          headers: { Authorization: `OAuth ${accessToken}`, file_offset: '0' },
          body,
          signal: AbortSignal.timeout(options.uploadTimeoutMs),
        }),
        handleAnswerSchema,
      );
      return r.ok ? { ok: true, value: { handle: r.value.h } } : r;
    },
  };
}
