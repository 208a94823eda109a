// Shapes of the notes API (routes.ts):
//
//   POST /api/v1/people/{id}/notes {text}     -> 201 HistoryNote (type 'note', content {mentions: [{id, name}]})
//   GET  /api/v1/people/{id}/mentionable      -> {collection: [{id, name, role}]} users the @ list offers
//
// A mention is written in `text` as the user's id in the token `@[usr_…]` (#common/mentions).
import { z } from '@hono/zod-openapi';
import { NOTE_MAX_CHARS } from '#common/mentions';
import { ROLES } from '../auth/actor';

export const noteCreateSchema = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .max(NOTE_MAX_CHARS)
      .openapi({
        example: 'Called her: coming for a tour on Friday. @[usr_0123456789abcdefghjk] can you show her round?',
        description: `1 to ${NOTE_MAX_CHARS} characters. Mention a user as @[their id]: they must be allowed to see the person.`,
      }),
  })
  .strict()
  .openapi('NoteCreate');

export const mentionableListSchema = z
  .object({
    collection: z.array(z.object({ id: z.string(), name: z.string(), role: z.enum(ROLES) }).openapi('MentionableUser')),
  })
  .openapi('MentionableUserList');
