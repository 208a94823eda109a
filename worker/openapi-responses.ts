// OpenAPI documentation for the error shape every route shares (`{ error: { code, message } }`, see errors.ts).
import { z } from '@hono/zod-openapi';

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error', { example: { error: { code: 'not_found', message: 'Person not found' } } });

const DESCRIPTIONS = {
  400: 'Malformed JSON',
  401: 'Missing or invalid credentials',
  403: 'Not allowed for this company (e.g. WhatsApp disabled)',
  404: 'Not found in this company',
  409: 'Conflicts with existing data',
  415: 'Cookie-authenticated writes must be JSON',
  422: 'Validation failed',
  429: 'Too many attempts; see Retry-After',
  502: 'Meta did not answer as expected',
  503: 'Not set up on this server',
} as const;

type ErrorStatus = keyof typeof DESCRIPTIONS;

/** `responses` entries documenting the given error statuses, all with the shared error body. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]) {
  const out = {} as Record<S, { description: string; content: { 'application/json': { schema: typeof errorSchema } } }>;
  for (const s of statuses)
    out[s] = { description: DESCRIPTIONS[s], content: { 'application/json': { schema: errorSchema } } };
  return out;
}

export const jsonBody = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
