import { exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';

it('answers the health route and gives unknown routes the error shape', async () => {
  const ok = await exports.default.fetch('http://clubchat.test/api/health');
  expect(await ok.json()).toEqual({ ok: true });
  const missing = await exports.default.fetch('http://clubchat.test/api/v1/nope');
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
});
