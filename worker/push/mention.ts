// "Sam mentioned you": a Web Push to each user a note mentions, on every device they subscribed, opening the
// person's conversation. Best effort, like the owner push (owner.ts): the note is committed before this runs and a
// failed push never undoes it. Sent even when their app is open, since a note is not a message: nothing else
// would draw their eye to it. Only users the note's check allowed to see the person are ever passed in.
import { companyDb } from '../db/company-data';
import { vapidOf } from './config';
import { previewText } from './inbound';
import { type PushNotice, sendPush } from './send';
import { deleteGoneSubscription, validSubscriptions } from './subscriptions';

export interface MentionPush {
  companyId: string;
  personId: string;
  personName: string;
  /** The mentioned users (never the author). */
  userIds: readonly string[];
  /** The author, as the note names them. */
  byName: string;
  /** The note as people read it: mentions rendered as "@Name". */
  text: string;
}

/** A day: a mention still matters when a phone that was off wakes up the next morning. */
const TTL_SECONDS = 24 * 60 * 60;

export const mentionTag = (personId: string): string => `mention-${personId}`;

/** How many pushes were accepted by a push service. */
export async function pushMention(env: Env, input: MentionPush): Promise<number> {
  const vapid = vapidOf(env);
  if (!vapid || input.userIds.length === 0) return 0;
  const targets = (await validSubscriptions(env, input.companyId)).filter((s) => input.userIds.includes(s.userId));
  // Its own tag, not the conversation's: a later message from the person must not replace the mention unseen.
  const notice: PushNotice = {
    title: input.personName,
    body: previewText(`${input.byName} mentioned you: ${input.text}`),
    tag: mentionTag(input.personId),
    url: `/c/${input.personId}`,
  };
  const outcomes = await Promise.all(
    targets.map(async (t) => {
      const outcome = await sendPush(env, vapid, t, notice, { ttl: TTL_SECONDS, urgency: 'high' }).catch(
        (err: unknown) => {
          console.warn('mention push error', err instanceof Error ? err.message : String(err));
          return 'failed' as const;
        },
      );
      if (outcome === 'gone' || outcome === 'refused')
        await deleteGoneSubscription(companyDb(env, input.companyId), t.id);
      return outcome;
    }),
  );
  return outcomes.filter((o) => o === 'sent').length;
}
