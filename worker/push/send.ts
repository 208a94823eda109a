// One push to one subscription: encrypted with aes128gcm (RFC 8291) and signed with VAPID (RFC 8292) by
// @block65/webcrypto-web-push 2.x, which every push service accepts, Apple's included.

import { exports } from 'cloudflare:workers';
import { buildPushPayload, type PushMessage } from '@block65/webcrypto-web-push';
import { sandboxEnabled } from '../config';
import type { Vapid } from './config';
import { pushEndpointAllowed, SANDBOX_PUSH_HOST } from './hosts';

/** A push service that does not answer in this long is treated as a failed (not gone) push. */
export const PUSH_TIMEOUT_MS = 10_000;

/** `refused`: the endpoint is not a push service we send to (worker/push/hosts.ts); it was not fetched. */
export type PushOutcome = 'sent' | 'gone' | 'failed' | 'refused';

export interface PushTarget {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** What the service worker shows (pwa/src/sw-push.ts reads the same shape). */
export interface PushNotice {
  title: string;
  body: string;
  /** One notification per conversation: a newer message replaces the older one instead of stacking. */
  tag: string;
  url: string;
}

export interface PushOptions {
  /** Seconds the push service keeps an undelivered push (a phone that is off). */
  ttl: number;
  /** Lets the push service replace an undelivered push with the same topic (RFC 8030 §5.4). */
  topic?: string;
  urgency?: 'low' | 'normal' | 'high';
}

export async function sendPush(
  env: Pick<Env, 'WHATSAPP_MODE'>,
  vapid: Vapid,
  target: PushTarget,
  notice: PushNotice,
  options: PushOptions,
): Promise<PushOutcome> {
  // Checked here, right before the fetch, so a row stored before the rule (or in sandbox mode) is never fetched.
  if (!pushEndpointAllowed(env, target.endpoint)) {
    console.warn('push refused: not a push service endpoint', URL.parse(target.endpoint)?.host ?? '(invalid)');
    return 'refused';
  }
  const message: PushMessage = { data: { ...notice }, options: { ...options } };
  const payload = await buildPushPayload(
    message,
    { endpoint: target.endpoint, expirationTime: null, keys: { p256dh: target.p256dh, auth: target.auth } },
    vapid,
  );
  const request = new Request(target.endpoint, {
    method: 'POST',
    headers: payload.headers,
    body: payload.body,
    signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
    // A push service answers, it never redirects: following one would reach a host the rule never checked.
    redirect: 'manual',
  });
  let res: Response;
  try {
    res = await pushFetch(env, request);
  } catch (err) {
    console.warn('push failed', new URL(target.endpoint).host, err instanceof Error ? err.message : String(err));
    return 'failed';
  }
  await res.body?.cancel();
  // RFC 8030 §7.3: 404/410 mean the subscription has expired or been removed, for good.
  if (res.status === 404 || res.status === 410) return 'gone';
  if (res.ok) return 'sent';
  console.warn('push refused', new URL(target.endpoint).host, res.status);
  return 'failed';
}

/** In sandbox mode the simulator's push service is served by this worker: call it in-process. */
function pushFetch(env: Pick<Env, 'WHATSAPP_MODE'>, request: Request): Promise<Response> {
  if (sandboxEnabled(env) && new URL(request.url).host === SANDBOX_PUSH_HOST) return exports.default.fetch(request);
  return fetch(request);
}
