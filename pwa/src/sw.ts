/// <reference lib="webworker" />
// The service worker (vite-plugin-pwa injectManifest). Precaches the app shell so the app opens offline and
// fast; API, webhook and sandbox requests go to the network (never the cached shell: an HTML page answering
// an API call would break the app in confusing ways), except the few reads kept for offline reading
// (sw-api-cache.ts), which fall back to their own saved answers.
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { registerApiCache } from './sw-api-cache';
import { registerPushHandlers } from './sw-push';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// Settings > WhatsApp is fetched from the network, never the cached shell: its own CSP (pwa/public/_headers) lets
// Facebook's SDK run there, and the shell's copy would carry the strict one.
export const NAVIGATION_DENYLIST = [/^\/api\//, /^\/webhooks\//, /^\/sandbox\//, /^\/settings\/whatsapp\/?$/];
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: NAVIGATION_DENYLIST }));
registerApiCache(self);

// Take charge of the page that installed us, so the inbox and conversations read on the first visit are
// already saved for offline (only on a first install or after the update prompt's SKIP_WAITING: a waiting
// update still waits).
clientsClaim();

// The page asks before a new version takes over (update prompt), so a staff member never loses a half-typed
// message to a silent reload.
self.addEventListener('message', (event) => {
  if (event.data && typeof event.data === 'object' && 'type' in event.data && event.data.type === 'SKIP_WAITING')
    void self.skipWaiting();
});

// New WhatsApp messages while the app is closed (worker/push/): show them, and open the conversation on a tap.
registerPushHandlers(self);
