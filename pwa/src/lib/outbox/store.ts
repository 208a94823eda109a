// Replies kept on this device until they can go: the outbox, in IndexedDB so it survives a reload or the
// phone closing the app, mirrored in a signal the conversation page draws bubbles from.
import { signal } from '@preact/signals';
import type { Interactive } from '#common/interactive/interactive-rules';
import type { TemplateSend } from '../api/people';
import { idbAll, idbDelete, idbPut } from './idb';

/**
 * waiting -> sending -> (sent: removed) | refused (kept and shown until discarded) | unsure (tried with no
 * answer, and too long ago to replay safely: the user checks the conversation, then discards or writes again).
 */
export type OutboxState = 'waiting' | 'sending' | 'refused' | 'unsure';
export type OutboxMessage = { text: string } | { template: TemplateSend } | { interactive: Interactive };

export interface OutboxItem {
  /** Client-generated id, sent as the Idempotency-Key on every attempt: the server sends it at most once. */
  key: string;
  /** Whose session may send it: another company or staff member logging in on this phone never sends it. */
  companyId: string;
  userId: string;
  personId: string;
  message: OutboxMessage;
  createdAt: string;
  /** When a request first carried its key (null: never tried). The server's hold on the key counts from then. */
  triedAt: string | null;
  state: OutboxState;
  /** Why the server refused it, in words. */
  refusal: string | null;
  /** The server's code for that refusal (e.g. `window_closed`); absent on items refused before it was kept. */
  refusalCode?: string;
}

export interface Owner {
  companyId: string;
  userId: string;
}

export const outbox = signal<OutboxItem[]>([]);

export const ownedBy = (item: OutboxItem, owner: Owner): boolean =>
  item.companyId === owner.companyId && item.userId === owner.userId;

export const outboxText = (m: OutboxMessage): string =>
  'text' in m ? m.text : 'interactive' in m ? m.interactive.body.text : `Template ${m.template.name}`;

const isText = (v: unknown): v is string => typeof v === 'string';

/** IndexedDB holds whatever an earlier version of the app wrote: anything not in today's shape is left out. */
function isItem(v: unknown): v is OutboxItem {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const m = o.message as Record<string, unknown> | null | undefined;
  const tpl = m?.template as Record<string, unknown> | undefined;
  const asked = m?.interactive as { body?: { text?: unknown } } | undefined;
  const message =
    isText(m?.text) ||
    (isText(tpl?.name) && isText(tpl?.language) && Array.isArray(tpl?.params)) ||
    isText(asked?.body?.text);
  return (
    isText(o.key) &&
    isText(o.companyId) &&
    isText(o.userId) &&
    isText(o.personId) &&
    isText(o.createdAt) &&
    (o.triedAt === undefined || o.triedAt === null || isText(o.triedAt)) &&
    (o.state === 'waiting' || o.state === 'sending' || o.state === 'refused' || o.state === 'unsure') &&
    (o.refusal === null || isText(o.refusal)) &&
    message
  );
}

const byAge = (a: OutboxItem, b: OutboxItem) => a.createdAt.localeCompare(b.createdAt);

function show(item: OutboxItem | null, key: string) {
  const rest = outbox.value.filter((i) => i.key !== key);
  outbox.value = item ? [...rest, item].sort(byAge) : rest;
}

/**
 * Reads the device's outbox. A send cut off by a reload is waiting again: resending it with its key is safe.
 * An item from before `triedAt` was kept may have been tried any time since it was written.
 */
export async function loadOutbox(): Promise<void> {
  const stored = (await idbAll<unknown>()).filter(isItem);
  outbox.value = stored
    .map((i) => ({ ...i, triedAt: i.triedAt === undefined ? i.createdAt : i.triedAt }))
    .map((i) => (i.state === 'sending' ? { ...i, state: 'waiting' as const } : i))
    .sort(byAge);
}

export async function addToOutbox(
  owner: Owner,
  personId: string,
  message: OutboxMessage,
  key: string,
  createdAt = new Date().toISOString(),
  triedAt: string | null = null,
): Promise<OutboxItem> {
  const item: OutboxItem = { key, ...owner, personId, message, createdAt, triedAt, state: 'waiting', refusal: null };
  await idbPut(item);
  show(item, key);
  return item;
}

export async function setOutboxState(
  key: string,
  state: OutboxState,
  refusal: string | null = null,
  refusalCode?: string,
) {
  const item = outbox.value.find((i) => i.key === key);
  if (!item) return;
  const next = { ...item, state, refusal, ...(refusalCode ? { refusalCode } : {}) };
  // "sending" is shown but not stored: after a reload the item is simply waiting again.
  if (state !== 'sending') await idbPut(next);
  show(next, key);
}

/** Stored before the first request goes: from then on the server may hold its key (and only for so long). */
export async function markTried(key: string, at = new Date().toISOString()): Promise<void> {
  const item = outbox.value.find((i) => i.key === key);
  if (!item || item.triedAt !== null) return;
  const next = { ...item, triedAt: at };
  await idbPut(next);
  show(next, key);
}

export async function removeFromOutbox(key: string): Promise<void> {
  await idbDelete(key);
  show(null, key);
}
