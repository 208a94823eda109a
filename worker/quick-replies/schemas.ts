// Quick replies: saved answers a staff member inserts with "/" in the composer. Bodies are strict, like every
// other write: a misspelt field is a 422, never silently dropped.
import { z } from '@hono/zod-openapi';

/** What follows "/" in the composer: lower-case letters, digits, "-" and "_", so it is easy to type on a phone. */
const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'lower-case letters, digits, "-" or "_", up to 32, without the "/"')
  .openapi({ example: 'prices' });

// WhatsApp's text body limit is 4,096 characters; a quick reply is sent as free text.
const text = z.string().trim().min(1).max(4096).openapi({ example: 'Our memberships start at £24.99 a month.' });

export const quickReplyCreateSchema = z.object({ shortcut, text }).strict().openapi('QuickReplyCreate');

export const quickReplyUpdateSchema = z
  .object({ shortcut: shortcut.optional(), text: text.optional() })
  .strict()
  .refine((v) => v.shortcut !== undefined || v.text !== undefined, 'send shortcut, text or both')
  .openapi('QuickReplyUpdate');

export const quickReplySchema = z
  .object({
    id: z.string(),
    shortcut: z.string(),
    text: z.string(),
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
