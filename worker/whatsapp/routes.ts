import { createRoute, z } from '@hono/zod-openapi';
import { CAPTION_MAX, FILENAME_MAX, SENDABLE_MEDIA_TYPES } from '#common/media';
import { requireCompanyAuth } from '../auth/middleware';
import { historyNoteSchema, serializeNote } from '../history/serialize';
import { fieldErrorHook, newRouter } from '../http';
import { errorResponses } from '../openapi-responses';
import { interactiveSchema } from './meta/interactive-schema';
import { sendWhatsapp } from './send-service';
import { headerMediaInputSchema } from './templates/schemas';

export const whatsappRoutes = newRouter();
whatsappRoutes.use('/:id/whatsapp/*', requireCompanyAuth);

const sendBody = z
  .object({
    sale_type: z.enum(['membership', 'secondary']).optional().openapi({
      description: "Which sale this message serves (counters are kept per sale type); defaults to the person's own.",
    }),
    // Meta caps text bodies at 4,096 characters.
    text: z.string().trim().min(1).max(4096).optional(),
    template: z
      .object({
        name: z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and underscores'),
        language: z.string().min(2).max(15).openapi({ example: 'en_GB' }),
        params: z
          .union([
            z.array(z.string().min(1).max(1024)).max(100),
            z.record(z.string().min(1).max(512), z.string().min(1).max(1024)),
          ])
          .optional()
          .openapi({
            description:
              'Values in variable order (`{{1}}`, `{{2}}`...), or an object by variable name (NAMED templates, or ' +
              'positional numbers). Leave out any variable the template maps (its `variable_map`, or a NAMED variable named for a person field such as `first_name`).',
          }),
        header_media: headerMediaInputSchema.optional().openapi({
          description:
            "A photo, video or document header's file for this send (an upload's `id`, or a `link`); left out, the " +
            "template's default `header_media`. A media-header template with neither answers 422 `template_header_media`.",
        }),
      })
      .strict()
      .optional(),
    interactive: interactiveSchema.optional(),
    media: z
      .object({
        type: z.enum(SENDABLE_MEDIA_TYPES),
        id: z.string().min(1).max(100).optional().openapi({ description: 'From POST /api/v1/whatsapp/media' }),
        link: z
          .url({ protocol: /^https?$/ })
          .max(2000)
          .optional()
          .openapi({ description: 'A public URL Meta fetches the file from' }),
        caption: z.string().trim().min(1).max(CAPTION_MAX).optional().openapi({ description: 'Not for audio' }),
        filename: z.string().trim().min(1).max(FILENAME_MAX).optional().openapi({ description: 'Documents only' }),
      })
      .strict()
      .optional()
      .openapi({
        description:
          "A photo, document, video or voice note, by an upload's `id` or a `link`. Meta's rules answer 422 " +
          "`invalid_media`: no caption on audio, a file name only on a document, an id of this company's uploads.",
      }),
  })
  .strict()
  .refine((b) => [b.text, b.template, b.interactive, b.media].filter((v) => v !== undefined).length === 1, {
    message: 'Send exactly one of `text`, `template`, `interactive` or `media`',
  })
  .openapi('WhatsappSend');

const sendRoute = createRoute({
  method: 'post',
  path: '/{id}/whatsapp/messages',
  operationId: 'whatsappSend',
  summary: 'Send a WhatsApp message to a person',
  description:
    "Free text only inside the 24-hour window opened by the person's last message; outside it, an approved template. " +
    "Reply buttons, a list or a link button (`interactive`, Meta's object) are free-form too: inside the window only " +
    "(else 409 `window_closed`); a rule of Meta's broken answers 422 `invalid_interactive` naming the path at fault. " +
    'A photo, document, video or voice note (`media`) is free-form as well (422 `invalid_media` for a broken rule). ' +
    'The message is recorded (`queued`) before Meta is called; throttling and 5xx are retried in order by the ' +
    'conversation. With an `Idempotency-Key`, the same key and body within 24 hours replay the first answer.',
  request: {
    params: z.object({ id: z.string() }),
    headers: z.object({ 'idempotency-key': z.string().optional() }),
    body: { content: { 'application/json': { schema: sendBody } }, required: true },
  },
  responses: {
    202: {
      description: 'Accepted: the message, as it stands',
      content: { 'application/json': { schema: historyNoteSchema } },
    },
    ...errorResponses(401, 403, 404, 409, 422),
  },
});

whatsappRoutes.openapi(
  sendRoute,
  async (c) => {
    const { id } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    const answer = await sendWhatsapp(c.env, c.get('auth'), id, c.req.valid('json'), key);
    if (answer.replayBody !== undefined) {
      c.header('Idempotent-Replayed', 'true');
      return c.json(historyNoteSchema.parse(JSON.parse(answer.replayBody)), 202);
    }
    if (!answer.note) throw new Error('send answered without a message');
    return c.json(serializeNote(answer.note), 202);
  },
  fieldErrorHook('interactive', 'invalid_interactive'),
);
