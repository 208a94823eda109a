// Quick replies: saved answers a staff member inserts with "/" in the composer. Bodies are strict, like every
// other write: a misspelt field is a 422, never silently dropped.
import { z } from '@hono/zod-openapi';
import { FILENAME_MAX, SENDABLE_MEDIA_TYPES } from '#common/media';

/** What follows "/" in the composer: lower-case letters, digits, "-" and "_", so it is easy to type on a phone. */
const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, "-" or "_", up to 32, without the "/"')
  .openapi({ example: 'prices' });

// WhatsApp's text body limit is 4,096 characters; a quick reply is sent as free text.
const text = z.string().trim().min(1).max(4096).openapi({ example: 'Our memberships start at £24.99 a month.' });

/**
 * A file sent with the text (the timetable): an upload's id (POST /api/v1/whatsapp/media; Meta keeps it 30 days)
 * or a public link, which never expires. The text goes as its caption where Meta allows one.
 */
const attachmentInput = z
  .object({
    type: z.enum(SENDABLE_MEDIA_TYPES),
    id: z.string().min(1).max(100).optional(),
    link: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    filename: z.string().trim().min(1).max(FILENAME_MAX).optional().openapi({ description: 'Documents only' }),
  })
  .strict()
  .openapi('QuickReplyAttachmentInput');

export const quickReplyCreateSchema = z
  .object({ shortcut, text, attachment: attachmentInput.optional() })
  .strict()
  .openapi('QuickReplyCreate');

export const quickReplyUpdateSchema = z
  .object({
    shortcut: shortcut.optional(),
    text: text.optional(),
    attachment: z.union([attachmentInput, z.null()]).optional(),
  })
  .strict()
  .refine(
    (v) => v.shortcut !== undefined || v.text !== undefined || v.attachment !== undefined,
    'send shortcut, text, attachment or several (attachment null removes it)',
  )
  .openapi('QuickReplyUpdate');

export const quickReplyAttachmentSchema = z
  .object({
    type: z.enum(SENDABLE_MEDIA_TYPES),
    id: z.string().nullable(),
    link: z.string().nullable(),
    filename: z.string().nullable(),
    mime_type: z.string().nullable(),
    size: z.number().int().nullable(),
    expires_at: z
      .string()
      .nullable()
      .openapi({ description: 'When Meta forgets an uploaded file (30 days after the upload); null for a link' }),
    url: z.string().openapi({ description: 'Where the app shows it: the media proxy, or the link' }),
  })
  .openapi('QuickReplyAttachment');

export const quickReplySchema = z
  .object({
    id: z.string(),
    shortcut: z.string(),
    text: z.string(),
    attachment: quickReplyAttachmentSchema.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('QuickReply');

export const quickReplyListSchema = z.object({ collection: z.array(quickReplySchema) }).openapi('QuickReplyList');

export const quickReplyParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'qrp_0123456789abcdefghjk' }),
});

export type QuickReplyCreate = z.infer<typeof quickReplyCreateSchema>;
export type QuickReplyUpdate = z.infer<typeof quickReplyUpdateSchema>;
export type QuickReplyJson = z.infer<typeof quickReplySchema>;
export type QuickReplyAttachmentInput = z.infer<typeof attachmentInput>;
