// GET /api/v1/people/{id}/ad-thumbnail/{note_id}: the picture of the click-to-WhatsApp ad a message came from
// (thumbnail.ts). The ad itself is in the message's `referral` and the person's `lead_source`.
import { createRoute, z } from '@hono/zod-openapi';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { newRouter } from '../http';
import { errorResponses } from '../openapi-responses';
import { proxyAdThumbnail } from './thumbnail';

export const adRoutes = newRouter();

const id = z.string().min(1).max(64);

adRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/ad-thumbnail/{note_id}',
    operationId: 'adThumbnail',
    summary: 'The picture of the ad a message came from, fetched from Meta',
    description:
      "The message's `referral.thumbnail_url` (else `image_url`), from Meta's CDN only. 404 when the message came " +
      'from no ad, or its ad has no picture.',
    tags: ['Ads'],
    middleware: [requireCompanyAuth, requirePermission('conversations')],
    request: { params: z.object({ id, note_id: id }) },
    responses: {
      200: { description: 'The picture', content: { 'image/*': { schema: z.string().openapi({ format: 'binary' }) } } },
      ...errorResponses(401, 403, 404, 502),
    },
  }),
  async (c) => {
    const { id: personId, note_id: noteId } = c.req.valid('param');
    return proxyAdThumbnail(c.env, c.get('auth'), personId, noteId);
  },
);
