// Quick replies: saved answers a staff member inserts with "/" in the composer. Bodies are strict, like every
// other write: a misspelt field is a 422, never silently dropped.
import { z } from '@hono/zod-openapi';
import { FILENAME_MAX, SENDABLE_MEDIA_TYPES } from '#common/media';
import { interactiveSchema } from '../whatsapp/meta/interactive-schema';

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

// Reply buttons or a list to ask with ("Book a tour: Mon / Tue / Wed"), sent inside the window like the text; its
// body text is the quick reply's text. null takes them off.
const interactive = interactiveSchema.nullable().openapi({
  description: "Meta's interactive object to ask with (its body.text is the quick reply's text); null: plain text",
});

/** An interactive quick reply asks with its own text: a body that says something else is a mistake. */
const bodyIsText = (v: { text?: string; interactive?: { body: { text: string } } | null }) =>
  !v.interactive || v.text === undefined || v.interactive.body.text === v.text;
const BODY_IS_TEXT = { message: "must be the quick reply's text", path: ['interactive', 'body', 'text'] };

/** Buttons or a list, or a file: a quick reply asks with one or sends the other, never both. */
const notBoth = (v: { interactive?: unknown; attachment?: unknown }) => !v.interactive || !v.attachment;
const NOT_BOTH = { message: 'a quick reply with buttons or a list sends no file', path: ['attachment'] };

export const quickReplyCreateSchema = z
  .object({ shortcut, text, interactive: interactive.optional(), attachment: attachmentInput.optional() })
  .strict()
  .refine(bodyIsText, BODY_IS_TEXT)
  .refine(notBoth, NOT_BOTH)
  .openapi('QuickReplyCreate');

export const quickReplyUpdateSchema = z
  .object({
    shortcut: shortcut.optional(),
    text: text.optional(),
    interactive: interactive.optional(),
    attachment: z.union([attachmentInput, z.null()]).optional(),
  })
  .strict()
  .refine(
    (v) => Object.values(v).some((x) => x !== undefined),
    'send shortcut, text, interactive, attachment or several (null removes interactive or attachment)',
  )
  .refine(bodyIsText, BODY_IS_TEXT)
  .refine(notBoth, NOT_BOTH)
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
    interactive: interactiveSchema.nullable(),
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
