// A person's data requests: GET /api/v1/people/:id/export and POST /api/v1/people/:id/erase. Admins and API keys
// only (permissions.ts, `person_data`); both are audited. What each holds and why: export.ts, erasure.ts.
import { createRoute, z } from '@hono/zod-openapi';
import { auditByOf, auditRow } from '../audit/record';
import { requireCompanyAuth } from '../auth/middleware';
import { requirePermission } from '../auth/permissions';
import { companyDb } from '../db/company-data';
import { auditLog } from '../db/schema';
import { newRouter } from '../http';
import { errorResponses, jsonBody } from '../openapi-responses';
import { eraseSchema, personExportSchema } from './data-schemas';
import { erasePerson } from './erasure';
import { EXPORT_PAGE, exportFilename, exportStream } from './export';
import { personIdParams, personSchema } from './schemas';
import { serializePerson } from './serialize';
import { getPerson } from './service';

export const personDataRoutes = newRouter();

const tags = ['Data requests'];
const middleware = [requireCompanyAuth, requirePermission('person_data')];

const exportRoute = createRoute({
  method: 'get',
  path: '/{id}/export',
  operationId: 'personExport',
  summary: 'Everything ClubChat holds about one person, as one JSON document (admins and API keys)',
  description:
    'The profile with counters, their inbox row, the consent log, the audit entries about them (without the ' +
    "staff member's IP address) and every history note, oldest first, with `history_count` at the end. A " +
    `download (Content-Disposition: attachment), streamed: notes are read ${EXPORT_PAGE} at a time, so a ` +
    'person with tens of thousands of notes exports whole. Recorded in the audit log as `person.exported` ' +
    'when it starts.',
  tags,
  middleware,
  request: { params: personIdParams },
  responses: {
    200: {
      ...jsonBody(personExportSchema, 'The document'),
      headers: z.object({
        'Content-Disposition': z.string().openapi({
          example: 'attachment; filename="clubchat-person-per_0123456789abcdefghjk-2026-12-03.json"',
        }),
      }),
    },
    ...errorResponses(401, 403, 404),
  },
});

// Documented from the route above, served by a plain handler: the document is written piece by piece
// (export.ts), so it cannot go through c.json(), which the typed openapi() handler requires for JSON answers.
// test/person-export.test.ts parses what the stream writes with personExportSchema.
personDataRoutes.openAPIRegistry.registerPath(exportRoute);
personDataRoutes.get('/:id/export', requireCompanyAuth, requirePermission('person_data'), async (c) => {
  const id = c.req.param('id');
  const db = companyDb(c.env, c.get('auth').companyId);
  const { companyId } = c.get('auth');
  const person = await getPerson(db, c.get('auth'), id);
  const now = Date.now();
  await db
    .insert(auditLog)
    .values(
      auditRow(companyId, auditByOf(c), { action: 'person.exported', target: { type: 'person', id: person.id } }, now),
    );
  return new Response(exportStream(db, companyId, person, now), {
    status: 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${exportFilename(person.id, now)}"`,
      // Personal data: no shared or browser cache keeps a copy.
      'Cache-Control': 'no-store',
    },
  });
});

personDataRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/erase',
    operationId: 'personErase',
    summary: "Erase a person's data on their request (admins and API keys; cannot be undone)",
    description:
      'Body `{"confirm": true}`. In one transaction: name, email, dates of birth and membership are blanked ' +
      '(first_name becomes "Erased person"); every history note loses its text, captions, media, template ' +
      'values and error detail (type, time, direction, status and category stay, so counters and usage stay ' +
      'true); unsent messages are dropped; the person is opted out of WhatsApp and SMS with consent-log entries ' +
      '(method `erasure_request`) unless already opted out; `erased_at` is set; the erasure is audited as ' +
      '`person.erased`. The consent log and audit log are kept unchanged. The phone number stays on the row ' +
      'so it stays blocked: sends answer 422 `person_erased` until new consent is recorded (PUT with ' +
      '`whatsapp_consent`, or the person sends START). Messages the person sent before the erasure that arrive ' +
      'later are stored without their text; messages they send afterwards are stored as usual. Idempotent: ' +
      'erasing again removes anything stored since and is audited again.',
    tags,
    middleware,
    request: { params: personIdParams, body: { required: true, ...jsonBody(eraseSchema, 'The confirmation') } },
    responses: {
      200: jsonBody(personSchema, 'The person, erased'),
      ...errorResponses(400, 401, 403, 404, 415, 422),
    },
  }),
  async (c) => {
    const auth = c.get('auth');
    const person = await erasePerson(c.env, auth, auditByOf(c), c.req.valid('param').id);
    return c.json(serializePerson(person), 200);
  },
);
