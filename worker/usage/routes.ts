// GET /api/v1/whatsapp/usage: what Meta will bill, per day and category, in the company's timezone.
import { createRoute, z } from '@hono/zod-openapi';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { clubFilter } from '../people/list-filters';
import { usageByCategory } from './service';

export const usageRoutes = newRouter();
// Billing is a manager's concern, like templates.
usageRoutes.use('*', requireCompanyAuth, requirePermission('templates'));

const counts = z.object({ sent: z.number().int(), delivered: z.number().int() });
const categories = { marketing: counts, utility: counts, authentication: counts, service: counts };

const usageSchema = z
  .object({
    timezone: z.string().openapi({ description: "The company's timezone: days run midnight to midnight there" }),
    from: z.string(),
    to: z.string(),
    days: z.array(z.object({ date: z.string().openapi({ example: '2025-09-30' }), ...categories })),
    totals: z.object(categories),
  })
  .openapi('WhatsappUsage');

const isoDate = z.iso.date().openapi({ example: '2025-09-01' });

usageRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    operationId: 'whatsappUsage',
    summary: 'WhatsApp messages sent and delivered per day, by billing category',
    description:
      'Meta bills delivered template messages by category (marketing, utility, authentication); free text inside ' +
      "the 24-hour window is `service` (free). Days are the company's own, in its timezone; `to` is included. " +
      '`sent` counts messages Meta accepted and did not fail; `delivered` those delivered or read. `club`: only ' +
      "messages with that club's people; a user limited to clubs always gets only their clubs'.",
    tags: ['WhatsApp'],
    request: { query: z.object({ from: isoDate, to: isoDate, club: clubFilter }) },
    responses: { 200: jsonBody(usageSchema, 'Usage per day'), ...errorResponses(401, 403, 422) },
  }),
  async (c) => {
    const { from, to, club } = c.req.valid('query');
    return c.json(await usageByCategory(c.env, c.get('auth'), from, to, club ?? null), 200);
  },
);
