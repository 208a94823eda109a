// A session that ends without a logout (the account deactivated, the session expired, revoked elsewhere) leaves
// nothing of that company on the phone for the app to open with: the first 401 empties the saved answers (so
// an app started with no signal cannot open as that user) and the outbox's view, exactly as a logout does.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const server = vi.hoisted(() => {
  const state = { status: 401 };
  globalThis.fetch = async () =>
    new Response(JSON.stringify({ error: { code: 'unauthorized', message: 'Log in again' } }), {
      status: state.status,
      headers: { 'Content-Type': 'application/json' },
    });
  return state;
});

import { ApiFailure, sessionLost } from './api/client';
import { getPerson } from './api/people';
import type { Me } from './api/session';
import { idbClear } from './outbox/idb';
import { addToOutbox, outbox } from './outbox/store';
import { API_CACHE } from './saved-answers';
import { me, signedIn } from './session';

const staff = { user: { id: 'usr_1' }, company: { id: 'com_demo' } } as Me;
const saved = new Set<string>();

beforeEach(async () => {
  server.status = 401;
  saved.clear();
  saved.add(API_CACHE);
  vi.stubGlobal('caches', { delete: async (name: string) => saved.delete(name) });
  vi.stubGlobal(
    'WebSocket',
    class {
      close() {}
    },
  );
  await idbClear();
  outbox.value = [];
  sessionLost.value = false;
});
afterEach(() => vi.unstubAllGlobals());

describe('a session that ends with a 401', () => {
  it('empties the saved answers and the outbox view, as a logout does', async () => {
    signedIn(staff);
    await addToOutbox({ companyId: 'com_demo', userId: 'usr_1' }, 'per_1', { text: 'See you at 6' }, 'key-1');
    expect(outbox.value).toHaveLength(1);

    await expect(getPerson('per_1')).rejects.toBeInstanceOf(ApiFailure);

    await vi.waitFor(() => {
      expect(me.value).toBeNull();
      expect(saved.has(API_CACHE)).toBe(false);
      expect(outbox.value).toEqual([]);
    });
  });
});
