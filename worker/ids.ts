// Random, prefixed ids: unguessable in URLs and readable in logs ("per_…" is a person).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function randomToken(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
}

export type IdPrefix =
  | 'com'
  | 'key'
  | 'usr'
  | 'per'
  | 'con'
  | 'his'
  | 'tpl'
  | 'dlq'
  | 'aut'
  | 'run'
  | 'psh'
  | 'qrp'
  | 'aud'
  | 'clb'
  | 'wan'
  | 'stg'
  | 'lbl'
  | 'cev';

export const newId = (prefix: IdPrefix): string => `${prefix}_${randomToken(20)}`;
