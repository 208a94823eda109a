// Uploading a file to send (POST /api/v1/whatsapp/media). The one call the typed client cannot make: fetch()
// reports no upload progress (a streamed request body would, but Chrome sends those only over HTTP/2 and
// Safari not at all), so this uses XMLHttpRequest, whose `upload.onprogress` every browser has. The path and
// the answer are still typed from the worker's OpenAPI document.
import { ApiFailure, sessionLost } from './client';
import type { components, paths } from './schema';

export type MediaUpload = components['schemas']['MediaUpload'];
type ErrorBody = components['schemas']['Error'];

const UPLOAD_PATH = '/api/v1/whatsapp/media' satisfies keyof paths;

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const isError = (v: unknown): v is ErrorBody =>
  typeof v === 'object' && v !== null && 'error' in v && typeof (v as ErrorBody).error?.message === 'string';

export interface UploadOptions {
  /** The person it is for: it goes up for the number that will send it. */
  personId?: string;
  /** 0 to 1, as the bytes leave the device. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

export function uploadMedia(file: File, options: UploadOptions = {}): Promise<MediaUpload> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = options.personId ? `?person_id=${encodeURIComponent(options.personId)}` : '';
    xhr.open('POST', `${globalThis.location?.origin ?? ''}${UPLOAD_PATH}${query}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      const body = parse(xhr.responseText);
      if (xhr.status === 401) sessionLost.value = true;
      if (xhr.status === 201 && body !== null) {
        options.onProgress?.(1);
        resolve(body as MediaUpload);
      } else if (isError(body)) reject(new ApiFailure(xhr.status, body.error.code, body.error.message));
      else reject(new ApiFailure(xhr.status, 'http_error', `The server answered ${xhr.status}`));
    };
    xhr.onerror = () =>
      reject(new ApiFailure(0, 'offline', 'The file did not upload: check your connection and try again'));
    xhr.onabort = () => reject(new ApiFailure(0, 'aborted', 'The upload was cancelled'));
    options.signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
