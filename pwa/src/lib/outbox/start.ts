// When the outbox is sent: at app start (and each login), whenever the browser says the connection is back,
// and, while the phone claims to be online but requests still fail (weak signal), every 30 seconds.
// Sending stays in the page: the service worker has no session-cookie API client, and Background Sync is
// missing from Safari and Firefox anyway.
import { me } from '../session';
import { ownerOf } from './owner';
import { flushOutbox } from './replay';
import { loadOutbox } from './store';

const RETRY_MS = 30_000;
let started: Promise<void> | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;

/** Sends what is waiting for the logged-in staff member; keeps trying while the device says it is online. */
export async function sendWaiting(): Promise<void> {
  clearTimeout(retry);
  retry = undefined;
  const owner = ownerOf(me.peek());
  // Offline, an attempt would only flash "Sending…": the "online" event will call again.
  if (!owner || !navigator.onLine) return;
  if (!(await flushOutbox(owner))) sendSoon();
}

/** Another try in a while, unless one is already planned. */
export function sendSoon(): void {
  retry ??= setTimeout(() => void sendWaiting(), RETRY_MS);
}

/** Safe to call on every sign-in: loads the device's outbox once, then sends what is waiting. */
export function startOutbox(): Promise<void> {
  started ??= loadOutbox().then(() => {
    window.addEventListener('online', () => void sendWaiting());
  });
  // Storage blocked (some private modes): nothing can wait on this device; an offline send then says so.
  return started.then(sendWaiting).catch(() => {
    started = null;
  });
}
