// Every answer of the worker tells the browser not to guess its type, not to be framed and not to pass the URL on
// as a referrer; JSON answers also carry a CSP that runs nothing. HSTS only in live mode: local runs are http.
// (The app shell's own headers come from pwa/public/_headers and are checked in e2e/pwa.e2e.ts.)
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../worker/app';

const JSON_ANSWERS = [
  ['GET', '/api/health', 200],
  ['GET', '/api/v1/nope', 404],
  ['GET', '/api/v1/people', 401],
  ['GET', '/api/auth/me', 401],
  ['POST', '/api/auth/login', 422],
] as const;

describe('security headers', () => {
  it.each(JSON_ANSWERS)(
    '%s %s (%i) carries nosniff, no framing, no referrer and a CSP that runs nothing',
    async (method, path, status) => {
      const res = await exports.default.fetch(`http://clubchat.test${path}`, { method });
      expect(res.status).toBe(status);
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
      expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
      expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('Strict-Transport-Security')).toBeNull();
    },
  );

  it('the API reference page is not framed and not sniffed either', async () => {
    const res = await exports.default.fetch('http://clubchat.test/api/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('in live mode every answer also asks for HTTPS only (HSTS)', async () => {
    const live = { ...env, WHATSAPP_MODE: 'live' };
    const res = await buildApp().fetch(new Request('https://clubchat.test/api/health'), live);
    expect(res.headers.get('Strict-Transport-Security')).toBe('max-age=31536000; includeSubDomains');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});
