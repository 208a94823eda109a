// Sends paced to each number's throughput: slots are handed out per phone number by its AutomationPacer, across
// every consumer at once (automated items and broadcasts share them, as they share Meta's limit). A send goes
// from the number the conversation object will pick (numbers.sendingNumber), read from the same rows.
import type { NumberRow } from '../numbers';
import { sendingNumber } from '../numbers';
import type { PersonRow } from '../send-facts';
import { DEFAULT_MESSAGES_PER_SECOND, pacerFor } from './pacer';

export interface PacedItem {
  companyId: string;
  companyRate: number | null;
  person: PersonRow | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over `items`, at most `limit` at a time; every item runs even if another throws. */
export async function pool<T>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<unknown[]> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item === undefined) continue;
      try {
        await fn(item, i);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return errors;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Sends in flight at once per queue message: enough to keep a 1,000/s number busy, few enough for D1. */
const CONCURRENCY = 8;

/** Calls `send` for each item at its number's pace; answers the errors of those that threw. */
export async function sendPaced<T extends PacedItem>(
  env: Env,
  items: T[],
  numberRows: NumberRow[],
  send: (item: T) => Promise<void>,
): Promise<unknown[]> {
  // Each send's number, picked once.
  const numberOf = new Map(
    items.map((w) => {
      const numbers = numberRows.filter((n) => n.companyId === w.companyId);
      return [w, w.person ? sendingNumber(numbers, w.person) : null] as const;
    }),
  );
  const slots = new Map<string, { start: number; interval: number; used: number }>();
  for (const [phoneNumberId, group] of groupBy(items, (r) => numberOf.get(r)?.phoneNumberId ?? '')) {
    const first = group[0];
    const number = first && numberOf.get(first);
    const rate = number?.messagesPerSecond ?? first?.companyRate ?? DEFAULT_MESSAGES_PER_SECOND;
    const start = phoneNumberId ? await pacerFor(env, phoneNumberId).reserve(group.length, rate) : Date.now();
    slots.set(phoneNumberId, { start, interval: 1000 / rate, used: 0 });
  }
  return pool(items, CONCURRENCY, async (w) => {
    const slot = slots.get(numberOf.get(w)?.phoneNumberId ?? '');
    if (slot) {
      const at = slot.start + slot.interval * slot.used++;
      const wait = at - Date.now();
      if (wait > 0) await sleep(wait);
    }
    await send(w);
  });
}
