// Called by the conversation object once an inbound message is stored (and was not a redelivery). Hands the
// push to the company inbox object, which knows whose app is open and sends in the background, so neither the
// conversation nor Meta's webhook waits on a push service. Best effort: it never fails its caller.

import { inboxStub } from '../realtime/company-inbox';
import type { InboundNote } from '../whatsapp/inbound-content';

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

/** What the notification says about the message: its text or caption, else what kind of message it is. */
export function inboundPreview(note: Pick<InboundNote, 'body' | 'messageType'>): string {
  const body = note.body?.trim();
  const label = MEDIA_LABELS[note.messageType];
  if (body)
    return label && note.messageType !== 'reaction' && note.messageType !== 'location' ? `${label}: ${body}` : body;
  return label ?? 'New message';
}

/** A new inbound message: the live event and the push to closed apps, in one call to the inbox object. */
export async function notifyInbound(
  env: Env,
  companyId: string,
  personId: string,
  messageId: string,
  note: Pick<InboundNote, 'body' | 'messageType'>,
): Promise<void> {
  try {
    await inboxStub(env, companyId).inbound(
      { type: 'message', personId, messageId },
      { companyId, personId, messageId, preview: inboundPreview(note) },
    );
  } catch (err) {
    console.warn('inbox notify failed', companyId, err instanceof Error ? err.message : String(err));
  }
}
