// Stored subscriptions. The endpoint is the device: subscribing again from the same browser (a new login on a
// shared front-desk phone) moves the row to whoever is logged in there now, rather than pushing to both. A
// session is one device too: its new endpoint replaces its previous one, so one login can never make one
// inbound message fan out into many pushes.
import { and, eq, ne } from 'drizzle-orm';
import type { Role } from '../auth/actor';
import { type Db, platformDatabase } from '../db/client';
import { companyDatabase } from '../db/company-data';
import { pushSubscriptions } from '../db/schema';
import { newId } from '../ids';
import type { PushSubscriptionInput } from './schemas';

export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

/** A subscription with what its user may see (#common/scope): a push names a person, so it goes only to them. */
export interface PushTarget extends PushSubscriptionRow {
  role: Role;
  clubIds: string[] | null;
}

const clubIdsOf = (json: string | null): string[] | null => {
  const parsed: unknown = json === null ? null : JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : null;
};

export interface Subscriber {
  companyId: string;
  userId: string;
  /** The session that subscribed: logging out (or its expiry) stops the pushes to this device. */
  sessionHash: string;
}

export async function saveSubscription(
  db: Db,
  who: Subscriber,
  input: PushSubscriptionInput,
  userAgent: string | null,
  now = Date.now(),
): Promise<PushSubscriptionRow> {
  const values = {
    companyId: who.companyId,
    userId: who.userId,
    sessionHash: who.sessionHash,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    userAgent: userAgent?.slice(0, 500) ?? null,
    updatedAt: now,
  };
  // One batch (one transaction): concurrent saves from one session serialize, and whichever runs last is the
  // session's only row; no check-then-insert gap in which two could both stay.
  const [, saved] = await db.batch([
    db
      .delete(pushSubscriptions)
      // company_id + user_id walk push_subscriptions_company (a session is one user's); session_hash has no index.
      .where(
        and(
          eq(pushSubscriptions.companyId, who.companyId),
          eq(pushSubscriptions.userId, who.userId),
          eq(pushSubscriptions.sessionHash, who.sessionHash),
          ne(pushSubscriptions.endpoint, input.endpoint),
        ),
      ),
    db
      .insert(pushSubscriptions)
      .values({ id: newId('psh'), endpoint: input.endpoint, ...values, createdAt: now })
      .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values })
      .returning(),
  ]);
  const row = saved[0];
  if (!row) throw new Error('push subscription upsert returned no row');
  return row;
}

/** Only the staff member's own subscription goes; unsubscribing twice is not an error. */
export async function deleteSubscription(db: Db, who: Omit<Subscriber, 'sessionHash'>, endpoint: string) {
  await db
    .delete(pushSubscriptions)
    .where(
      and(
        eq(pushSubscriptions.endpoint, endpoint),
        eq(pushSubscriptions.companyId, who.companyId),
        eq(pushSubscriptions.userId, who.userId),
      ),
    );
}

/**
 * A company's subscriptions whose session is still valid (not logged out, not expired, user active and still in
 * this company), with their user's role and clubs. The inbox object leaves out the staff whose app is open (they
 * see the message live); inbound.ts, those who may not see the person.
 */
export async function validSubscriptions(
  env: Pick<Env, 'DB'>,
  companyId: string,
  now = Date.now(),
): Promise<PushTarget[]> {
  const { results } = await companyDatabase(env, companyId)
    .prepare(
      `SELECT s.id, s.company_id AS companyId, s.user_id AS userId, s.session_hash AS sessionHash, s.endpoint,
            s.p256dh, s.auth, s.user_agent AS userAgent, s.created_at AS createdAt, s.updated_at AS updatedAt,
            u.role, u.club_ids AS clubIdsJson
       FROM push_subscriptions s
       JOIN sessions se ON se.token_hash = s.session_hash AND se.expires_at > ?2
       JOIN users u ON u.id = s.user_id AND u.company_id = s.company_id AND u.deactivated_at IS NULL
      WHERE s.company_id = ?1`,
    )
    .bind(companyId, now)
    .all<PushSubscriptionRow & { role: Role; clubIdsJson: string | null }>();
  return results.map(({ clubIdsJson, ...row }) => ({ ...row, clubIds: clubIdsOf(clubIdsJson) }));
}

/** The push service said the subscription is gone (404/410): it will never accept a push again. */
export async function deleteGoneSubscription(db: Db, id: string): Promise<void> {
  await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
}

/** Daily cron: subscriptions whose session no longer exists (logged out, expired and pruned) are never used again. */
export async function pruneOrphanPushSubscriptions(env: Pick<Env, 'DB'>): Promise<void> {
  // Sessions are the platform's: every company at once while they share one database (per shard, later).
  await platformDatabase(env)
    .prepare('DELETE FROM push_subscriptions WHERE session_hash NOT IN (SELECT token_hash FROM sessions)')
    .run();
}
