// A browser's side of Web Push, for tests: a subscription with real P-256 keys pointing at the simulator's
// push service, and the decryption (RFC 8291, aes128gcm) and VAPID check (RFC 8292) a browser and a push
// service do, written from the RFCs so the test does not trust the library it tests.
import { env } from 'cloudflare:workers';
import { randomToken } from '../../worker/ids';
import { type PushDelivery, SANDBOX_PUSH_OBJECT, sandboxPushEndpoint } from '../../worker/sandbox/push-service';

const b64url = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromB64url = (s: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

const fromB64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

export interface BrowserSubscription {
  endpointId: string;
  json: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
  privateKey: CryptoKey;
  publicKey: Uint8Array<ArrayBuffer>;
  auth: Uint8Array<ArrayBuffer>;
}

/** What PushManager.subscribe() gives a page, with the keys a browser keeps to itself. */
export async function browserSubscription(): Promise<BrowserSubscription> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, [
    'deriveBits',
  ])) as CryptoKeyPair;
  const publicKey = new Uint8Array((await crypto.subtle.exportKey('raw', pair.publicKey)) as ArrayBuffer);
  const auth = crypto.getRandomValues(new Uint8Array(16));
  const endpointId = randomToken(24);
  return {
    endpointId,
    json: {
      endpoint: sandboxPushEndpoint(endpointId),
      expirationTime: null,
      keys: { p256dh: b64url(publicKey), auth: b64url(auth) },
    },
    privateKey: pair.privateKey,
    publicKey,
    auth,
  };
}

const pushService = () => env.META_SANDBOX.getByName(SANDBOX_PUSH_OBJECT);

export const pushDeliveries = (sub: BrowserSubscription): Promise<PushDelivery[]> =>
  pushService().pushDeliveries(sub.endpointId);

export const answerPushesWith = (sub: BrowserSubscription, status: number): Promise<void> =>
  pushService().pushAnswer(sub.endpointId, status);

/** The aes128gcm header (RFC 8188 §2.1): salt, record size, the sender's public key, then the record. */
export function aes128gcmHeader(body: Uint8Array) {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const idlen = body[20] ?? 0;
  return {
    salt: body.slice(0, 16),
    recordSize: view.getUint32(16),
    keyId: body.slice(21, 21 + idlen),
    ciphertext: body.slice(21 + idlen),
  };
}

async function hkdf(
  salt: Uint8Array<ArrayBuffer>,
  ikm: Uint8Array<ArrayBuffer>,
  info: Uint8Array<ArrayBuffer>,
  length: number,
) {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8));
}

const text = (s: string) => new TextEncoder().encode(s);

/** Decrypts a delivery as the browser would (RFC 8291 §3.4, one record), returning the JSON inside. */
export async function decryptPush(sub: BrowserSubscription, delivery: PushDelivery): Promise<unknown> {
  const { salt, keyId, ciphertext } = aes128gcmHeader(fromB64(delivery.body));
  const senderKey = await crypto.subtle.importKey('raw', keyId, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  // workerd's types spell the member `$public` (a reserved word); at run time it is `public`, as in every browser.
  const ecdh = { name: 'ECDH', public: senderKey };
  const shared = new Uint8Array(await crypto.subtle.deriveBits(ecdh, sub.privateKey, 256));

  const keyInfo = concat(text('WebPush: info'), new Uint8Array([0]), sub.publicKey, keyId);
  const ikm = await hkdf(sub.auth, shared, keyInfo, 32);
  const cek = await hkdf(salt, ikm, concat(text('Content-Encoding: aes128gcm'), new Uint8Array([0])), 16);
  const nonce = await hkdf(salt, ikm, concat(text('Content-Encoding: nonce'), new Uint8Array([0])), 12);
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce }, key, ciphertext));
  // The last record ends with the delimiter 0x02, then zero padding (RFC 8188 §2).
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return JSON.parse(new TextDecoder().decode(padded.slice(0, end)));
}

/** Checks the VAPID header (RFC 8292 §3) the way a push service does: key, audience, expiry, subject, signature. */
export async function verifyVapid(delivery: PushDelivery, expectedPublicKey: string) {
  const match = delivery.headers.authorization?.match(/^vapid t=([^,]+), k=(\S+)$/);
  if (!match?.[1] || !match[2]) throw new Error(`not a vapid authorization: ${delivery.headers.authorization}`);
  const [jwt, k] = [match[1], match[2]];
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const key = await crypto.subtle.importKey('raw', fromB64url(k), { name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'verify',
  ]);
  const valid = await crypto.subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    key,
    fromB64url(signature),
    text(`${header}.${payload}`),
  );
  const claims = JSON.parse(new TextDecoder().decode(fromB64url(payload))) as { aud: string; exp: number; sub: string };
  return { valid, keyMatches: k === expectedPublicKey, claims };
}
