// Web Push end to end in the browser tests. Headless Chromium cannot reach a real push service, so
// PushManager.subscribe in the page hands out a subscription at the sandbox's push service
// (worker/sandbox/push-service.ts) with a real P-256 key pair, kept in the page's localStorage. The worker encrypts
// each push to that key and delivers it there, as it would to FCM; the test then plays the push service's part:
// it reads the delivery, decrypts it as the browser would (RFC 8291, aes128gcm) and hands the plaintext to the
// service worker through the DevTools protocol (ServiceWorker.deliverPushMessage).
import type { BrowserContext, Page } from 'playwright-core';
import { BASE_URL } from './browser';

export const KEYS_ITEM = 'e2e.push-keys';

interface StoredKeys {
  endpoint: string;
  privateJwk: JsonWebKey;
  publicKey: string;
  auth: string;
}

/** An init script: the page's PushManager, subscribing at the sandbox push service. */
export function sandboxPushManager() {
  const KEYS = 'e2e.push-keys';
  const b64url = (bytes: ArrayBuffer | Uint8Array) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  const subscription = (keys: StoredKeys) =>
    ({
      endpoint: keys.endpoint,
      expirationTime: null,
      options: { applicationServerKey: null, userVisibleOnly: true },
      toJSON: () => ({
        endpoint: keys.endpoint,
        expirationTime: null,
        keys: { p256dh: keys.publicKey, auth: keys.auth },
      }),
      unsubscribe: async () => {
        localStorage.removeItem(KEYS);
        return true;
      },
      getKey: () => null,
    }) as unknown as PushSubscription;
  PushManager.prototype.getSubscription = async () => {
    const kept = localStorage.getItem(KEYS);
    return kept ? subscription(JSON.parse(kept) as StoredKeys) : null;
  };
  PushManager.prototype.subscribe = async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const keys: StoredKeys = {
      endpoint: `https://push.sandbox/sandbox/push/e2e-${crypto.randomUUID()}`,
      privateJwk: await crypto.subtle.exportKey('jwk', pair.privateKey),
      publicKey: b64url(await crypto.subtle.exportKey('raw', pair.publicKey)),
      auth: b64url(crypto.getRandomValues(new Uint8Array(16))),
    };
    localStorage.setItem(KEYS, JSON.stringify(keys));
    return subscription(keys);
  };
}

export async function storedKeys(page: Page): Promise<StoredKeys> {
  const kept = await page.evaluate((item) => localStorage.getItem(item), KEYS_ITEM);
  if (!kept) throw new Error('the page has no push subscription');
  return JSON.parse(kept) as StoredKeys;
}

/** The encrypted pushes the sandbox push service received for this subscription, oldest first. */
export async function deliveriesTo(keys: StoredKeys): Promise<{ body: string }[]> {
  const res = await fetch(`${BASE_URL}${new URL(keys.endpoint).pathname}`);
  return ((await res.json()) as { deliveries: { body: string }[] }).deliveries;
}

type Bytes = Uint8Array<ArrayBuffer>;
const bytes = (b64: string, encoding: 'base64' | 'base64url' = 'base64'): Bytes =>
  new Uint8Array(Buffer.from(b64, encoding));
const text = (s: string): Bytes => new Uint8Array(new TextEncoder().encode(s));
const concat = (...parts: Uint8Array[]): Bytes => new Uint8Array(Buffer.concat(parts));

async function hkdf(salt: Bytes, ikm: Bytes, info: Bytes, length: number): Promise<Bytes> {
  const key = await crypto.subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, key, length * 8));
}

/** Decrypts a delivery as the browser does (RFC 8291 §3.4 over RFC 8188's one record): the JSON text inside. */
export async function decrypt(keys: StoredKeys, delivery: { body: string }): Promise<string> {
  const body = bytes(delivery.body);
  const salt = body.slice(0, 16);
  const idlen = body[20] ?? 0;
  const senderRaw = body.slice(21, 21 + idlen);
  const ciphertext = body.slice(21 + idlen);
  const privateKey = await crypto.subtle.importKey(
    'jwk',
    keys.privateJwk,
    { name: 'ECDH', namedCurve: 'P-256' },
    false,
    ['deriveBits'],
  );
  const sender = await crypto.subtle.importKey('raw', senderRaw, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: sender }, privateKey, 256));
  const info = concat(text('WebPush: info'), new Uint8Array([0]), bytes(keys.publicKey, 'base64url'), senderRaw);
  const ikm = await hkdf(bytes(keys.auth, 'base64url'), shared, info, 32);
  const cek = await hkdf(salt, ikm, concat(text('Content-Encoding: aes128gcm'), new Uint8Array([0])), 16);
  const nonce = await hkdf(salt, ikm, concat(text('Content-Encoding: nonce'), new Uint8Array([0])), 12);
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt']);
  const padded = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: nonce }, key, ciphertext));
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return new TextDecoder().decode(padded.slice(0, end));
}

/** Hands a push's plaintext to the page's service worker, as the browser does when its push service delivers. */
export async function deliverToServiceWorker(context: BrowserContext, page: Page, data: string): Promise<void> {
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on(
      'ServiceWorker.workerRegistrationUpdated',
      (e: { registrations: { registrationId: string; scopeURL: string }[] }) => {
        const mine = e.registrations.find((r) => r.scopeURL.startsWith(BASE_URL));
        if (mine) resolve(mine.registrationId);
      },
    );
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: `${BASE_URL}/`,
    registrationId: await registration,
    data,
  });
}

/** Chromium offers no protocol call to tap a notification: the worker gets the event a tap fires. */
export async function tapNotification(context: BrowserContext): Promise<void> {
  const [worker] = context.serviceWorkers();
  if (!worker) throw new Error('no service worker');
  await worker.evaluate(`(async () => {
    const [n] = await self.registration.getNotifications();
    self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n }));
  })()`);
}
