import { sha256Hex } from '../auth/crypto';

// Media as Meta serves it: `GET /{media-id}` gives a short-lived URL, downloaded with the same bearer token.

export interface SandboxMedia {
  id: string;
  mime_type: string;
  sha256: string;
  file_size: number;
}

export function mediaUrl(id: string): string {
  return `http://meta.sandbox/sandbox/media/${encodeURIComponent(id)}`;
}

/** Stand-in file contents: deterministic, so sha256 and file_size stay true to what a download returns. */
export function mediaBytes(id: string): string {
  return `sandbox media ${id}`;
}

export async function describeMedia(id: string, mimeType: string): Promise<SandboxMedia> {
  const bytes = mediaBytes(id);
  return {
    id,
    mime_type: mimeType,
    sha256: await sha256Hex(bytes),
    file_size: new TextEncoder().encode(bytes).byteLength,
  };
}
