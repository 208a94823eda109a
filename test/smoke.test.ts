import { env, exports } from 'cloudflare:workers';
import { expect, it } from 'vitest';
it('loops back', async () => {
  const r = await exports.default.fetch('http://x/');
  expect(await r.text()).toBe('ok 1');
  const stub = env.CONVERSATION.getByName('a');
  expect(await stub.ping()).toBe('pong ok 1');
});
