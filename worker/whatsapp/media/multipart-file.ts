// Reads the one file of a multipart/form-data upload as a stream. `request.formData()` would hold the whole
// body in memory, and the file again as a File: twice 100 MB does not fit a Worker's 128 MB. Here only the
// part headers are buffered (a few KB); the file's bytes pass through to whoever reads `body`, counted, and the
// stream fails as soon as more than the allowed number has passed.

export class MultipartError extends Error {
  override name = 'MultipartError';
}

/** Raised inside the file's stream once it passes its limit; whoever reads it sees the upload fail. */
export class FileTooLarge extends Error {
  override name = 'FileTooLarge';
}

export interface IncomingFile {
  filename: string | null;
  mimeType: string;
  /**
   * The most the file can be, from Content-Length: the request's length less everything before the file's bytes
   * and the closing boundary (the file is the last part, as browsers, curl and fetch send a one-file form).
   * Null when the request has no Content-Length.
   */
  sizeAtMost: number | null;
  /** Opens the file's bytes, failing with FileTooLarge past `maxBytes`. Call once. */
  open(maxBytes: number): ReadableStream<Uint8Array>;
  /** Bytes passed so far: the exact size once the stream has ended. */
  bytesRead(): number;
  /** Stops reading the request (a refusal answered before the file was read). */
  discard(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Part headers (and any small fields before the file) may take this much; more is not a form we send. */
const MAX_HEAD_BYTES = 64 * 1024;

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (
    let i = haystack.indexOf(first ?? 0, from);
    i !== -1 && i <= last;
    i = haystack.indexOf(first ?? 0, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function boundaryOf(contentType: string | null | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const match = contentType.match(/;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i);
  return match?.[1] ?? match?.[2] ?? null;
}

/** `form-data; name="file"; filename="x.pdf"`: the quoted values, browsers' way (UTF-8, `"` as %22). */
function dispositionParam(headers: string, key: string): string | null {
  const line = headers.split('\r\n').find((h) => /^content-disposition:/i.test(h));
  const match = line?.match(new RegExp(`;\\s*${key}="([^"]*)"`, 'i'));
  return match?.[1]?.replace(/%22/g, '"') ?? null;
}

function headerValue(headers: string, name: string): string | null {
  const line = headers.split('\r\n').find((h) => h.toLowerCase().startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/** Finds the part named `field` and returns it ready to stream; the parts before it (small fields) are skipped. */
export async function openFilePart(request: Request, field: string): Promise<IncomingFile> {
  const boundary = boundaryOf(request.headers.get('Content-Type'));
  if (!boundary) throw new MultipartError(`Send the file as multipart/form-data, in a field named "${field}"`);
  if (!request.body) throw new MultipartError(`No file: send it in a field named "${field}"`);
  const reader = request.body.getReader();
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  let pending: Uint8Array = new Uint8Array(0);
  let consumed = 0;

  const fill = async (): Promise<boolean> => {
    const { done, value } = await reader.read();
    if (done) return false;
    pending = concat(pending, value);
    return true;
  };
  const take = (n: number): Uint8Array => {
    const out = pending.subarray(0, n);
    pending = pending.subarray(n);
    consumed += n;
    return out;
  };
  const waitFor = async (needle: Uint8Array, what: string): Promise<number> => {
    for (;;) {
      const at = indexOf(pending, needle);
      if (at !== -1) return at;
      if (consumed + pending.length > MAX_HEAD_BYTES) throw new MultipartError(`The form's ${what} is too long`);
      if (!(await fill())) throw new MultipartError(`The form ended before ${what}`);
    }
  };

  // The body starts with the first delimiter (no leading CRLF) after an optional preamble.
  pending = concat(encoder.encode('\r\n'), pending);
  consumed = -2;
  const crlf2 = encoder.encode('\r\n\r\n');
  for (;;) {
    take((await waitFor(delimiter, 'its first part')) + delimiter.length);
    while (pending.length < 2) if (!(await fill())) throw new MultipartError('The form ended early');
    if (pending[0] === 45 && pending[1] === 45)
      throw new MultipartError(`No file: send it in a field named "${field}"`);
    const headEnd = await waitFor(crlf2, 'the headers of a part');
    const headers = decoder.decode(take(headEnd + crlf2.length));
    if (dispositionParam(headers, 'name') !== field) {
      // Another field: skip its value, which must end in the same window.
      const end = await waitFor(delimiter, 'the end of a field');
      take(end);
      continue;
    }
    const length = Number(request.headers.get('Content-Length') ?? Number.NaN);
    const closing = delimiter.length + 2; // "\r\n--boundary--"
    return fileFrom(reader, {
      filename: dispositionParam(headers, 'filename'),
      mimeType: headerValue(headers, 'content-type') ?? 'application/octet-stream',
      sizeAtMost: Number.isFinite(length) ? Math.max(0, length - consumed - closing) : null,
      delimiter,
      pending,
    });
  }
}

function fileFrom(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  start: {
    filename: string | null;
    mimeType: string;
    sizeAtMost: number | null;
    delimiter: Uint8Array;
    pending: Uint8Array;
  },
): IncomingFile {
  const { delimiter } = start;
  let pending = start.pending;
  let count = 0;
  return {
    filename: start.filename,
    mimeType: start.mimeType,
    sizeAtMost: start.sizeAtMost,
    bytesRead: () => count,
    discard: () => reader.cancel().catch(() => undefined),
    open(maxBytes) {
      let ended = false;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const emit = (bytes: Uint8Array) => {
            count += bytes.length;
            if (count > maxBytes) throw new FileTooLarge(`more than ${maxBytes} bytes`);
            if (bytes.length) controller.enqueue(bytes);
          };
          try {
            for (;;) {
              if (ended) return;
              const at = indexOf(pending, delimiter);
              if (at !== -1) {
                emit(pending.subarray(0, at));
                ended = true;
                controller.close();
                // The closing boundary and epilogue are not ours to read; let the rest of the body go.
                await reader.cancel().catch(() => undefined);
                return;
              }
              // Keep what could be the start of the delimiter; pass on the rest.
              const safe = pending.length - (delimiter.length - 1);
              if (safe > 0) {
                emit(pending.subarray(0, safe));
                pending = pending.slice(safe);
                return;
              }
              const { done, value } = await reader.read();
              if (done) throw new MultipartError('The form ended inside the file');
              pending = concat(pending, value);
            }
          } catch (err) {
            ended = true;
            await reader.cancel().catch(() => undefined);
            controller.error(err);
          }
        },
        cancel: (reason) => reader.cancel(reason),
      });
    },
  };
}
