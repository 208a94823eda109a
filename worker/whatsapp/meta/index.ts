import { exports } from 'cloudflare:workers';
import { metaTimeoutMs, whatsappMode } from '../../config';
import { createGraphClient } from './graph-client';
import type { MetaApi } from './types';

export type { MetaApi } from './types';

/** Where the simulator's copy of Meta's Graph API lives (worker/sandbox/routes.ts). */
export const SANDBOX_ORIGIN = 'http://meta.sandbox';
export const SANDBOX_GRAPH_URL = `${SANDBOX_ORIGIN}/sandbox/graph/v23.0`;

/** The one MetaApi for this deployment: Meta itself when live, the simulator in sandbox mode. */
export function metaApiFor(env: Env): MetaApi {
  const timeoutMs = metaTimeoutMs(env);
  if (whatsappMode(env) === 'live') {
    return createGraphClient({ baseUrl: env.META_GRAPH_URL, fetch: (request) => fetch(request), timeoutMs });
  }
  // The simulator is served by this same worker: call our own entrypoint in-process rather than over the
  // network, so sandbox mode needs no public URL and works from inside Durable Objects too.
  return createGraphClient({
    baseUrl: SANDBOX_GRAPH_URL,
    fetch: (request) => exports.default.fetch(request),
    timeoutMs,
  });
}
