// Is what the app shows fresh? The browser's online flag, plus the service worker's mark on an API answer it
// served from its saved copies (sw.ts: NetworkFirst falls back to the cache when the network fails or is
// slower than its timeout, which also happens on a weak signal that the browser still calls "online").
import { computed, signal } from '@preact/signals';
import { client } from '../api/client';
import { refreshEverything } from '../live';
import { SAVED_HEADER } from '../saved-answers';

export const browserOnline = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
const lastAnswerSaved = signal(false);

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    browserOnline.value = true;
    // A saved copy answered while the browser still said offline scheduled no retry: ask now that it is back.
    if (lastAnswerSaved.value) tryFreshSoon();
  });
  window.addEventListener('offline', () => {
    browserOnline.value = false;
  });
}

// A saved copy answered while the browser says it is online (a weak signal, or the service worker's network
// coming back a moment after the page's): the screen may stay older than the server until something refetches.
// So ask again, backing off from 2 s to a minute, and once a fresh answer follows saved ones, every page reloads.
const FIRST_RETRY_MS = 2_000;
const LAST_RETRY_MS = 60_000;
let retryDelay = 0;
let retryTimer: ReturnType<typeof setTimeout> | null = null;

function tryFreshSoon(): void {
  if (retryTimer || !browserOnline.value) return;
  retryDelay = Math.min(retryDelay ? retryDelay * 2 : FIRST_RETRY_MS, LAST_RETRY_MS);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    refreshEverything();
  }, retryDelay);
}

client.use({
  onResponse({ request, response }) {
    if (request.method !== 'GET') return undefined;
    const saved = response.headers.has(SAVED_HEADER);
    if (saved) tryFreshSoon();
    else {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      retryDelay = 0;
      if (lastAnswerSaved.value) refreshEverything();
    }
    lastAnswerSaved.value = saved;
    return undefined;
  },
});

/** True when the screen may be showing saved data rather than the server's latest. */
export const showingSaved = computed(() => !browserOnline.value || lastAnswerSaved.value);
