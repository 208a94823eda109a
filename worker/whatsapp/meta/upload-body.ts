// The body of Meta's media upload (`POST /{phone-number-id}/media`, multipart/form-data with
// `messaging_product=whatsapp`, `type` = the MIME type, and `file`), built as a stream around the file's own
// stream: a 100 MB document passes through the worker chunk by chunk and is never held whole in memory
// (Workers have 128 MB per isolate).
import type { MediaUploadInput } from './types';

const encoder = new TextEncoder();

/** A file name that cannot break out of its quoted header value. */
const headerSafe = (name: string): string => name.replace(/["\r\n\\]/g, '_');

export function multipartUploadBody(file: MediaUploadInput): {
  contentType: string;
  body: ReadableStream<Uint8Array>;
} {
  const boundary = `clubchat-${crypto.randomUUID()}`;
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head = encoder.encode(
    field('messaging_product', 'whatsapp') +
      field('type', file.mimeType) +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${headerSafe(file.filename)}"\r\n` +
      `Content-Type: ${file.mimeType}\r\n\r\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const reader = file.body.getReader();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(head);
        return;
      }
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.enqueue(tail);
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        // The file's stream failed (too large, or the sender went away): so does the upload, and Meta never
        // sees a complete body, so it makes no media id.
        controller.error(err);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { contentType: `multipart/form-data; boundary=${boundary}`, body };
}
