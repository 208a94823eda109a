// When the outbox is sent: at app start (and each login), and as soon as anything shows the connection is back,
// whichever comes first: the browser's `online` event, `navigator.onLine` turning true (some browsers, Chromium
// 150 among them, do not fire `online` in a page that was loaded offline, so it is checked every second while a
// reply waits on a device that calls itself offline), the live socket opening, or any API answer that came from
// the server; and when the app comes back to the screen. While the phone claims to be online but requests still fail (weak signal), every 30 seconds.
// Sending stays in the page: the service worker has no session-cookie API client, and Background Sync is
// missing from Safari and Firefox anyway.
import { client } from '../api/client';
import { liveState } from '../live';
import { SAVED_HEADER } from '../saved-answers';
import { flushOutbox } from './replay';
import { loadOutbox, type Owner, outbox } from './store';

const RETRY_MS = 30_000;
const ONLINE_CHECK_MS = 1_000;
let listening = false;
/** The device's outbox, read once per login: a session's end empties the view (stopOutbox). */
let loaded: Promise<void> | null = null;
/** Who is logged in (session.ts tells us at each login): only their replies go. */
let owner: Owner | null = null;
let retry: ReturnType<typeof setTimeout> | undefined;
let onlineCheck: ReturnType<typeof setInterval> | undefined;

const somethingWaits = () => outbox.peek().some((i) => i.state === 'waiting');

/**
 * Sends what is waiting for the logged-in staff member; keeps trying while the device says it is online.
 * `connected`: something just proved the connection works, whatever `navigator.onLine` still says.
 */
export async function sendWaiting(connected = false): Promise<void> {
  clearTimeout(retry);
  retry = undefined;
  const sender = owner;
  if (!sender) return;
  // Offline, an attempt would only flash "Sending…": wait for a sign that the connection is back.
  if (!connected && !navigator.onLine) return watchOnLine();
  if (!(await flushOutbox(sender))) sendSoon();
}

/** Another try in a while, unless one is already planned. */
export function sendSoon(): void {
  retry ??= setTimeout(() => void sendWaiting(), RETRY_MS);
  if (!navigator.onLine) watchOnLine();
}

/** The connection is back (proved by an answer or a socket): send now rather than at the next timer. */
function connectionBack(): void {
  if (loaded && somethingWaits()) void sendWaiting(true);
}

/** Polls the browser's flag while a reply waits offline: the `online` event alone may never come. */
function watchOnLine(): void {
  onlineCheck ??= setInterval(() => {
    if (!somethingWaits()) {
      clearInterval(onlineCheck);
      onlineCheck = undefined;
    } else if (navigator.onLine) {
      clearInterval(onlineCheck);
      onlineCheck = undefined;
      void sendWaiting();
    }
  }, ONLINE_CHECK_MS);
}

/** Safe to call on every sign-in: reads the device's outbox once per login, then sends what is waiting. */
export function startOutbox(signedIn: Owner): Promise<void> {
  owner = signedIn;
  listenOnce();
  if (!loaded) {
    // A session that ended while this read was under way shows nothing of it.
    const reading: Promise<void> = loadOutbox().then(() => {
      if (loaded !== reading) outbox.value = [];
    });
    loaded = reading;
  }
  const current = loaded;
  // Storage blocked (some private modes): nothing can wait on this device; an offline send then says so.
  return current
    .then(() => (loaded === current ? sendWaiting() : undefined))
    .catch(() => {
      if (loaded === current) loaded = null;
    });
}

/** The session ended: stop trying, and show none of its replies (they stay stored, for their author only). */
export function stopOutbox(): void {
  owner = null;
  clearTimeout(retry);
  retry = undefined;
  clearInterval(onlineCheck);
  onlineCheck = undefined;
  loaded = null;
  outbox.value = [];
}

function listenOnce(): void {
  if (listening) return;
  listening = true;
  window.addEventListener('online', () => void sendWaiting());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && sendWaiting());
  liveState.subscribe((state) => state === 'live' && connectionBack());
  client.use({
    onResponse({ response }) {
      // An answer from the server itself (not the service worker's saved copy, not a gateway failure).
      if (response.status < 500 && !response.headers.has(SAVED_HEADER)) connectionBack();
      return undefined;
    },
  });
}
