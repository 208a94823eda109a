// Bounds on what a signed webhook may make us store or pass on. Meta's payloads are a few kilobytes (a batch of
// statuses a few hundred); these limits sit far above them and far below what breaks D1 or an RPC hand-off.

/** Request bodies above this answer 413: Meta's largest batches are well under 100 KB. */
export const MAX_WEBHOOK_BYTES = 1024 * 1024;

/** D1 rows may hold 2,000,000 bytes; a dead letter keeps at most this much of what it received. */
const MAX_DEAD_LETTER_BYTES = 1_000_000;
const MAX_ERROR_CHARS = 2_000;

/** Meta's messages nest a handful of levels; an item deeper than this is no message of Meta's. */
export const MAX_ITEM_DEPTH = 32;

/** How deeply a parsed JSON value nests (walked without recursion, so no depth can overflow the stack). */
export function jsonDepth(value: unknown, limit = Number.POSITIVE_INFINITY): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    const [node, depth] = next;
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const encoder = new TextEncoder();

/** A dead letter's text cut to fit a D1 row, saying so when it was cut. */
export function fitDeadLetter(raw: string, error: string): { raw: string; error: string } {
  const bytes = encoder.encode(raw).byteLength;
  const fittedError = error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS)}…` : error;
  if (bytes <= MAX_DEAD_LETTER_BYTES) return { raw, error: fittedError };
  // A UTF-16 code unit is at most 3 bytes of UTF-8, so this many characters always fit.
  const kept = raw.slice(0, Math.floor(MAX_DEAD_LETTER_BYTES / 3));
  return { raw: kept, error: `${fittedError} (kept the first ${kept.length} characters of ${raw.length})` };
}

/** JSON.stringify that cannot throw (a value too deep for the stack is described instead). */
export function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (err) {
    return `unserialisable item: ${err instanceof Error ? err.message : String(err)}`;
  }
}
