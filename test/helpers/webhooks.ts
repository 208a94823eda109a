// Builds and posts Meta-shaped webhook payloads, signed the way Meta signs them.
import { env, exports } from 'cloudflare:workers';
import { signBody } from '../../worker/whatsapp/meta/signature';
import { BASE } from './fixtures';

let seq = 0;
export const wamid = (): string => `wamid.TEST${Date.now()}${++seq}`;
export const nowSeconds = (offsetMs = 0): string => String(Math.floor((Date.now() + offsetMs) / 1000));

/** One `changes[]` item: the value Meta sends for one business number. */
export function change(phoneNumberId: string, value: Record<string, unknown>, field = 'messages') {
  return {
    field,
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
      ...value,
    },
  };
}

export function envelope(phoneNumberId: string, value: Record<string, unknown>, field = 'messages') {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [change(phoneNumberId, value, field)] }],
  };
}

export interface InboundOpts {
  from: string;
  id?: string;
  timestamp?: string;
  name?: string;
  text?: string;
  message?: Record<string, unknown>;
}

export function inboundMessage(o: InboundOpts) {
  const from = o.from.replace(/^\+/, '');
  return {
    from,
    id: o.id ?? wamid(),
    timestamp: o.timestamp ?? nowSeconds(),
    ...(o.message ?? { type: 'text', text: { body: o.text ?? 'Hello' } }),
  };
}

export function inboundPayload(phoneNumberId: string, o: InboundOpts) {
  const m = inboundMessage(o);
  return envelope(phoneNumberId, {
    contacts: [{ profile: { name: o.name ?? 'Sheena Nelson' }, wa_id: m.from }],
    messages: [m],
  });
}

export function statusItem(o: {
  id: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  to: string;
  timestamp?: string;
  callbackData?: string;
  error?: { code: number; title: string; details?: string };
}) {
  return {
    id: o.id,
    status: o.status,
    timestamp: o.timestamp ?? nowSeconds(),
    recipient_id: o.to.replace(/^\+/, ''),
    ...(o.callbackData ? { biz_opaque_callback_data: o.callbackData } : {}),
    ...(o.error
      ? {
          errors: [
            {
              code: o.error.code,
              title: o.error.title,
              message: o.error.title,
              error_data: { details: o.error.details ?? '' },
            },
          ],
        }
      : {}),
  };
}

export async function postWebhook(
  payload: unknown,
  opts: { secret?: string | null; raw?: string; signature?: string } = {},
): Promise<Response> {
  const body = opts.raw ?? JSON.stringify(payload);
  const bytes = new TextEncoder().encode(body);
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  const secret = opts.secret === undefined ? env.META_APP_SECRET : opts.secret;
  if (opts.signature) headers['X-Hub-Signature-256'] = opts.signature;
  else if (secret !== null) headers['X-Hub-Signature-256'] = await signBody(secret, bytes);
  return exports.default.fetch(`${BASE}/webhooks/whatsapp`, { method: 'POST', headers, body: bytes });
}
