import type { InboundMessage } from './meta/webhook-schema';

export interface InboundNote {
  messageType: string;
  /** What a person reads in the inbox: the text, a caption, the tapped button, the reaction emoji. */
  body: string | null;
  /** The type-specific object as Meta sent it (media id and mime type, location, contacts, reply ids). */
  content: Record<string, unknown> | null;
  contextWamid: string | null;
  /** Meta's referral object as sent, on a message from an ad (worker/ads/referral.ts reads it). */
  referral: Record<string, unknown> | null;
}

const objectOrNull = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

export function inboundNote(m: InboundMessage): InboundNote {
  const contextWamid = m.context?.id ?? null;
  const base = { messageType: m.type, contextWamid, referral: objectOrNull(m.referral) };
  switch (m.type) {
    case 'text':
      return { ...base, body: m.text?.body ?? null, content: null };
    case 'location':
      return { ...base, body: m.location?.name ?? m.location?.address ?? null, content: m.location ?? null };
    case 'contacts':
      return { ...base, body: null, content: { contacts: m.contacts ?? [] } };
    case 'reaction':
      return { ...base, body: m.reaction?.emoji ?? null, content: m.reaction ?? null };
    case 'button':
      return { ...base, body: m.button?.text ?? null, content: m.button ?? null };
    case 'interactive': {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      return { ...base, body: reply?.title ?? null, content: m.interactive ?? null };
    }
    default: {
      const mediaType = MEDIA_TYPES.find((t) => t === m.type);
      if (mediaType) {
        const media = m[mediaType];
        return { ...base, body: media?.caption ?? null, content: media ?? null };
      }
      // `unsupported` and types Meta adds later: keep whatever came so nothing is lost.
      const { from: _from, id: _id, timestamp: _ts, type: _type, context: _ctx, referral: _ref, ...rest } = m;
      return { ...base, body: null, content: rest };
    }
  }
}

/** Text the person typed, for STOP / START (a tapped quick reply counts as typed text too). */
export function typedText(m: InboundMessage): string | undefined {
  if (m.type === 'text') return m.text?.body;
  if (m.type === 'button') return m.button?.text;
  return undefined;
}

/** "Sheena Nelson" -> first and last name for a person made from an unknown number. */
export function namesFromProfile(
  profileName: string | undefined,
  waId: string,
): { first: string; last: string | null } {
  const parts = profileName?.trim().split(/\s+/).filter(Boolean) ?? [];
  const [first, ...rest] = parts;
  if (!first) return { first: `+${waId}`, last: null };
  return { first, last: rest.length ? rest.join(' ') : null };
}
