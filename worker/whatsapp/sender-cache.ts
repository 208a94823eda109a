// Who a business number's sender was, remembered for a minute in this isolate: a person writing several messages
// in a row (most conversations) then costs webhook ingest one D1 round trip a message instead of two. It is a
// hint, never trusted: the conversation object's batch stores the message only if the person still answers to
// that wa_id or number (history-writes.ts, `senderStillMatches`), and a stale hint is forgotten and looked up
// afresh (webhook.ts).
import type { InboundPerson, NumberOwner } from './people-lookup';

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Sender extends NumberOwner {
  person: InboundPerson;
  at: number;
}

const senders = new Map<string, Sender>();
const keyOf = (phoneNumberId: string, waId: string) => `${phoneNumberId}|${waId}`;

export function recallSender(phoneNumberId: string, waId: string, now = Date.now()): Sender | null {
  const key = keyOf(phoneNumberId, waId);
  const found = senders.get(key);
  if (!found) return null;
  if (now - found.at > TTL_MS) {
    senders.delete(key);
    return null;
  }
  return found;
}

export function rememberSender(waId: string, owner: NumberOwner, person: InboundPerson): void {
  const key = keyOf(owner.number.phoneNumberId, waId);
  senders.delete(key);
  // A Map iterates in insertion order: the first key is the least recently remembered.
  if (senders.size >= MAX_ENTRIES) {
    const oldest = senders.keys().next().value;
    if (oldest !== undefined) senders.delete(oldest);
  }
  senders.set(key, { ...owner, person, at: Date.now() });
}

export function forgetSender(phoneNumberId: string, waId: string): void {
  senders.delete(keyOf(phoneNumberId, waId));
}

/**
 * Forgets every sender: a club's assignment, hours or away reply changed, and what the cached lookups say about
 * them (people-lookup.ts, InboundNumber) must not outlive the change here. Other isolates catch up within TTL_MS.
 */
export function forgetAllSenders(): void {
  senders.clear();
}
