// Meta's `referral` object: what a click-to-WhatsApp ad (or a boosted post) puts on the message it starts
// (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components, messages[].referral). Read
// leniently: Meta adds fields without notice and a field of an unexpected type must never drop the message, so
// every known field is kept when it is a string and is null otherwise, and the note keeps the object as sent.
import { z } from '@hono/zod-openapi';
import type { AdReferral, StoredLeadSource } from '../db/column-types';

/** Meta's strings are short; anything longer is not Meta's and is cut, never refused. */
const MAX_FIELD = 2000;

const FIELDS = [
  'source_url',
  'source_id',
  'source_type',
  'headline',
  'body',
  'media_type',
  'image_url',
  'video_url',
  'thumbnail_url',
  'ctwa_clid',
] as const satisfies readonly Exclude<keyof AdReferral, 'welcome_message'>[];

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v.slice(0, MAX_FIELD) : null);

/** The known fields of a referral as Meta sent it; null when there is no referral object at all. */
export function referralOf(raw: unknown): AdReferral | null {
  const r = record(raw);
  if (!r) return null;
  const fields = Object.fromEntries(FIELDS.map((f) => [f, str(r[f])])) as Omit<AdReferral, 'welcome_message'>;
  const welcome = str(record(r.welcome_message)?.text);
  return { ...fields, welcome_message: welcome === null ? null : { text: welcome } };
}

/**
 * The key people are filtered and counted by (people.ad_source_id): Meta's ad or post id. A referral without
 * one (never seen from Meta) still marks the person as from an ad.
 */
export const adKeyOf = (r: AdReferral): string => r.source_id ?? 'unknown';

const nullableText = z.string().nullable();

export const referralSchema = z
  .object({
    source_url: nullableText.openapi({ description: 'The ad or post the person tapped' }),
    source_id: nullableText.openapi({ description: "Meta's id of the ad or post" }),
    source_type: nullableText.openapi({ description: '`ad` or `post`' }),
    headline: nullableText,
    body: nullableText,
    media_type: nullableText.openapi({ description: '`image` or `video`' }),
    image_url: nullableText,
    video_url: nullableText,
    thumbnail_url: nullableText,
    ctwa_clid: nullableText.openapi({ description: 'The click id Meta attributes conversions by' }),
    welcome_message: z.object({ text: z.string() }).nullable(),
  })
  // Not a named component: a nullable reference comes out of openapi-typescript as an impossible intersection.
  .openapi({ description: "Meta's referral object of a message sent from a click-to-WhatsApp ad" });

export const leadSourceSchema = referralSchema
  .extend({
    at: z.string().openapi({ description: "Meta's time of the message that came from the ad" }),
    note_id: z.string().openapi({ description: 'That message (a history note id)' }),
  })
  .openapi({ description: 'An ad the person wrote from: its referral, when, and that message' });

export type ReferralJson = z.infer<typeof referralSchema>;
export type LeadSourceJson = z.infer<typeof leadSourceSchema>;

/** A stored first or latest ad as the API shows it; anything not of our shape (never written by us) is null. */
export function leadSourceJson(stored: unknown): LeadSourceJson | null {
  const r = record(stored);
  const referral = referralOf(r);
  if (!r || !referral || typeof r.at !== 'number' || typeof r.note_id !== 'string') return null;
  return { ...referral, at: new Date(r.at).toISOString(), note_id: r.note_id };
}

export function storedLeadSource(referral: AdReferral, at: number, noteId: string): StoredLeadSource {
  return { ...referral, at, note_id: noteId };
}
