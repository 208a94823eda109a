// Per-company Meta access tokens at rest: AES-GCM under DATA_ENCRYPTION_KEY, "v2:<key id>:<iv>:<ciphertext>".
// The key id names the key that sealed it, so DATA_ENCRYPTION_KEY can be rotated: set the new key, move the
// old one to DATA_ENCRYPTION_KEY_PREVIOUS, and both read until the daily sweep has resealed every token. The
// company id is the AES-GCM additional data: a ciphertext copied onto another company's row does not open.
import { fromBase64, sha256Hex, toBase64 } from './crypto';

type KeyEnv = Pick<Env, 'DATA_ENCRYPTION_KEY' | 'DATA_ENCRYPTION_KEY_PREVIOUS'>;

interface SealingKey {
  id: string;
  key: CryptoKey;
}

const encoder = new TextEncoder();

async function sealingKey(base64Key: string): Promise<SealingKey> {
  const raw = fromBase64(base64Key);
  if (raw.byteLength !== 32) throw new Error('DATA_ENCRYPTION_KEY must be 32 bytes, base64-encoded');
  // The id reveals nothing useful: 8 hex digits of the key's hash, enough to tell two keys apart.
  const id = (await sha256Hex(base64Key)).slice(0, 8);
  return { id, key: await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']) };
}

/** The current key first, then the previous one while a rotation is under way. */
async function keysOf(env: KeyEnv): Promise<SealingKey[]> {
  const keys = [await sealingKey(env.DATA_ENCRYPTION_KEY)];
  if (env.DATA_ENCRYPTION_KEY_PREVIOUS) keys.push(await sealingKey(env.DATA_ENCRYPTION_KEY_PREVIOUS));
  return keys;
}

const aad = (companyId: string) => encoder.encode(`company:${companyId}`);

export async function sealToken(env: KeyEnv, companyId: string, token: string): Promise<string> {
  const { id, key } = await sealingKey(env.DATA_ENCRYPTION_KEY);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: aad(companyId) },
    key,
    encoder.encode(token),
  );
  return `v2:${id}:${toBase64(iv)}:${toBase64(new Uint8Array(ct))}`;
}

export async function openToken(env: KeyEnv, companyId: string, sealed: string): Promise<string> {
  const parts = sealed.split(':');
  const keys = await keysOf(env);
  if (parts[0] === 'v2' && parts.length === 4) {
    const [, id, iv, ct] = parts as [string, string, string, string];
    const found = keys.find((k) => k.id === id);
    if (!found) throw new Error(`token sealed with key ${id}, which is neither DATA_ENCRYPTION_KEY nor _PREVIOUS`);
    return decrypt(found.key, iv, ct, aad(companyId));
  }
  if (parts[0] === 'v1' && parts.length === 3) {
    // Sealed before key ids and company binding: whichever key opens it (the sweep reseals it as v2).
    const [, iv, ct] = parts as [string, string, string];
    for (const k of keys) {
      try {
        return await decrypt(k.key, iv, ct);
      } catch {}
    }
    throw new Error('v1 token opens with neither DATA_ENCRYPTION_KEY nor _PREVIOUS');
  }
  throw new Error('unknown sealed token format');
}

/** Whether a sealed token should be sealed again under the current key (old format, or a previous key). */
export async function needsReseal(env: KeyEnv, sealed: string): Promise<boolean> {
  const [version, id] = sealed.split(':');
  return version !== 'v2' || id !== (await sealingKey(env.DATA_ENCRYPTION_KEY)).id;
}

async function decrypt(key: CryptoKey, iv: string, ct: string, additionalData?: Uint8Array): Promise<string> {
  const params = { name: 'AES-GCM', iv: fromBase64(iv), ...(additionalData ? { additionalData } : {}) };
  return new TextDecoder().decode(await crypto.subtle.decrypt(params, key, fromBase64(ct)));
}
