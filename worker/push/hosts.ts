// Where the worker may send a push. An endpoint comes from the browser, so the server must not trust it: any
// https URL stored here would be POSTed to on every inbound message (cloud metadata, localhost, the worker's
// own admin routes, an intranet host). Only the push services browsers really hand out are accepted, both
// when a subscription is saved and again before each send (a row stored earlier is never fetched).
import { type WhatsappMode, whatsappMode } from '../config';

/** The simulator's push service (worker/sandbox/push-service.ts), reached in-process in sandbox mode only. */
export const SANDBOX_PUSH_HOST = 'push.sandbox';

/**
 * The browsers' push services: a host equal to `exact`, or ending with `suffix` (a subdomain of it).
 * Chrome, Edge on Android, Opera, Samsung: FCM. Safari (macOS 13+, iOS 16.4+): Apple. Firefox: Mozilla
 * autopush. Edge on Windows: WNS.
 */
export const PUSH_SERVICE_HOSTS: readonly ({ exact: string } | { suffix: string })[] = [
  { exact: 'fcm.googleapis.com' },
  { suffix: '.push.apple.com' },
  { suffix: '.push.services.mozilla.com' },
  { suffix: '.notify.windows.com' },
];

const described = PUSH_SERVICE_HOSTS.map((h) => ('exact' in h ? h.exact : `*${h.suffix}`)).join(', ');

export const PUSH_ENDPOINT_RULE = `The endpoint must be a browser push service on port 443: ${described}`;

function hostAllowed(host: string, mode: WhatsappMode): boolean {
  if (mode === 'sandbox' && host === SANDBOX_PUSH_HOST) return true;
  return PUSH_SERVICE_HOSTS.some((h) =>
    'exact' in h ? host === h.exact : host.endsWith(h.suffix) && host.length > h.suffix.length,
  );
}

/** Whether the worker may POST to this endpoint: https, default port, no credentials, an allowed host. */
export function pushEndpointAllowed(env: Pick<Env, 'WHATSAPP_MODE'>, endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  // URL() lower-cases the host and drops ":443"; any other port, or user:pass@, is not a push service's.
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return false;
  return hostAllowed(url.hostname, whatsappMode(env));
}
