import { toBase64, toHex } from '../auth/crypto';

// Ids shaped like Meta's, so code that stores or logs them meets realistic lengths and alphabets.

/** e.g. wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA= */
export function newWamid(): string {
  return `wamid.HBgL${toBase64(crypto.getRandomValues(new Uint8Array(42)))}`;
}

/** Graph object ids (media, templates) are 15-16 digit numbers, below 2^53 so they survive JSON numbers. */
export function newGraphId(): string {
  const [hi = 0, lo = 0] = crypto.getRandomValues(new Uint32Array(2));
  return String(1_000_000_000_000_000 + ((hi % 2_000_000) * 1_000_000_000 + (lo % 1_000_000_000)));
}

export function newFbtraceId(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(9))).replace(/[+/=]/g, 'A');
}

/** A conversation id as Meta shows it in statuses: 32 hex characters. */
export function newConversationId(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}
