// Meta's Graph API for Embedded Signup's server side, played by the "business" MetaSandbox instance
// (signup-store.ts): the code exchange, register, subscribed_apps and a number's fields. Answers and errors in
// Meta's shapes, so the graph client meets here what it meets at graph.facebook.com.
import { SIGNUP_PIN } from '#common/whatsapp-signup';
import { randomToken } from '../ids';
import { graphError, graphErrorBody, invalidParameter, invalidToken, unsupportedRequest } from './graph-errors';
import type { SignupFaultStep } from './signup-controls';
import { BUSINESS_TOKEN_TTL_SECONDS, type SignupSandboxStore } from './signup-store';

/** Which of these calls a Graph URL is, if any (the router sends them all to the "business" instance). */
export type SignupGraphTarget =
  | { kind: 'exchange_code' }
  | { kind: 'register_number'; phoneNumberId: string }
  | { kind: 'subscribe_app'; wabaId: string }
  | { kind: 'fetch_number'; phoneNumberId: string };

export function signupGraphTarget(url: URL): SignupGraphTarget | null {
  const match = url.pathname.match(/^\/sandbox\/graph\/v\d+\.\d+\/([^/]+)(?:\/([^/]+))?\/?$/);
  if (!match?.[1]) return null;
  const objectId = decodeURIComponent(match[1]);
  const edge = match[2];
  if (objectId === 'oauth' && edge === 'access_token') return { kind: 'exchange_code' };
  if (edge === 'register') return { kind: 'register_number', phoneNumberId: objectId };
  if (edge === 'subscribed_apps') return { kind: 'subscribe_app', wabaId: objectId };
  // A node read with fields is a phone number's; the only other node the client reads is a media id, bare.
  if (edge === undefined && url.searchParams.has('fields')) return { kind: 'fetch_number', phoneNumberId: objectId };
  return null;
}

const bearerOf = (request: Request): string | null =>
  request.headers.get('Authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;

async function bodyOf(request: Request): Promise<Record<string, unknown> | null> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

interface Context {
  store: SignupSandboxStore;
  appId: string;
  appSecret: string;
  now: number;
  /** Holds an answer back past the caller's timeout. */
  hang: () => Promise<void>;
}

/** Meta's answer to one call; the call and its status are recorded for tests to assert on. */
export async function handleSignupGraph(request: Request, target: SignupGraphTarget, ctx: Context): Promise<Response> {
  const url = new URL(request.url);
  const body = request.method === 'POST' ? await bodyOf(request) : null;
  const objectId =
    target.kind === 'exchange_code'
      ? (url.searchParams.get('code') ?? '')
      : target.kind === 'subscribe_app'
        ? target.wabaId
        : target.phoneNumberId;
  const res = await answer(request, url, body, target, ctx);
  const shown = request.method === 'POST' ? JSON.stringify(body) : `fields=${url.searchParams.get('fields') ?? ''}`;
  ctx.store.recordCall({ step: target.kind, objectId, body: shown, status: res.status, at: ctx.now });
  return res;
}

async function answer(
  request: Request,
  url: URL,
  body: Record<string, unknown> | null,
  target: SignupGraphTarget,
  ctx: Context,
): Promise<Response> {
  const { store, now } = ctx;
  if (target.kind === 'exchange_code') {
    if (request.method !== 'GET') return unsupportedRequest(request.method, 'oauth');
    const code = url.searchParams.get('code') ?? '';
    // A refused or unanswered call leaves the code unspent, as at Meta.
    const codeNumber = store.codeNumber(code);
    const fault = codeNumber ? await faultAnswer(store, codeNumber, 'exchange_code', ctx) : null;
    if (fault) return fault;
    if (url.searchParams.get('client_id') !== ctx.appId)
      return graphError({ status: 400, code: 101, title: 'Error validating application. Invalid application ID.' });
    if (url.searchParams.get('client_secret') !== ctx.appSecret)
      return graphError({ status: 400, code: 1, title: 'Error validating client secret.' });
    const redeemed = store.redeem(code, now);
    if (!redeemed.ok) {
      // Meta's words for each (OAuthException, code 100).
      if (redeemed.why === 'expired')
        return graphError({ status: 400, code: 100, subcode: 36007, title: 'This authorization code has expired.' });
      if (redeemed.why === 'used')
        return graphError({ status: 400, code: 100, subcode: 36009, title: 'This authorization code has been used.' });
      return graphError({ status: 400, code: 100, title: 'Invalid verification code format.' });
    }
    const token = `EAASandbox${randomToken(48)}`;
    store.saveToken(token, redeemed.number.wabaId, now + BUSINESS_TOKEN_TTL_SECONDS * 1000);
    return Response.json({ access_token: token, token_type: 'bearer', expires_in: BUSINESS_TOKEN_TTL_SECONDS });
  }

  const token = bearerOf(request);
  const tokenWaba = token ? store.tokenWaba(token, now) : null;
  if (!tokenWaba) return invalidToken();

  if (target.kind === 'subscribe_app') {
    if (request.method !== 'POST') return unsupportedRequest(request.method, target.wabaId);
    if (tokenWaba !== target.wabaId) return noPermission(target.wabaId);
    // Faults are queued by the number the dialog gave; any number of the WABA answers for its subscription.
    for (const phoneNumberId of store.numbersOf(target.wabaId)) {
      const fault = await faultAnswer(store, phoneNumberId, 'subscribe_app', ctx);
      if (fault) return fault;
    }
    store.subscribe(target.wabaId, now);
    return Response.json({ success: true });
  }

  const number = store.number(target.phoneNumberId);
  if (!number) return unsupportedRequest(request.method, target.phoneNumberId);
  if (number.wabaId !== tokenWaba) return noPermission(target.phoneNumberId);
  const fault = await faultAnswer(store, number.phoneNumberId, target.kind, ctx);
  if (fault) return fault;

  if (target.kind === 'fetch_number') {
    if (request.method !== 'GET') return unsupportedRequest(request.method, target.phoneNumberId);
    return Response.json({
      display_phone_number: number.displayPhoneNumber,
      verified_name: number.verifiedName,
      id: number.phoneNumberId,
    });
  }

  if (request.method !== 'POST') return unsupportedRequest(request.method, target.phoneNumberId);
  if (body?.messaging_product !== 'whatsapp') return invalidParameter('messaging_product must be whatsapp');
  const pin = typeof body.pin === 'string' ? body.pin : '';
  if (!SIGNUP_PIN.test(pin)) return invalidParameter('pin: a 6-digit two-step verification PIN is required');
  // A number that already has a PIN keeps it: register must give the same (Meta: 133005).
  if (number.pin !== null && number.pin !== pin)
    return graphError({ status: 400, code: 133005, title: 'Two step verification PIN Mismatch' });
  store.register(number.phoneNumberId, pin, now);
  return Response.json({ success: true });
}

async function faultAnswer(
  store: SignupSandboxStore,
  phoneNumberId: string,
  step: SignupFaultStep,
  ctx: Context,
): Promise<Response | null> {
  const fault = store.takeFault(phoneNumberId, step);
  if (!fault) return null;
  if (fault.kind === 'timeout') {
    await ctx.hang();
    return Response.json({ success: true });
  }
  return graphError({
    status: fault.status,
    code: fault.code,
    ...(fault.title ? { title: fault.title } : {}),
    ...(fault.subcode === undefined ? {} : { subcode: fault.subcode }),
  });
}

/** Meta's answer for an object the token may not touch (code 200, permissions). */
function noPermission(objectId: string): Response {
  const body = graphErrorBody({
    status: 403,
    code: 200,
    title: `Permissions error: the token has no access to ${objectId}`,
  });
  return new Response(JSON.stringify(body), { status: 403, headers: { 'Content-Type': 'application/json' } });
}
