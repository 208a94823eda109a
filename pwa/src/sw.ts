/// <reference lib="webworker" />
// The service worker (vite-plugin-pwa injectManifest). Precaches the app shell so the app opens offline and
// fast; API, webhook and sandbox requests always go to the network (never the cached shell: an HTML page
// answering an API call would break the app in confusing ways).
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { registerPushHandlers } from './sw-push';

declare const self: ServiceWorkerGlobalScope;

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

export const NAVIGATION_DENYLIST = [/^\/api\//, /^\/webhooks\//, /^\/sandbox\//];
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: NAVIGATION_DENYLIST }));

// The page asks before a new version takes over (update prompt), so a staff member never loses a half-typed
// message to a silent reload.
self.addEventListener('message', (event) => {
  if (event.data && typeof event.data === 'object' && 'type' in event.data && event.data.type === 'SKIP_WAITING')
    void self.skipWaiting();
});

// New WhatsApp messages while the app is closed (worker/push/): show them, and open the conversation on a tap.
registerPushHandlers(self);
