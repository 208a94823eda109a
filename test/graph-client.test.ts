// The real Graph client against a stub fetch that answers what Meta documents.
import { describe, expect, it } from 'vitest';
import { createGraphClient, parseRetryAfter } from '../worker/whatsapp/meta/graph-client';
import type { MetaCredentials, OutboundMessage } from '../worker/whatsapp/meta/types';

const BASE = 'https://graph.facebook.com/v23.0';
const creds: MetaCredentials = { phoneNumberId: '106540352242922', accessToken: 'EAAG-token' };
const text: OutboundMessage = {
  to: '16505551234',
  content: { kind: 'text', text: 'Hi Sheena!' },
  callbackData: 'msg_123',
};
const NOW = Date.parse('2026-01-01T12:00:00Z');

function metaError(
  status: number,
  code: number,
  message: string,
  details: string,
  headers: Record<string, string> = {},
) {
  return new Response(
    JSON.stringify({
      error: {
        message,
        type: 'OAuthException',
        code,
        error_data: { messaging_product: 'whatsapp', details },
        fbtrace_id: 'AbCdEfGhIjK',
      },
    }),
    { status, headers: { 'Content-Type': 'application/json', ...headers } },
  );
}

const accepted = () =>
  Response.json({
    messaging_product: 'whatsapp',
    contacts: [{ input: '16505551234', wa_id: '16505551234' }],
    messages: [{ id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=' }],
  });

/** A client whose fetch records each request and answers with `answer`. */
function clientAnswering(answer: (req: Request) => Response | Promise<Response>, timeoutMs = 1000) {
  const requests: { req: Request; body: string }[] = [];
  const client = createGraphClient({
    baseUrl: BASE,
    timeoutMs,
    now: () => NOW,
    fetch: async (req) => {
      requests.push({ req, body: await req.clone().text() });
      return answer(req);
    },
  });
  return { client, requests };
}

describe('graph client', () => {
  it('posts the exact text body with the bearer token and returns the wamid', async () => {
    const { client, requests } = clientAnswering(accepted);
    const outcome = await client.sendMessage(creds, text);
    expect(outcome).toEqual({
      kind: 'accepted',
      wamid: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      waId: '16505551234',
    });
    expect(requests).toHaveLength(1);
    const [{ req, body }] = requests as [{ req: Request; body: string }];
    expect(req.method).toBe('POST');
    expect(req.url).toBe(`${BASE}/106540352242922/messages`);
    expect(req.headers.get('Authorization')).toBe('Bearer EAAG-token');
    expect(req.headers.get('Content-Type')).toBe('application/json');
    expect(JSON.parse(body)).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'text',
      text: { body: 'Hi Sheena!', preview_url: false },
      biz_opaque_callback_data: 'msg_123',
    });
  });

  it('posts the exact template body, with body parameters in order', async () => {
    const { client, requests } = clientAnswering(accepted);
    await client.sendMessage(creds, {
      to: '16505551234',
      content: { kind: 'template', template: { name: 'welcome_offer', language: 'en_GB', params: ['Sheena', '10%'] } },
      callbackData: 'msg_456',
    });
    expect(JSON.parse(requests[0]?.body ?? '')).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'template',
      template: {
        name: 'welcome_offer',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Sheena' },
              { type: 'text', text: '10%' },
            ],
          },
        ],
      },
      biz_opaque_callback_data: 'msg_456',
    });
  });

  it('omits components for a template without parameters', async () => {
    const { client, requests } = clientAnswering(accepted);
    await client.sendMessage(creds, {
      to: '16505551234',
      content: { kind: 'template', template: { name: 'hello_world', language: 'en_US', params: [] } },
      callbackData: 'msg_789',
    });
    const body = JSON.parse(requests[0]?.body ?? '') as { template: Record<string, unknown> };
    expect(body.template).toStrictEqual({ name: 'hello_world', language: { code: 'en_US' } });
  });

  it('treats HTTP 429 as retryable and honours Retry-After in seconds', async () => {
    const { client } = clientAnswering(() =>
      metaError(429, 130429, '(#130429) Rate limit hit', 'Cloud API message throughput has been reached.', {
        'Retry-After': '30',
      }),
    );
    const outcome = await client.sendMessage(creds, text);
    expect(outcome).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 30_000,
      error: { code: 130429, httpStatus: 429 },
    });
  });

  it('reads Retry-After given as an HTTP date', async () => {
    const date = new Date(NOW + 90_000).toUTCString();
    const { client } = clientAnswering(() =>
      metaError(429, 4, '(#4) Application request limit reached', 'Too many calls', { 'Retry-After': date }),
    );
    expect(await client.sendMessage(creds, text)).toMatchObject({ kind: 'retryable', retryAfterMs: 90_000 });
    expect(parseRetryAfter('garbage', NOW)).toBeUndefined();
  });

  it.each([
    [400, 130429, '(#130429) Rate limit hit'],
    [400, 131056, '(#131056) (Business Account, Consumer Account) pair rate limit hit'],
  ])('treats HTTP %i with code %i as retryable', async (status, code, message) => {
    const { client } = clientAnswering(() => metaError(status, code, message, 'slow down'));
    const outcome = await client.sendMessage(creds, text);
    expect(outcome.kind).toBe('retryable');
    expect(outcome).not.toHaveProperty('retryAfterMs');
  });

  it.each([
    [131026, '(#131026) Message undeliverable', 'Message Undeliverable.', 'Message undeliverable'],
    [
      131047,
      '(#131047) Re-engagement message',
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      'Re-engagement message',
    ],
    [
      132000,
      '(#132000) Number of parameters does not match the expected number of params',
      'body: number of localizable_params (1) does not match the expected number of params (2)',
      'Number of parameters does not match the expected number of params',
    ],
  ])('treats code %i as permanent and keeps code, title and details', async (code, message, details, title) => {
    const { client } = clientAnswering(() => metaError(400, code, message, details));
    expect(await client.sendMessage(creds, text)).toStrictEqual({
      kind: 'permanent',
      error: { code, title, message, details, httpStatus: 400, fbtraceId: 'AbCdEfGhIjK' },
    });
  });

  it('treats a 500, 502 or 504 as unknown (Meta may have sent it), even when the body is not Meta JSON', async () => {
    const { client } = clientAnswering(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await client.sendMessage(creds, text)).toMatchObject({
      kind: 'unknown',
      error: { code: 502, httpStatus: 502 },
    });
    const meta500 = clientAnswering(() =>
      metaError(500, 131000, '(#131000) Something went wrong', 'Something went wrong'),
    );
    expect(await meta500.client.sendMessage(creds, text)).toMatchObject({ kind: 'unknown', error: { code: 131000 } });
  });

  it('treats a 503 as retryable: the service refused the request before handling it', async () => {
    const { client } = clientAnswering(() => new Response('Service Unavailable', { status: 503 }));
    expect(await client.sendMessage(creds, text)).toMatchObject({ kind: 'retryable', error: { code: 503 } });
  });

  it('treats an unreadable 4xx as permanent with its HTTP status', async () => {
    const { client } = clientAnswering(() => new Response('nope', { status: 403 }));
    expect(await client.sendMessage(creds, text)).toMatchObject({
      kind: 'permanent',
      error: { code: 403, httpStatus: 403 },
    });
  });

  it('treats a network failure (TypeError) as unknown: the connection may have dropped after Meta had it', async () => {
    const { client } = clientAnswering(() => {
      throw new TypeError('Network connection lost.');
    });
    expect(await client.sendMessage(creds, text)).toMatchObject({
      kind: 'unknown',
      error: { message: 'Network connection lost.' },
    });
  });

  it('reports a timeout as unknown, never as retryable: the message may have been sent', async () => {
    const { client } = clientAnswering(
      (req) =>
        new Promise<Response>((_, reject) => {
          req.signal.addEventListener('abort', () => reject(req.signal.reason));
        }),
      50,
    );
    expect(await client.sendMessage(creds, text)).toMatchObject({ kind: 'unknown' });
  });

  it('reports a 2xx without a wamid as unknown', async () => {
    const { client } = clientAnswering(() => Response.json({ messaging_product: 'whatsapp', messages: [] }));
    expect((await client.sendMessage(creds, text)).kind).toBe('unknown');
  });

  it('marks read with Meta body and never throws', async () => {
    const { client, requests } = clientAnswering(() => Response.json({ success: true }));
    await client.markRead(creds, 'wamid.IN1');
    expect(requests[0]?.req.url).toBe(`${BASE}/106540352242922/messages`);
    expect(JSON.parse(requests[0]?.body ?? '')).toStrictEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.IN1',
    });

    const failing = clientAnswering(() => {
      throw new TypeError('connection refused');
    });
    await expect(failing.client.markRead(creds, 'wamid.IN2')).resolves.toBeUndefined();
    const refused = clientAnswering(() => metaError(400, 100, '(#100) Invalid parameter', 'bad id'));
    await expect(refused.client.markRead(creds, 'wamid.IN3')).resolves.toBeUndefined();
  });
});
