// Web Push for this device: ask the browser's permission, subscribe with the server's VAPID key, store the
// subscription on the server (POST /api/v1/push/subscriptions), and undo it from Settings. The browser's
// permission prompt only ever follows a tap (the inbox banner or the Settings switch): asked on first load, most
// people refuse it for good, and browsers demote sites that ask without a gesture.
import { signal } from '@preact/signals';
import { deletePushSubscription, savePushSubscription, vapidPublicKey } from './api/settings';

/** `blocked`: the person (or the browser) said no; only the browser's site settings can undo that. */
export type PushState = 'unsupported' | 'blocked' | 'off' | 'on';

/** undefined while the browser is asked. */
export const pushState = signal<PushState | undefined>(undefined);

const DISMISSED = 'clubchat.push-prompt-dismissed';
const REPLIED = 'clubchat.replied';

function stored(key: string): boolean {
  try {
    return globalThis.localStorage?.getItem(key) === '1';
  } catch {
    return false; // storage blocked (private mode): behave as if nothing was remembered
  }
}

function remember(key: string): void {
  try {
    globalThis.localStorage?.setItem(key, '1');
  } catch {
    // nothing to do: the banner may show again next time
  }
}

/** The inbox banner waits for the staff member's first reply from this device: by then notifications make sense. */
export const repliedOnce = signal(stored(REPLIED));
export const promptDismissed = signal(stored(DISMISSED));

export function noteReplySent(): void {
  if (repliedOnce.value) return;
  remember(REPLIED);
  repliedOnce.value = true;
}

export function dismissPushPrompt(): void {
  remember(DISMISSED);
  promptDismissed.value = true;
}

export function pushSupported(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    'serviceWorker' in navigator &&
    typeof window !== 'undefined' &&
    'PushManager' in window &&
    'Notification' in window
  );
}

/**
 * The active service worker's registration (it may still be installing on a first visit), or null when none
 * comes: a development build registers none.
 */
function registration(): Promise<ServiceWorkerRegistration | null> {
  return Promise.race([
    navigator.serviceWorker.ready,
    new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
  ]);
}

export async function refreshPushState(): Promise<PushState> {
  let state: PushState;
  if (!pushSupported()) state = 'unsupported';
  else if (Notification.permission === 'denied') state = 'blocked';
  else {
    const reg = await registration();
    if (!reg) state = 'unsupported';
    else state = Notification.permission === 'granted' && (await reg.pushManager.getSubscription()) ? 'on' : 'off';
  }
  pushState.value = state;
  return state;
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const raw = atob(b64);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((v, i) => v === b[i]);
}

/** What the server stores: the browser's own JSON, checked to have what a push needs. */
function subscriptionBody(sub: PushSubscription) {
  const json = sub.toJSON();
  const p256dh = json.keys?.p256dh;
  const auth = json.keys?.auth;
  if (!json.endpoint || !p256dh || !auth) throw new Error('The browser gave an incomplete push subscription');
  return { endpoint: json.endpoint, expirationTime: json.expirationTime ?? null, keys: { p256dh, auth } };
}

async function store(sub: PushSubscription): Promise<void> {
  await savePushSubscription(subscriptionBody(sub));
}

/** Tap to turn on: permission, subscription, then the server. Throws with the reason in words. */
export async function enablePush(): Promise<void> {
  if (!pushSupported()) throw new Error('This browser cannot show notifications');
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') {
    await refreshPushState();
    throw new Error(
      permission === 'denied'
        ? "Notifications are blocked for ClubChat: allow them in the browser's site settings, then try again"
        : 'Notifications were not allowed',
    );
  }
  const reg = await registration();
  if (!reg) throw new Error('The app is not installed on this device yet: reload the page and try again');
  const key = keyBytes(await vapidPublicKey());
  let sub = await reg.pushManager.getSubscription();
  // A subscription made with another server key (the keys were changed) cannot receive our pushes.
  if (sub && !sameKey(sub.options.applicationServerKey, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ??= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  await store(sub);
  pushState.value = 'on';
}

/** Off for this device: the server forgets it first, so no push arrives for a subscription we are dropping. */
export async function disablePush(): Promise<void> {
  const reg = pushSupported() ? await registration() : null;
  const sub = reg ? await reg.pushManager.getSubscription() : null;
  if (sub) {
    await deletePushSubscription(sub.endpoint);
    await sub.unsubscribe();
  }
  // Turning it off is an answer: the inbox stops offering it.
  dismissPushPrompt();
  pushState.value = pushState.value === 'blocked' ? 'blocked' : 'off';
}

let resyncedFor: string | null = null;

/**
 * The server ties a subscription to the session that stored it (logging out stops its pushes). After a new
 * login on this device, store it again so the one now logged in is notified. Once per login.
 */
export async function resyncPush(userId: string): Promise<void> {
  if (resyncedFor === userId) return;
  resyncedFor = userId;
  try {
    if ((await refreshPushState()) !== 'on') return;
    const sub = await (await registration())?.pushManager.getSubscription();
    if (sub) await store(sub);
  } catch {
    resyncedFor = null; // try again next time the inbox opens
  }
}
