// The OpenAPI document as served: the routes' own schemas, plus the error answers that come from shared layers
// rather than from any one route, so the document lists every status an integrator can meet. The API fuzzer
// (test/fuzz-api.test.ts) reports any status it meets outside the document.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { errorResponses } from './openapi-responses';

type Document = ReturnType<OpenAPIHono['getOpenAPI31Document']>;
type Operation = NonNullable<NonNullable<Document['paths']>[string]['post']>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * Statuses every operation of a kind can answer: a JSON body can be malformed (400) or not JSON (415); a path id
 * can fail its pattern (422); a write made with a session cookie from another Origin is refused (403).
 */
function sharedStatuses(method: (typeof METHODS)[number], op: Operation): (400 | 403 | 415 | 422)[] {
  const out: (400 | 403 | 415 | 422)[] = [];
  if (op.requestBody) out.push(400, 415);
  const params = (op.parameters ?? []) as { in?: string }[];
  if (params.some((p) => p.in === 'path' || p.in === 'query')) out.push(422);
  if (method !== 'get' && (op.security === undefined || op.security.length > 0)) out.push(403);
  return out;
}

export function withSharedErrors(doc: Document): Document {
  for (const item of Object.values(doc.paths ?? {}))
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const missing = sharedStatuses(method, op).filter((s) => !(String(s) in (op.responses ?? {})));
      op.responses = { ...op.responses, ...errorResponses(...missing) };
    }
  return doc;
}
