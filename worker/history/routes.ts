// A person's history (messages, opt-outs/ins, events): GET /api/v1/people/:id/history.
import { createRoute, z } from '@hono/zod-openapi';
import { requireCompanyAuth } from '../auth/middleware';
import { readDbOf, readReplica } from '../db/company-data';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { cursorQuery, listSchema } from '../pagination';
import { personIdParams } from '../people/schemas';
import { getPerson } from '../people/service';
import { historyNoteSchema, serializeNote } from './serialize';
import { HISTORY_FILTERS, listHistory } from './service';

export const historyRoutes = newRouter();

const historyQuery = z.object({
  filter: z.enum(HISTORY_FILTERS).optional().openapi({ description: "'whatsapp' = every whatsapp_* note" }),
  ...cursorQuery,
});

historyRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}/history',
    operationId: 'historyList',
    summary: "A person's history, newest first",
    description: 'Page with `cursor` (`pagination.next_cursor`); `total_entries` only with `count=true` or `page`.',
    tags: ['History'],
    middleware: [requireCompanyAuth, readReplica] as const,
    request: { params: personIdParams, query: historyQuery },
    responses: {
      200: jsonBody(listSchema(historyNoteSchema).openapi('HistoryNoteList'), 'A page of notes'),
      ...errorResponses(401, 404, 422),
    },
  }),
  async (c) => {
    const db = readDbOf(c);
    const { companyId } = c.get('auth');
    const person = await getPerson(db, c.get('auth'), c.req.valid('param').id);
    const { rows, pagination } = await listHistory(db, companyId, person.id, c.req.valid('query'));
    return c.json({ collection: rows.map(serializeNote), pagination }, 200);
  },
);
