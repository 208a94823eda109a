// Meta's webhook bodies are PHP json_encode output: every non-ASCII UTF-16 unit is escaped as \uXXXX (astral
// characters as surrogate pairs) and "/" as "\/". The signature covers those exact bytes, so a receiver that
// re-serialises the parsed JSON computes a different HMAC: the simulator reproduces this on purpose.

export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
