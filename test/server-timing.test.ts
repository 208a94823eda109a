// Every API answer says how long the worker itself took (`Server-Timing: total;dur=…`), errors included, so an
// integrator (and the benchmarks) can tell the worker's time from the network's.
import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it.each([
  ['GET', '/api/health', 200],
  ['GET', '/api/v1/nope', 404],
  ['GET', '/api/v1/people', 401],
  ['POST', '/api/auth/login', 422],
] as const)('%s %s (%i) carries Server-Timing with the total', async (method, path, status) => {
  const res = await exports.default.fetch(`http://clubchat.test${path}`, { method });
  expect(res.status).toBe(status);
  expect(res.headers.get('Server-Timing')).toMatch(/^total;dur=\d+(\.\d+)?;desc="Total Response Time"$/);
  expect(res.headers.get('Timing-Allow-Origin')).toBeNull();
});

it('the webhook answers Meta without it (not an API answer)', async () => {
  const res = await exports.default.fetch('http://clubchat.test/webhooks/whatsapp?hub.mode=subscribe');
  expect(res.headers.get('Server-Timing')).toBeNull();
});
