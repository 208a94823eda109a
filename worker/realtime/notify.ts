// Tells a company's open apps that something was stored. Best effort by design: it runs after the D1 write
// that matters has committed, and a lost event costs a refetch, never a message, so it never fails its caller.
// The conversation object hands these to ctx.waitUntil rather than awaiting them, so a send's answer never waits
// on the inbox object; a new inbound message's call is awaited (notifyInbound), and the pushes it starts are not.
//
// One call at a time per company from this isolate: events that come while a call is on its way wait in memory
// and go together in the next one (`carry`). Under a burst of webhooks or bulk sends that is one call for many
// events rather than one each (issue 12: the call per inbound message was about a tenth of its server CPU), and
// the company's one inbox object, single-threaded, takes far fewer calls. A call waits one turn of the event loop
// for the events of the same moment; alone, an event goes then.
import type { Background } from '../db/group-commit';
import type { InboundPush } from '../push/inbound';
import type { InboxEventInput, InboxParcel } from './events';

/** Events waiting for the next call to one company's inbox, and since when a caller has been carrying them. */
interface Outbox {
  parcels: InboxParcel[];
  carrierSince: number | null;
}

const outboxes = new Map<string, Outbox>();
/** A carrier silent this long is taken to be gone (its request ended mid-call): the next event carries. */
const CARRIER_LOST_MS = 10_000;
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Events per call: a burst's backlog goes in a few calls of bounded size. */
const PARCELS_PER_CALL = 200;

/**
 * Puts the event in the company's outbox. If no call is on its way, this caller makes it and then, while events
 * keep arriving, the next ones: awaited to the end, or, given `background`, only until the call with its own event
 * is answered (a webhook is not held up carrying a burst). Another caller's events are only data here: each call's
 * stub is made in the carrier's own request.
 */
async function carry(env: Env, companyId: string, parcel: InboxParcel, background?: Background): Promise<void> {
  let box = outboxes.get(companyId);
  if (!box) {
    box = { parcels: [], carrierSince: null };
    outboxes.set(companyId, box);
  }
  box.parcels.push(parcel);
  if (box.carrierSince !== null && Date.now() - box.carrierSince < CARRIER_LOST_MS) return;
  box.carrierSince = Date.now();
  const outbox = box;
  let ownCallAnswered = () => {};
  const ownCall = new Promise<void>((resolve) => {
    ownCallAnswered = resolve;
  });
  const calls = (async () => {
    try {
      while (outbox.parcels.length > 0) {
        // One turn of the event loop first: the webhooks whose messages were committed together (db/group-commit.ts)
        // are answered in the same moment, and their events then go in this one call rather than one call each.
        await nextTurn();
        const load = outbox.parcels.splice(0, PARCELS_PER_CALL);
        try {
          await env.INBOX.getByName(companyId).deliver(load);
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          console.warn('inbox notify failed', companyId, load.length, reason);
        }
        outbox.carrierSince = Date.now();
        ownCallAnswered();
      }
    } finally {
      outbox.carrierSince = null;
      ownCallAnswered();
      if (outbox.parcels.length === 0 && outboxes.get(companyId) === outbox) outboxes.delete(companyId);
    }
  })();
  if (!background) return calls;
  background(calls);
  return ownCall;
}

export async function notifyInbox(env: Env, companyId: string, event: InboxEventInput): Promise<void> {
  if (companyId) await carry(env, companyId, { event });
}

/** A message was stored (inbound, or an outbound send recorded before Meta is called). */
export const notifyMessage = (env: Env, companyId: string, personId: string, messageId: string) =>
  notifyInbox(env, companyId, { type: 'message', personId, messageId });

/** An outbound message's status changed. */
export const notifyStatus = (env: Env, companyId: string, personId: string, messageId: string) =>
  notifyInbox(env, companyId, { type: 'status', personId, messageId });

/**
 * A new inbound message: the live event and the Web Push to staff whose app is closed, in one parcel for the inbox
 * object, which records the event and starts the pushes without waiting for them. Never fails its caller.
 */
export async function notifyInbound(env: Env, push: InboundPush, background: Background): Promise<void> {
  const event: InboxEventInput = { type: 'message', personId: push.personId, messageId: push.messageId };
  await carry(env, push.companyId, { event, push }, background);
}
