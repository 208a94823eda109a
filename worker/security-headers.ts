// Headers on every answer the worker gives (API, webhooks, simulator, API reference). The app shell and its
// files are answered by Workers static assets before the worker runs, so theirs live in pwa/public/_headers.
import type { MiddlewareHandler } from 'hono';

/** Runs nothing and may not be framed: a JSON answer opened in a tab can never become a page. */
const JSON_CSP = "default-src 'none'; frame-ancestors 'none'";
/** A year, the minimum for browsers' preload lists; set only in live mode (local runs are plain http). */
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    await next();
    // A WebSocket upgrade's answer comes from the inbox object as is.
    if (c.res.status === 101) return;
    // Answers passed through from a fetch() have immutable headers: copy them once.
    if (!canSetHeaders(c.res.headers)) c.res = new Response(c.res.body, c.res);
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    if ((h.get('Content-Type') ?? '').startsWith('application/json') && !h.has('Content-Security-Policy'))
      h.set('Content-Security-Policy', JSON_CSP);
    // Read directly: a misconfigured mode already answered config_error, and must not throw again here.
    if (c.env.WHATSAPP_MODE === 'live') h.set('Strict-Transport-Security', HSTS);
  };
}

function canSetHeaders(headers: Headers): boolean {
  try {
    headers.set('X-Content-Type-Options', 'nosniff');
    return true;
  } catch {
    return false;
  }
}
