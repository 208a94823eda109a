// POST /api/v1/whatsapp/media: upload a photo, document, video or voice note to Meta, to send by its id
// (POST /api/v1/people/{id}/whatsapp/messages {"media": {"type", "id"}}).
import { createRoute, z } from '@hono/zod-openapi';
import { MEDIA_RULES, MEDIA_TYPES } from '#common/media';
import { requireCompanyAuthForUpload } from '../../auth/middleware';
import { requirePermission } from '../../auth/permissions';
import { ApiError } from '../../errors';
import { newRouter } from '../../http';
import { errorResponses, jsonBody } from '../../openapi-responses';
import { boundaryOf, MultipartError, openFilePart } from './multipart-file';
import { uploadMedia } from './upload';

export const mediaRoutes = newRouter();

export const mediaUploadSchema = z
  .object({
    id: z.string().openapi({ description: "Meta's media id: send it within 30 days (Meta then forgets it)" }),
    type: z.enum(MEDIA_TYPES).openapi({ description: 'The kind of message it can be sent as' }),
    mime_type: z.string().openapi({ example: 'image/jpeg' }),
    size: z.number().int().openapi({ description: 'Bytes' }),
    filename: z.string().nullable(),
  })
  .openapi('MediaUpload');

const limits = MEDIA_TYPES.map((t) => `${t}: ${MEDIA_RULES[t].words}`).join('; ');

const uploadRoute = createRoute({
  method: 'post',
  path: '/',
  operationId: 'mediaUpload',
  summary: 'Upload a file to send on WhatsApp',
  description:
    `Multipart, one field \`file\` (its part's Content-Type is the file's type), sent last. Meta's limits: ${limits}. ` +
    'A file of another type or size answers 422 `invalid_media` and nothing reaches Meta. The file streams to ' +
    "Meta's upload for the number it will go from: the `person_id`'s sending number when given, else the " +
    "company's first.",
  tags: ['WhatsApp'],
  request: {
    query: z.object({ person_id: z.string().optional() }),
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ file: z.string().openapi({ type: 'string', format: 'binary' }) }),
        },
      },
    },
  },
  responses: {
    201: jsonBody(mediaUploadSchema, 'Uploaded to Meta'),
    ...errorResponses(400, 401, 403, 404, 415, 422, 502),
  },
});

// Documented from the route above, served by a plain handler: the typed handler's validator would read the
// whole form into memory (request.formData()), and a 100 MB document must stream (multipart-file.ts).
mediaRoutes.openAPIRegistry.registerPath(uploadRoute);
mediaRoutes.post('/', requireCompanyAuthForUpload, requirePermission('conversations'), async (c) => {
  const personId = c.req.query('person_id');
  if (!boundaryOf(c.req.header('Content-Type')))
    throw new ApiError(415, 'unsupported_media_type', 'Send the file as multipart/form-data, in a field named "file"');
  let file: Awaited<ReturnType<typeof openFilePart>>;
  try {
    file = await openFilePart(c.req.raw, 'file');
  } catch (err) {
    if (!(err instanceof MultipartError)) throw err;
    throw err.message.startsWith('No file')
      ? new ApiError(422, 'invalid_media', err.message)
      : new ApiError(400, 'invalid_request', err.message);
  }
  const row = await uploadMedia(c.env, c.get('auth'), file, personId);
  return c.json(
    mediaUploadSchema.parse({
      id: row.id,
      type: row.type,
      mime_type: row.mimeType,
      size: row.size,
      filename: row.filename,
    }),
    201,
  );
});
