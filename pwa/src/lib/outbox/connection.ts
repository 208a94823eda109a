// Is what the app shows fresh? The browser's online flag, plus the service worker's mark on an API answer it
// served from its saved copies (sw.ts: NetworkFirst falls back to the cache when the network fails or is
// slower than its timeout, which also happens on a weak signal that the browser still calls "online").
import { computed, signal } from '@preact/signals';
import { client } from '../api/client';
import { SAVED_HEADER } from '../saved-answers';

export const browserOnline = signal(typeof navigator === 'undefined' ? true : navigator.onLine);
const lastAnswerSaved = signal(false);

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    browserOnline.value = true;
  });
  window.addEventListener('offline', () => {
    browserOnline.value = false;
  });
}

client.use({
  onResponse({ request, response }) {
    if (request.method === 'GET') lastAnswerSaved.value = response.headers.has(SAVED_HEADER);
    return undefined;
  },
});

/** True when the screen may be showing saved data rather than the server's latest. */
export const showingSaved = computed(() => !browserOnline.value || lastAnswerSaved.value);
