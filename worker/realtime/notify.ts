// Tells a company's open apps that something was stored. Best effort by design: it runs after the D1 write
// that matters has committed, and a lost event costs a refetch, never a message, so it never fails its caller.
// The conversation object hands these to ctx.waitUntil rather than awaiting them, so a webhook's acknowledgement
// to Meta and a send's answer never wait on the inbox object (measured: awaiting it tripled the webhook property
// test's time, mostly creating one inbox object per test company); only a new inbound message's one call is
// awaited (notifyInbound), and the pushes it starts are not.
import type { InboundPush } from '../push/inbound';
import type { InboxEventInput } from './events';

export async function notifyInbox(env: Env, companyId: string, event: InboxEventInput): Promise<void> {
  if (!companyId) return;
  try {
    await env.INBOX.getByName(companyId).publish(event);
  } catch (err) {
    console.warn('inbox notify failed', companyId, event.type, err instanceof Error ? err.message : String(err));
  }
}

/** A message was stored (inbound, or an outbound send recorded before Meta is called). */
export const notifyMessage = (env: Env, companyId: string, personId: string, messageId: string) =>
  notifyInbox(env, companyId, { type: 'message', personId, messageId });

/** An outbound message's status changed. */
export const notifyStatus = (env: Env, companyId: string, personId: string, messageId: string) =>
  notifyInbox(env, companyId, { type: 'status', personId, messageId });

/**
 * A new inbound message: the live event and the Web Push to staff whose app is closed, in one call to the inbox
 * object, which records the event and starts the pushes without waiting for them. Never fails its caller.
 */
export async function notifyInbound(env: Env, push: InboundPush): Promise<void> {
  try {
    await env.INBOX.getByName(push.companyId).inbound(
      { type: 'message', personId: push.personId, messageId: push.messageId },
      push,
    );
  } catch (err) {
    console.warn('inbox notify failed', push.companyId, err instanceof Error ? err.message : String(err));
  }
}
