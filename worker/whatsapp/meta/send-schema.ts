import { z } from 'zod';
import { CAPTION_MAX } from '#common/media';
import { interactiveSchema } from './interactive-schema';

// Meta's send API on the wire (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages).
// The graph client builds these bodies and the simulator validates them with the same schemas, so the two can
// never drift apart. Request bodies are strict: a field we misspell must fail in tests, not be silently
// ignored by Meta. Answers are loose: Meta adds fields without notice.

/** Meta rejects longer text bodies with (#100) Invalid parameter. */
export const TEXT_BODY_MAX = 4096;

const whatsapp = z.literal('whatsapp');
/** WhatsApp ids are E.164 digits without the plus; Meta also accepts a leading plus on `to`. */
const recipient = z.string().regex(/^\+?\d{6,15}$/);
/** Meta caps biz_opaque_callback_data at 512 characters. */
const callbackData = z.string().max(512).optional();

export const textSendSchema = z.strictObject({
  messaging_product: whatsapp,
  recipient_type: z.literal('individual').optional(),
  to: recipient,
  type: z.literal('text'),
  text: z.strictObject({ body: z.string().min(1).max(TEXT_BODY_MAX), preview_url: z.boolean().optional() }),
  context: z.strictObject({ message_id: z.string() }).optional(),
  biz_opaque_callback_data: callbackData,
});
export type TextSendBody = z.infer<typeof textSendSchema>;

const textParameter = z.strictObject({
  type: z.literal('text'),
  text: z.string().min(1),
  /** Named parameters (parameter_format NAMED) carry their name. */
  parameter_name: z.string().optional(),
});

/**
 * A photo, video or document header's parameter: `{ type: "image", image: { id | link } }`; a document may name
 * its file. https://developers.facebook.com/docs/whatsapp/cloud-api/guides/send-message-templates#media-based-message-templates
 */
const headerSource = { id: z.string().min(1).optional(), link: z.string().url().optional() };
const oneHeaderSource = (m: { id?: string; link?: string }) => (m.id === undefined) !== (m.link === undefined);
const headerFile = z.strictObject(headerSource).refine(oneHeaderSource, 'exactly one of id or link');
const mediaParameter = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('image'), image: headerFile }),
  z.strictObject({ type: z.literal('video'), video: headerFile }),
  z.strictObject({
    type: z.literal('document'),
    document: z
      .strictObject({ ...headerSource, filename: z.string().min(1).optional() })
      .refine(oneHeaderSource, 'exactly one of id or link'),
  }),
]);

export const templateSendSchema = z.strictObject({
  messaging_product: whatsapp,
  recipient_type: z.literal('individual').optional(),
  to: recipient,
  type: z.literal('template'),
  template: z.strictObject({
    name: z.string().regex(/^[a-z0-9_]+$/),
    language: z.strictObject({ code: z.string().min(2), policy: z.literal('deterministic').optional() }),
    components: z
      .array(
        z.strictObject({
          type: z.enum(['header', 'body', 'button']),
          sub_type: z.string().optional(),
          index: z.union([z.string(), z.number()]).optional(),
          parameters: z.array(z.union([textParameter, mediaParameter])).min(1),
        }),
      )
      .optional(),
  }),
  context: z.strictObject({ message_id: z.string() }).optional(),
  biz_opaque_callback_data: callbackData,
});
export type TemplateSendBody = z.infer<typeof templateSendSchema>;

/**
 * A media message: `{ type: "image", image: { id | link, caption? } }`; a document also takes `filename`.
 * Meta allows no caption on audio or stickers, and a file name only on documents.
 */
const mediaSource = {
  id: z.string().min(1).optional(),
  link: z.string().url().optional(),
};
const oneSource = (m: { id?: string; link?: string }) => (m.id === undefined) !== (m.link === undefined);
const captioned = z
  .strictObject({ ...mediaSource, caption: z.string().min(1).max(CAPTION_MAX).optional() })
  .refine(oneSource, 'exactly one of id or link');
const bare = z.strictObject(mediaSource).refine(oneSource, 'exactly one of id or link');
const documentObject = z
  .strictObject({
    ...mediaSource,
    caption: z.string().min(1).max(CAPTION_MAX).optional(),
    filename: z.string().min(1).optional(),
  })
  .refine(oneSource, 'exactly one of id or link');

const mediaEnvelope = {
  messaging_product: whatsapp,
  recipient_type: z.literal('individual').optional(),
  to: recipient,
  context: z.strictObject({ message_id: z.string() }).optional(),
  biz_opaque_callback_data: callbackData,
};

export const mediaSendSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...mediaEnvelope, type: z.literal('image'), image: captioned }),
  z.strictObject({ ...mediaEnvelope, type: z.literal('video'), video: captioned }),
  z.strictObject({ ...mediaEnvelope, type: z.literal('document'), document: documentObject }),
  z.strictObject({ ...mediaEnvelope, type: z.literal('audio'), audio: bare }),
  z.strictObject({ ...mediaEnvelope, type: z.literal('sticker'), sticker: bare }),
]);
export type MediaSendBody = z.infer<typeof mediaSendSchema>;
export const MEDIA_SEND_TYPES = ['image', 'video', 'document', 'audio', 'sticker'] as const;

/** `POST /{phone-number-id}/media` answers the new media id. */
export const uploadAnswerSchema = z.looseObject({ id: z.string().min(1) });

/** Reply buttons, a list or a link button (interactive-schema.ts); free-form, so only inside the window. */
export const interactiveSendSchema = z.strictObject({
  messaging_product: whatsapp,
  recipient_type: z.literal('individual').optional(),
  to: recipient,
  type: z.literal('interactive'),
  interactive: interactiveSchema,
  context: z.strictObject({ message_id: z.string() }).optional(),
  biz_opaque_callback_data: callbackData,
});
export type InteractiveSendBody = z.infer<typeof interactiveSendSchema>;

/** Every message body we send (what the simulator records). */
export type SendBody = TextSendBody | TemplateSendBody | InteractiveSendBody | MediaSendBody;

export const markReadSchema = z.strictObject({
  messaging_product: whatsapp,
  status: z.literal('read'),
  message_id: z.string().min(1),
});
export type MarkReadBody = z.infer<typeof markReadSchema>;

/** Everything `POST /{phone-number-id}/messages` accepts from us. */
export const messagesRequestSchema = z.union([
  textSendSchema,
  templateSendSchema,
  interactiveSendSchema,
  mediaSendSchema,
  markReadSchema,
]);
export type MessagesRequest = z.infer<typeof messagesRequestSchema>;

export const sendAnswerSchema = z.looseObject({
  messaging_product: whatsapp,
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string() })),
  messages: z.array(z.looseObject({ id: z.string().min(1), message_status: z.string().optional() })).min(1),
});
export type SendAnswer = z.infer<typeof sendAnswerSchema>;

export const markReadAnswerSchema = z.looseObject({ success: z.boolean() });

/** Graph API errors: `{ error: { message, type, code, error_subcode?, error_data: { messaging_product, details }, fbtrace_id } }`. */
export const graphErrorBodySchema = z.looseObject({
  error: z.looseObject({
    message: z.string(),
    type: z.string().optional(),
    code: z.number().int(),
    error_subcode: z.number().int().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
    error_data: z.looseObject({ messaging_product: z.string().optional(), details: z.string().optional() }).optional(),
    fbtrace_id: z.string().optional(),
  }),
});
export type GraphErrorBody = z.infer<typeof graphErrorBodySchema>;

/** `GET /{media-id}`: where to download the file (a short-lived URL that needs the same bearer token). */
export const mediaInfoSchema = z.looseObject({
  url: z.string().url(),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
  file_size: z.union([z.number(), z.string()]).optional(),
  id: z.string().optional(),
});
