// The outbox's states as a staff member would see them: a reply that cannot go waits on the device (through a
// reload), goes once with its own Idempotency-Key when the connection is back, and a refusal then is kept
// with its reason in words until discarded.
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// openapi-fetch takes `fetch` when the client is created, so the fake server is in place before any import.
const server = vi.hoisted(() => {
  type Reply = () => Promise<Response>;
  const state = { requests: [] as { path: string; key: string | null; body: unknown }[], reply: null as Reply | null };
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    state.requests.push({
      path: new URL(req.url).pathname,
      key: req.headers.get('idempotency-key'),
      body: await req.json().catch(() => null),
    });
    if (!state.reply) throw new TypeError('Failed to fetch');
    return state.reply();
  };
  return state;
});

import { idbAll, idbClear } from './idb';
import { flushOutbox, onOutboxSettled } from './replay';
import { addToOutbox, loadOutbox, type OutboxItem, outbox, removeFromOutbox } from './store';

const owner = { companyId: 'com_demo', userId: 'usr_staff' };
const json = (status: number, body: unknown) => async () =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const note = (id: string) => ({
  id,
  person_id: 'per_1',
  type: 'whatsapp_sent',
  body: 'See you at 6',
  status: 'queued',
});
const offline = () => {
  server.reply = null;
};

/** What the app finds after a reload: only what IndexedDB kept. */
async function reload(): Promise<OutboxItem[]> {
  outbox.value = [];
  await loadOutbox();
  return outbox.value;
}

beforeEach(async () => {
  server.requests = [];
  offline();
  await idbClear();
  outbox.value = [];
});
afterEach(() => vi.restoreAllMocks());

describe('the outbox', () => {
  it('keeps a reply waiting through failed attempts and a reload, then sends it once with its own key', async () => {
    const item = await addToOutbox(owner, 'per_1', { text: 'See you at 6' }, 'key-1');
    expect(outbox.value.map((i) => i.state)).toEqual(['waiting']);

    expect(await flushOutbox(owner)).toBe(false);
    expect(outbox.value.map((i) => i.state)).toEqual(['waiting']);
    expect((await reload()).map((i) => [i.key, i.state, i.message])).toEqual([
      ['key-1', 'waiting', { text: 'See you at 6' }],
    ]);

    const sent: string[] = [];
    const stop = onOutboxSettled((personId, n) => sent.push(`${personId}:${n?.id}`));
    server.reply = json(202, note('his_1'));
    expect(await flushOutbox(owner)).toBe(true);
    stop();

    expect(outbox.value).toEqual([]);
    expect(await idbAll()).toEqual([]);
    expect(sent).toEqual(['per_1:his_1']);
    // Both attempts named the same message: the server sends it at most once.
    expect(server.requests.map((r) => [r.path, r.key, r.body])).toEqual([
      ['/api/v1/people/per_1/whatsapp/messages', item.key, { text: 'See you at 6' }],
      ['/api/v1/people/per_1/whatsapp/messages', item.key, { text: 'See you at 6' }],
    ]);
  });

  it('shows "sending" while the request is out; a reload meanwhile finds it waiting, not lost', async () => {
    await addToOutbox(owner, 'per_1', { text: 'On my way' }, 'key-2');
    let answer: (r: Response) => void = () => undefined;
    server.reply = () => new Promise<Response>((resolve) => (answer = resolve));
    const flushing = flushOutbox(owner);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    expect(outbox.value.map((i) => i.state)).toEqual(['sending']);
    expect((await idbAll<OutboxItem>()).map((i) => i.state)).toEqual(['waiting']);

    answer(await json(202, note('his_2'))());
    await flushing;
    expect(outbox.value).toEqual([]);
  });

  it('a second flush while one is running joins it: nothing is sent twice', async () => {
    await addToOutbox(owner, 'per_1', { text: 'One' }, 'key-a', '2026-11-26T00:00:01Z');
    await addToOutbox(owner, 'per_1', { text: 'Two' }, 'key-b', '2026-11-26T00:00:02Z');
    server.reply = json(202, note('his_x'));
    await Promise.all([flushOutbox(owner), flushOutbox(owner)]);
    expect(server.requests.map((r) => r.key)).toEqual(['key-a', 'key-b']);
  });

  it('a refusal when it goes stays on the message in words, survives a reload, and is gone once discarded', async () => {
    await addToOutbox(owner, 'per_1', { text: 'Still there?' }, 'key-3', '2026-11-26T00:00:01Z');
    await addToOutbox(owner, 'per_1', { text: 'Hello?' }, 'key-4', '2026-11-26T00:00:02Z');
    server.reply = json(409, { error: { code: 'window_closed', message: 'The 24-hour window is closed' } });
    const settled: string[] = [];
    const stop = onOutboxSettled((personId, n) => settled.push(`${personId}:${n === null ? 'refused' : 'sent'}`));
    expect(await flushOutbox(owner)).toBe(true);
    stop();
    expect(settled).toEqual(['per_1:refused', 'per_1:refused']);

    const kept = await reload();
    expect(kept.map((i) => [i.key, i.state, i.refusal, i.refusalCode])).toEqual([
      ['key-3', 'refused', 'More than 24 hours since they last wrote: send a template instead', 'window_closed'],
      ['key-4', 'refused', 'More than 24 hours since they last wrote: send a template instead', 'window_closed'],
    ]);
    // Refused is final: a later flush does not send it again.
    await flushOutbox(owner);
    expect(server.requests).toHaveLength(2);

    await removeFromOutbox('key-3');
    expect((await reload()).map((i) => i.key)).toEqual(['key-4']);
  });

  it.each([
    [500, 'internal_error'],
    [401, 'unauthorized'],
    [409, 'idempotency_key_busy'],
  ])('an answer of %i %s is not a refusal: the message keeps waiting', async (status, code) => {
    await addToOutbox(owner, 'per_1', { text: 'Later' }, 'key-5');
    server.reply = json(status, { error: { code, message: 'not now' } });
    expect(await flushOutbox(owner)).toBe(false);
    expect(outbox.value.map((i) => [i.state, i.refusal])).toEqual([['waiting', null]]);
  });

  // The server honours an Idempotency-Key for 24 hours (worker/whatsapp/idempotency.ts), then takes it over as a
  // new message: a replay after that could reach WhatsApp a second time.
  it('a reply whose first try got no answer is not replayed blindly a day later: it waits for the user, saying why', async () => {
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
    await addToOutbox(owner, 'per_1', { text: 'See you at 6' }, 'key-7', dayAgo, dayAgo);
    server.reply = json(202, note('his_7'));
    expect(await flushOutbox(owner)).toBe(true);
    expect(server.requests).toEqual([]);
    expect((await reload()).map((i) => [i.key, i.state])).toEqual([['key-7', 'unsure']]);
    // Nothing sends it by itself later either.
    await flushOutbox(owner);
    expect(server.requests).toEqual([]);
  });

  it('a reply never tried (the phone was offline all along) still goes, however old it is', async () => {
    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
    await addToOutbox(owner, 'per_1', { text: 'Landed, see you at 6' }, 'key-8', dayAgo);
    server.reply = json(202, note('his_8'));
    expect(await flushOutbox(owner)).toBe(true);
    expect(server.requests.map((r) => r.key)).toEqual(['key-8']);
    expect(outbox.value).toEqual([]);
  });

  it('the first try is remembered before it goes, so a reload meanwhile still counts from it', async () => {
    await addToOutbox(owner, 'per_1', { text: 'On my way' }, 'key-9');
    let answer: (r: Response) => void = () => undefined;
    server.reply = () => new Promise<Response>((resolve) => (answer = resolve));
    const flushing = flushOutbox(owner);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    const [stored] = await idbAll<OutboxItem>();
    expect(stored?.triedAt).toEqual(expect.any(String));
    answer(await json(202, note('his_9'))());
    await flushing;
  });

  it('only the staff member who wrote a reply sends it, never the next person logged in on this phone', async () => {
    await addToOutbox({ companyId: 'com_other', userId: 'usr_other' }, 'per_9', { text: 'Private' }, 'key-6');
    server.reply = json(202, note('his_6'));
    expect(await flushOutbox(owner)).toBe(true);
    expect(server.requests).toEqual([]);
    expect(outbox.value.map((i) => i.state)).toEqual(['waiting']);
  });
});
