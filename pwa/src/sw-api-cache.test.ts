// Which API answers the service worker keeps for offline reading: only what the inbox and an opened
// conversation need; never media, settings, keys or anything a manager changes.
import { describe, expect, it } from 'vitest';
import { isSavedPath } from './sw-api-cache';

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
