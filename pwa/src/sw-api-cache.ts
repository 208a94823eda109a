/// <reference lib="webworker" />
// Saved copies of the API answers a staff member needs to read without signal: who is logged in, the inbox,
// and the conversations they opened (person, conversation row, messages). NetworkFirst: the network's answer
// whenever it comes in time (and it refreshes the copy), the saved copy when it fails or hangs. Bounded, and
// emptied on every login and logout, so one company's messages are never shown to the next person who logs
// in on this phone, and on any 401 (a session ended without a logout: deactivated, expired), so a phone
// with no signal never opens as that user again. Chosen over an app-side IndexedDB cache because the pages keep calling the same API
// functions and the browser's Cache Storage already keys answers by URL.
import { ExpirationPlugin } from 'workbox-expiration';
import { registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { API_CACHE, SAVED_HEADER } from './lib/saved-answers';

/** Only these GETs are ever saved; media, templates, settings and the rest always go to the network. */
export const SAVED_PATHS = [
  /^\/api\/auth\/me$/,
  /^\/api\/v1\/conversations$/,
  /^\/api\/v1\/conversations\/[^/]+$/,
  /^\/api\/v1\/conversations\/[^/]+\/messages$/,
  /^\/api\/v1\/people\/[^/]+$/,
];
const SESSION_CHANGES = /^\/api\/auth\/(login|logout)$/;

export const isSavedPath = (pathname: string): boolean => SAVED_PATHS.some((p) => p.test(pathname));

/**
 * A 401 means the session behind the saved copies has ended: forget them all. A 401 itself is never saved
 * (NetworkFirst keeps only 200s), so without this the old copies would answer whenever the network fails.
 */
export function forgetOnSessionEnd(forget: () => Promise<unknown>) {
  return {
    fetchDidSucceed: async ({ response }: { response: Response }): Promise<Response> => {
      if (response.status === 401) await forget();
      return response;
    },
  };
}

export function registerApiCache(self: ServiceWorkerGlobalScope) {
  const expiration = new ExpirationPlugin({
    maxEntries: 90, // about 30 conversations at three answers each, plus the inbox
    maxAgeSeconds: 7 * 24 * 60 * 60,
    purgeOnQuotaError: true,
  });
  const forget = () => expiration.deleteCacheAndMetadata().catch(() => self.caches.delete(API_CACHE));
  const strategy = new NetworkFirst({
    cacheName: API_CACHE,
    // Long enough for a slow but working connection; short enough that a dead one shows saved messages.
    networkTimeoutSeconds: 6,
    plugins: [
      expiration,
      forgetOnSessionEnd(forget),
      {
        // Mark a saved answer so the page can say it is not the latest.
        cachedResponseWillBeUsed: async ({ cachedResponse }) => {
          if (!cachedResponse) return null;
          const headers = new Headers(cachedResponse.headers);
          headers.set(SAVED_HEADER, '1');
          return new Response(cachedResponse.body, { status: cachedResponse.status, headers });
        },
      },
    ],
  });
  registerRoute(
    ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && isSavedPath(url.pathname),
    strategy,
  );

  registerRoute(
    ({ url, sameOrigin }) => sameOrigin && SESSION_CHANGES.test(url.pathname),
    async ({ request }) => {
      await forget();
      try {
        return await fetch(request);
      } finally {
        // Again after the answer, in case a read still on its way under the old session landed meanwhile.
        await forget();
      }
    },
    'POST',
  );
}
