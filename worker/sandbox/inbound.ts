import { digitsOf, type InboundInput, inboundInputSchema } from './controls';
import { newWamid } from './ids';
import { type Envelope, messagesEnvelope, type NumberInfo } from './payloads';

// An inbound message webhook as Meta builds it, for every message type it documents:
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples

export const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);

export const MEDIA_MIME: Record<string, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};

export interface InboundBuild {
  wamid: string;
  payload: Envelope;
}

/** `media` is the media object the simulator registered when a media message came without `content`. */
export function buildInbound(
  number: NumberInfo,
  raw: InboundInput,
  now: number,
  media?: { id: string; mime_type: string; sha256: string },
): InboundBuild {
  const input = inboundInputSchema.parse(raw);
  const from = digitsOf(input.from);
  const type = input.type ?? 'text';
  const wamid = input.id ?? newWamid();
  let body: Record<string, unknown> | undefined = input.content;
  if (!body && type === 'text') body = { body: input.text ?? '' };
  if (!body && media) body = { ...media, ...(input.text ? { caption: input.text } : {}) };
  const message: Record<string, unknown> = {
    from,
    id: wamid,
    timestamp: String(input.timestampSeconds ?? Math.floor(now / 1000)),
    type,
    ...(input.context ? { context: input.context } : {}),
    ...(input.referral ? { referral: input.referral } : {}),
    ...(body && type !== 'unsupported' ? { [type]: body } : {}),
    // Meta reports message types it cannot show the business as `unsupported` with error 131051.
    ...(type === 'unsupported'
      ? {
          errors: [
            {
              code: 131051,
              title: 'Message type unknown',
              message: 'Message type unknown',
              error_data: { details: 'Message type is currently not supported.' },
            },
          ],
        }
      : {}),
  };
  return {
    wamid,
    payload: messagesEnvelope(number, {
      contacts: [{ profile: { name: input.name ?? 'Sandbox Person' }, wa_id: from }],
      messages: [message],
    }),
  };
}
