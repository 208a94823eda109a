// A new inbound message tells the company's staff whose app is closed, by Web Push: the person's name, a
// preview of the text, one notification per conversation. Best effort: it runs after the message is stored,
// off the webhook's path (the company inbox object runs it: it knows whose app is open), and a failure here
// never loses a message. Nothing here knows the inbox object: it is handed who to leave out.
import { and, eq } from 'drizzle-orm';
import { scopeOf, visible } from '#common/scope';
import { companyDb } from '../db/company-data';
import { people } from '../db/schema';
import { vapidOf } from './config';
import { type PushNotice, sendPush } from './send';
import { deleteGoneSubscription, validSubscriptions } from './subscriptions';

export interface InboundPush {
  companyId: string;
  personId: string;
  messageId: string;
  /** What the inbox shows for the message: its text or caption, or a label for media. */
  preview: string;
}

export interface PushReport {
  sent: number;
  gone: number;
  failed: number;
  /** Endpoints that are not a push service (stored before endpoints were checked): deleted, never fetched. */
  refused: number;
  /** Whether the company has any valid subscription at all (open apps included). */
  subscribed: boolean;
}

/** A notification body stays short: lock screens show two lines, and the encrypted payload is capped at 4 KB. */
export const PREVIEW_CHARS = 140;

/** An hour: a phone that is off longer than that does not need a stale "new message" when it wakes. */
const TTL_SECONDS = 60 * 60;

export const conversationTag = (personId: string): string => `conversation-${personId}`;

export function previewText(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}

const MEDIA_LABELS: Record<string, string> = {
  image: 'Photo',
  video: 'Video',
  audio: 'Voice message',
  document: 'Document',
  sticker: 'Sticker',
  location: 'Location',
  contacts: 'Contact card',
  reaction: 'Reaction',
};

/** What the notification says about a stored inbound message: its text or caption, else what kind it is. */
export function inboundPreview(note: { body: string | null; messageType: string }): string {
  const body = note.body?.trim();
  const label = MEDIA_LABELS[note.messageType];
  if (body)
    return label && note.messageType !== 'reaction' && note.messageType !== 'location' ? `${label}: ${body}` : body;
  return label ?? 'New message';
}

/** The person as the notification names them, and what decides who may see them (#common/scope). */
async function personOf(env: Env, companyId: string, personId: string) {
  const row = await companyDb(env, companyId)
    .select({
      first: people.firstName,
      last: people.lastName,
      phone: people.phone,
      clubId: people.clubId,
      ownerUserId: people.ownerUserId,
      status: people.status,
    })
    .from(people)
    .where(and(eq(people.companyId, companyId), eq(people.id, personId)))
    .get();
  if (!row) return null;
  return { ...row, name: [row.first, row.last].filter(Boolean).join(' ') || row.phone || 'New WhatsApp message' };
}

export async function pushInbound(
  env: Env,
  input: InboundPush,
  connectedUserIds: readonly string[],
): Promise<PushReport> {
  const report: PushReport = { sent: 0, gone: 0, failed: 0, refused: 0, subscribed: false };
  const vapid = vapidOf(env);
  if (!vapid) return report;
  const subscriptions = await validSubscriptions(env, input.companyId);
  report.subscribed = subscriptions.length > 0;
  const open = subscriptions.filter((s) => !connectedUserIds.includes(s.userId));
  if (open.length === 0) return report;
  const person = await personOf(env, input.companyId, input.personId);
  // A notification shows the person's name and words: only to staff allowed to see them (their clubs; for a
  // salesperson, their own people and unowned leads). Someone gone meanwhile: nobody.
  if (!person) return report;
  const targets = open.filter((s) => visible(scopeOf({ id: s.userId, role: s.role, clubIds: s.clubIds }), person));
  if (targets.length === 0) return report;
  const notice: PushNotice = {
    title: person.name,
    body: previewText(input.preview),
    tag: conversationTag(input.personId),
    url: `/c/${input.personId}`,
  };
  // The topic is the person id (base64url characters, under 32): a push still undelivered is replaced.
  const options = {
    ttl: TTL_SECONDS,
    urgency: 'high' as const,
    topic: input.personId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32),
  };
  const outcomes = await Promise.all(
    targets.map(async (t) => {
      const outcome = await sendPush(env, vapid, t, notice, options).catch((err: unknown) => {
        console.warn('push error', err instanceof Error ? err.message : String(err));
        return 'failed' as const;
      });
      if (outcome === 'gone' || outcome === 'refused')
        await deleteGoneSubscription(companyDb(env, input.companyId), t.id);
      return outcome;
    }),
  );
  for (const o of outcomes) report[o]++;
  if (report.gone + report.refused === subscriptions.length) report.subscribed = false;
  return report;
}
