// Which API answers the service worker keeps for offline reading: only what the inbox and an opened
// conversation need; never media, settings, keys or anything a manager changes.
import { describe, expect, it, vi } from 'vitest';
import { forgetOnSessionEnd, isSavedPath } from './sw-api-cache';

describe('the service worker saves for offline', () => {
  it.each([
    '/api/auth/me',
    '/api/v1/conversations',
    '/api/v1/conversations/per_demo_sheena',
    '/api/v1/conversations/per_demo_sheena/messages',
    '/api/v1/people/per_demo_sheena',
  ])('%s', (path) => expect(isSavedPath(path)).toBe(true));
});

describe('and never', () => {
  it.each([
    '/api/v1/media/m1',
    '/api/v1/people/per_demo_sheena/history',
    '/api/v1/people/per_demo_sheena/whatsapp/messages',
    '/api/v1/api-keys',
    '/api/v1/users',
    '/api/v1/whatsapp/templates',
    '/api/v1/events',
    '/api/auth/login',
    '/sandbox/messages',
  ])('%s', (path) => expect(isSavedPath(path)).toBe(false));
});

describe('a 401 from the server', () => {
  // The saved reads are answered network-first: a 401 is passed on (never saved), and the copies of the ended
  // session must go with it, or the app started later with no signal opens as that user from them.
  it('empties the saved answers; any other answer keeps them', async () => {
    const forget = vi.fn(async () => undefined);
    const plugin = forgetOnSessionEnd(forget);
    const ok = new Response('{}', { status: 200 });
    expect(await plugin.fetchDidSucceed({ response: ok })).toBe(ok);
    expect(forget).not.toHaveBeenCalled();
    const ended = new Response('{}', { status: 401 });
    expect(await plugin.fetchDidSucceed({ response: ended })).toBe(ended);
    expect(forget).toHaveBeenCalledOnce();
  });
});
