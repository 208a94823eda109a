// "Assigned to you": a Web Push to the staff member who was just made a lead's owner, on every device they
// subscribed. Best effort, like the inbound pushes (inbound.ts): the assignment is committed before this runs, and
// a push that fails never undoes it. Sent even when their app is open: an assignment is not shown live anywhere
// they would necessarily be looking.
import { companyDb } from '../db/company-data';
import { vapidOf } from './config';
import { type PushNotice, sendPush } from './send';
import { deleteGoneSubscription, validSubscriptions } from './subscriptions';

export interface OwnerPush {
  companyId: string;
  personId: string;
  personName: string;
  /** The new owner. */
  userId: string;
  /** Who assigned them, as the note names them. */
  byName: string;
}

/** A day: an assignment still matters when a phone that was off wakes up the next morning. */
const TTL_SECONDS = 24 * 60 * 60;

export async function pushOwner(env: Env, input: OwnerPush): Promise<number> {
  const vapid = vapidOf(env);
  if (!vapid) return 0;
  const targets = (await validSubscriptions(env, input.companyId)).filter((s) => s.userId === input.userId);
  const notice: PushNotice = {
    title: `${input.personName} is yours`,
    body: `Assigned to you by ${input.byName}`,
    tag: `owner-${input.personId}`,
    url: `/c/${input.personId}`,
  };
  let sent = 0;
  for (const t of targets) {
    const outcome = await sendPush(env, vapid, t, notice, { ttl: TTL_SECONDS, urgency: 'normal' }).catch(
      (err: unknown) => {
        console.warn('owner push error', err instanceof Error ? err.message : String(err));
        return 'failed' as const;
      },
    );
    if (outcome === 'gone' || outcome === 'refused')
      await deleteGoneSubscription(companyDb(env, input.companyId), t.id);
    if (outcome === 'sent') sent++;
  }
  return sent;
}
