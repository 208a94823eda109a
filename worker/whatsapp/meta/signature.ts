import { hmacSha256Hex, hmacSha256Matches } from '../../auth/crypto';

// Meta signs the raw body (`X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 keyed with the app secret).
// It escapes non-ASCII in what it signs, so only the exact bytes received can be checked, never re-serialised JSON.
export const SIGNATURE_HEADER = 'X-Hub-Signature-256';

export async function signBody(appSecret: string, rawBody: ArrayBuffer | Uint8Array): Promise<string> {
  return `sha256=${await hmacSha256Hex(appSecret, rawBody)}`;
}

export async function isValidSignature(
  appSecret: string | undefined,
  rawBody: ArrayBuffer,
  header: string | null | undefined,
): Promise<boolean> {
  if (!appSecret || !header?.startsWith('sha256=')) return false;
  return hmacSha256Matches(appSecret, rawBody, header.slice('sha256='.length));
}
