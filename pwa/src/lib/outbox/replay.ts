// Sends what the outbox holds, oldest first, one at a time (so a person gets replies in the order they were
// written). Every attempt carries the item's own key as Idempotency-Key, so an answer lost on the way back,
// a reload halfway, or two tabs replaying at once still reach WhatsApp once: the server replays its first
// answer (worker/whatsapp/idempotency.ts). The server checks the window and opt-out again when it goes; a
// refusal then stays on the bubble, in words, until discarded.
// The server holds a key for 24 hours from its first use (common/idempotency.ts), then forgets it: a
// reply tried with no answer and still here after that could reach WhatsApp twice if replayed. We chose to stop
// such blind replays, not to have the server keep keys for ever: what the user expects from a day-old reply
// whose fate is unknown is to be asked (it may well have gone; it may no longer fit the conversation), and a
// server that must remember every key a phone might still hold has no bound. A reply never tried (the phone was
// offline all along) is safe however old, and still goes.
import { BLIND_REPLAY_MS } from '#common/idempotency';
import { ApiFailure } from '../api/client';
import { type HistoryNote, sendWhatsapp } from '../api/people';
import { refusalText } from '../refusal-text';
import { markTried, type OutboxItem, type Owner, outbox, ownedBy, removeFromOutbox, setOutboxState } from './store';

const tooLateToReplay = (item: OutboxItem, now: number): boolean =>
  item.triedAt !== null && now - Date.parse(item.triedAt) > BLIND_REPLAY_MS;

/** `note`: the stored message it became; null: refused, so what the page shows (the window...) is out of date. */
type SettledListener = (personId: string, note: HistoryNote | null) => void;
const listeners = new Set<SettledListener>();

/** The conversation page shows the stored message the moment its outbox bubble goes, or reloads on a refusal. */
export function onOutboxSettled(listener: SettledListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** No answer, or one that says "not now": the message waits for the next chance, with the same key. */
export function isTransient(err: unknown): boolean {
  if (!(err instanceof ApiFailure)) return true;
  if (err.code === 'idempotency_key_busy') return true; // another tab is sending this very message
  return err.status === 0 || err.status === 401 || err.status === 408 || err.status === 429 || err.status >= 500;
}

/** 'stop': the connection (or the session) is gone, so the rest would fail the same way. */
async function sendOne(item: OutboxItem): Promise<'next' | 'stop'> {
  if (tooLateToReplay(item, Date.now())) {
    await setOutboxState(item.key, 'unsure');
    for (const listener of listeners) listener(item.personId, null);
    return 'next';
  }
  await markTried(item.key);
  await setOutboxState(item.key, 'sending');
  try {
    const note = await sendWhatsapp(item.personId, item.message, item.key);
    await removeFromOutbox(item.key);
    for (const listener of listeners) listener(item.personId, note);
    return 'next';
  } catch (err) {
    if (isTransient(err)) {
      await setOutboxState(item.key, 'waiting');
      return 'stop';
    }
    await setOutboxState(item.key, 'refused', refusalText(err), err instanceof ApiFailure ? err.code : undefined);
    for (const listener of listeners) listener(item.personId, null);
    return 'next';
  }
}

let flushing: Promise<boolean> | null = null;

/**
 * Sends every waiting message of this staff member. One flush at a time in a tab: the online event and app
 * start can both ask, and the second simply joins the first. Resolves false if it stopped on a transient
 * failure (something is still waiting), true if the outbox was emptied of waiting items.
 */
export function flushOutbox(owner: Owner): Promise<boolean> {
  flushing ??= sendAll(owner).finally(() => {
    flushing = null;
  });
  return flushing;
}

async function sendAll(owner: Owner): Promise<boolean> {
  const tried = new Set<string>();
  for (;;) {
    const next = outbox.value.find((i) => i.state === 'waiting' && ownedBy(i, owner) && !tried.has(i.key));
    if (!next) return true;
    tried.add(next.key);
    if ((await sendOne(next)) === 'stop') return false;
  }
}
