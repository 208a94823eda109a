// The composer's send when the connection is missing: the reply lands in the outbox (it is not lost, and the
// composer is not told it failed), with the very key a failed request already carried.
import 'fake-indexeddb/auto';
import { act, renderHook } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const server = vi.hoisted(() => {
  const state = { keys: [] as (string | null)[], reply: null as (() => Response) | null };
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    state.keys.push(new Request(input, init).headers.get('idempotency-key'));
    if (!state.reply) throw new TypeError('Failed to fetch');
    return state.reply();
  };
  return state;
});

import type { Me } from './api/session';
import { idbAll, idbClear } from './outbox/idb';
import { type OutboxItem, outbox } from './outbox/store';
import { me } from './session';
import { useWhatsappSend } from './use-whatsapp-send';

const staff = { user: { id: 'usr_1' }, company: { id: 'com_demo' } } as Me;
let online = true;

beforeEach(async () => {
  server.keys = [];
  server.reply = null;
  online = true;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
  me.value = staff;
  outbox.value = [];
  await idbClear();
});
afterEach(() => vi.restoreAllMocks());

function composer(withOutbox: boolean) {
  const onSent = vi.fn();
  const { result } = renderHook(() => useWhatsappSend('per_1', onSent, { outbox: withOutbox }));
  return { result, onSent };
}

describe('useWhatsappSend with the outbox', () => {
  it('offline: the reply is kept on the device as waiting, without trying the network', async () => {
    online = false;
    const { result, onSent } = composer(true);
    await act(() => result.current.send({ text: 'Booked you in' }));
    expect(server.keys).toEqual([]);
    expect(onSent).not.toHaveBeenCalled();
    const stored = await idbAll<OutboxItem>();
    expect(stored.map((i) => [i.personId, i.state, i.message, i.companyId, i.userId, i.triedAt])).toEqual([
      ['per_1', 'waiting', { text: 'Booked you in' }, 'com_demo', 'usr_1', null],
    ]);
  });

  it('a request lost on the way: kept with the key it was sent with, so a replay cannot send it twice', async () => {
    const { result, onSent } = composer(true);
    await act(() => result.current.send({ text: 'Booked you in' }));
    expect(onSent).not.toHaveBeenCalled();
    expect(server.keys).toHaveLength(1);
    expect(outbox.value.map((i) => i.key)).toEqual(server.keys);
    // The server may hold that key from now on: the outbox counts its replay limit from this try.
    expect(outbox.value.map((i) => typeof i.triedAt)).toEqual(['string']);
    expect(result.current.pending).toEqual([]);
  });

  it('where no outbox is shown (the profile dialog), a lost request is an error in words', async () => {
    const { result } = composer(false);
    await expect(result.current.send({ text: 'Booked you in' })).rejects.toThrow(
      'Cannot reach ClubChat: check your connection and try again',
    );
    expect(await idbAll()).toEqual([]);
  });

  it('a refusal is not kept: the composer shows it, as before', async () => {
    server.reply = () =>
      new Response(JSON.stringify({ error: { code: 'opted_out', message: 'x' } }), {
        status: 422,
        headers: { 'Content-Type': 'application/json' },
      });
    const { result } = composer(true);
    await expect(result.current.send({ text: 'Hi' })).rejects.toThrow('They opted out of WhatsApp messages');
    expect(await idbAll()).toEqual([]);
  });
});
