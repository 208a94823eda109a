// Registers the service worker and offers an update when a new version is waiting, rather than reloading
// under a staff member's thumb. Escape hatch: a deploy that serves a service worker which unregisters itself
// retires it from every phone.
import { signal } from '@preact/signals';
import { Workbox } from 'workbox-window';

export const updateWaiting = signal(false);
let wb: Workbox | null = null;

export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;
  wb = new Workbox('/sw.js', { scope: '/' });
  wb.addEventListener('waiting', () => {
    updateWaiting.value = true;
  });
  void wb.register();
}

export function applyUpdate() {
  if (!wb) return;
  wb.addEventListener('controlling', () => window.location.reload());
  wb.messageSkipWaiting();
}
