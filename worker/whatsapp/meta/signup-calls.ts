// Embedded Signup's Graph API calls over HTTP (signup-types.ts says what each is). Spread into the graph client,
// so sandbox mode runs them against the simulator exactly as live mode runs them against graph.facebook.com.
import { z } from 'zod';
import { graphErrorBodySchema } from './send-schema';
import type { MetaSignupApi, SignupCallError, SignupCallResult } from './signup-types';

export interface SignupCallOptions {
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
}

const tokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  // Meta answers a number of seconds; a token that never expires comes without it.
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional(),
});

const successSchema = z.looseObject({ success: z.literal(true) });

const phoneNumberSchema = z.looseObject({
  display_phone_number: z.string().min(1),
  verified_name: z.string().optional(),
  id: z.string().optional(),
});

/** Proxies and outages answer HTML or nothing: a body that is not JSON is simply not Meta's answer. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function errorOf(status: number, text: string): SignupCallError {
  const parsed = graphErrorBodySchema.safeParse(parseJson(text));
  if (!parsed.success) return { code: status, title: `HTTP ${status}`, httpStatus: status };
  const e = parsed.data.error;
  return {
    code: e.code,
    title: e.error_user_title ?? e.message.replace(/^\(#\d+\)\s*/, ''),
    message: e.error_user_msg ?? e.message,
    ...(e.error_data?.details ? { details: e.error_data.details } : {}),
    ...(e.error_subcode === undefined ? {} : { subcode: e.error_subcode }),
    httpStatus: status,
    ...(e.fbtrace_id ? { fbtraceId: e.fbtrace_id } : {}),
  };
}

/**
 * One Graph call and Meta's answer read by `answer`: a network failure or timeout says it never reached Meta, an
 * error body is Meta's error in its words, and an answer of another shape is "Unreadable answer".
 */
export async function exchange<T>(
  fetcher: (request: Request) => Promise<Response>,
  request: Request,
  answer: z.ZodType<T>,
): Promise<SignupCallResult<T>> {
  let res: Response;
  let text: string;
  try {
    res = await fetcher(request);
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const message = err instanceof Error ? err.message : String(err);
    return {
      ok: false,
      reached: false,
      error: { code: 0, title: timedOut ? 'Timed out' : 'Network error', message },
    };
  }
  if (!res.ok) return { ok: false, reached: true, error: errorOf(res.status, text) };
  const parsed = answer.safeParse(parseJson(text));
  if (!parsed.success)
    return {
      ok: false,
      reached: true,
      error: { code: res.status, title: 'Unreadable answer', message: text.slice(0, 200), httpStatus: res.status },
    };
  return { ok: true, value: parsed.data };
}

export function signupCalls(options: SignupCallOptions): MetaSignupApi {
  const base = options.baseUrl.replace(/\/+$/, '');

  async function call<T>(
    request: { method: string; path: string; query?: Record<string, string>; token?: string; body?: unknown },
    answer: z.ZodType<T>,
  ): Promise<SignupCallResult<T>> {
    const url = `${base}/${request.path}${request.query ? `?${new URLSearchParams(request.query)}` : ''}`;
    return exchange(
      options.fetch,
      new Request(url, {
        method: request.method,
        headers: {
          ...(request.token ? { Authorization: `Bearer ${request.token}` } : {}),
          ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(options.timeoutMs),
      }),
      answer,
    );
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    async exchangeCode(app, code) {
      // The secret goes in the query string, as Meta's reference shows; the request goes to Meta alone over TLS.
      const r = await call(
        {
          method: 'GET',
          path: 'oauth/access_token',
          query: { client_id: app.appId, client_secret: app.appSecret, code },
        },
        tokenAnswerSchema,
      );
      if (!r.ok) return r;
      return { ok: true, value: { accessToken: r.value.access_token, expiresInSeconds: r.value.expires_in ?? null } };
    },

    async registerNumber(credentials, pin) {
      const r = await call(
        {
          method: 'POST',
          path: `${id(credentials.phoneNumberId)}/register`,
          token: credentials.accessToken,
          body: { messaging_product: 'whatsapp', pin },
        },
        successSchema,
      );
      return r.ok ? { ok: true, value: null } : r;
    },

    async subscribeApp(wabaId, accessToken) {
      const r = await call(
        { method: 'POST', path: `${id(wabaId)}/subscribed_apps`, token: accessToken },
        successSchema,
      );
      return r.ok ? { ok: true, value: null } : r;
    },

    async phoneNumberInfo(credentials) {
      const r = await call(
        {
          method: 'GET',
          path: id(credentials.phoneNumberId),
          query: { fields: 'display_phone_number,verified_name' },
          token: credentials.accessToken,
        },
        phoneNumberSchema,
      );
      if (!r.ok) return r;
      return {
        ok: true,
        value: { displayPhoneNumber: r.value.display_phone_number, verifiedName: r.value.verified_name ?? null },
      };
    },
  };
}
