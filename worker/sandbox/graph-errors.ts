import type { GraphErrorBody } from '../whatsapp/meta/send-schema';
import { newFbtraceId } from './ids';

// Meta's Graph API error answers, in Meta's exact shape (https://developers.facebook.com/docs/graph-api/guides/error-handling
// and https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).

/** Titles Meta uses for the codes the simulator is most often asked to fake. */
const TITLES: Record<number, string> = {
  1: 'API Unknown',
  2: 'API Service',
  4: 'API Too Many Calls',
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token',
  368: 'Temporarily blocked for policies violations',
  130429: 'Rate limit hit',
  131000: 'Something went wrong',
  131026: 'Message undeliverable',
  131031: 'Account has been locked',
  131047: 'Re-engagement message',
  131048: 'Spam rate limit hit',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement.',
  131050: 'User has stopped marketing messages from this business',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
  132015: 'Template is paused',
  132016: 'Template is disabled',
};

export function metaTitle(code: number): string {
  return TITLES[code] ?? 'Something went wrong';
}

export interface GraphErrorInit {
  status: number;
  code: number;
  title?: string;
  details?: string;
  type?: string;
  subcode?: number;
  retryAfterSeconds?: number;
}

export function graphErrorBody(init: GraphErrorInit): GraphErrorBody {
  const title = init.title ?? metaTitle(init.code);
  return {
    error: {
      message: `(#${init.code}) ${title}`,
      type: init.type ?? 'OAuthException',
      code: init.code,
      ...(init.subcode === undefined ? {} : { error_subcode: init.subcode }),
      error_data: { messaging_product: 'whatsapp', details: init.details ?? title },
      fbtrace_id: newFbtraceId(),
    },
  };
}

export function graphError(init: GraphErrorInit): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (init.retryAfterSeconds !== undefined) headers['Retry-After'] = String(init.retryAfterSeconds);
  return new Response(JSON.stringify(graphErrorBody(init)), { status: init.status, headers });
}

/** Meta answers a missing, empty or unreadable bearer token with 401 and code 190. */
export function invalidToken(): Response {
  const body = graphErrorBody({
    status: 401,
    code: 190,
    title: 'Invalid OAuth access token - Cannot parse access token',
  });
  // Meta's 190 message carries no "(#190)" prefix.
  body.error.message = 'Invalid OAuth access token - Cannot parse access token';
  return new Response(JSON.stringify(body), { status: 401, headers: { 'Content-Type': 'application/json' } });
}

export function invalidParameter(details: string): Response {
  return graphError({ status: 400, code: 100, title: 'Invalid parameter', details });
}

/** What Meta answers for an object id or edge it does not know (code 100, subcode 33). */
export function unsupportedRequest(method: string, objectId: string): Response {
  return graphError({
    status: 400,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    title: `Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
  });
}

export function hasBearer(request: Request): boolean {
  return /^Bearer\s+\S+\s*$/i.test(request.headers.get('Authorization') ?? '');
}
