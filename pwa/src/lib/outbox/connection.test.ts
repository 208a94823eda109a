// A saved copy shown while the browser says it is online is not left on screen: the app asks again (backing
// off), and once the server answers fresh, every page reloads what it shows.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// openapi-fetch takes `fetch` when the client is created, so the fake server is in place before any import.
const server = vi.hoisted(() => {
  const state = { saved: true, requests: 0 };
  globalThis.fetch = async () => {
    state.requests++;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (state.saved) headers['X-ClubChat-Saved'] = '1';
    return new Response(JSON.stringify({ collection: [], pagination: { next_cursor: null } }), { headers });
  };
  return state;
});

import { listConversations } from '../api/inbox';
import { inboxVersion } from '../live';
import { browserOnline, showingSaved } from './connection';

beforeEach(() => {
  vi.useFakeTimers();
  browserOnline.value = true;
  server.saved = true;
  server.requests = 0;
});
afterEach(() => vi.useRealTimers());

describe('saved copies while online', () => {
  it('asks again after a saved answer, and reloads every page once a fresh answer follows', async () => {
    await listConversations({});
    expect(showingSaved.value).toBe(true);
    const before = inboxVersion.value;
    // Still a saved copy: after 2 s the pages are asked to reload (they refetch, here by hand).
    await vi.advanceTimersByTimeAsync(2_000);
    expect(inboxVersion.value).toBe(before + 1);
    await listConversations({});
    // The network is back: the fresh answer reloads everything once, and no more retries follow.
    server.saved = false;
    await vi.advanceTimersByTimeAsync(4_000);
    expect(inboxVersion.value).toBe(before + 2);
    await listConversations({});
    expect(showingSaved.value).toBe(false);
    expect(inboxVersion.value).toBe(before + 3);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(inboxVersion.value).toBe(before + 3);
  });

  it('does not ask again while the browser says it is offline', async () => {
    browserOnline.value = false;
    await listConversations({});
    const before = inboxVersion.value;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(inboxVersion.value).toBe(before);
  });

  it('asks again when the browser comes back online after a saved answer it got while offline', async () => {
    browserOnline.value = false;
    await listConversations({});
    const before = inboxVersion.value;
    window.dispatchEvent(new Event('online'));
    expect(browserOnline.value).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(inboxVersion.value).toBe(before + 1);
  });
});
