import type { SendBody } from '../whatsapp/meta/send-schema';
import type { OutboundStatus } from './controls';

// Webhook payloads exactly as Meta sends them (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components).

export interface NumberInfo {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
}

export interface Envelope {
  object: 'whatsapp_business_account';
  entry: { id: string; changes: { field: string; value: Record<string, unknown> }[] }[];
}

export function envelope(wabaId: string, field: string, value: Record<string, unknown>): Envelope {
  return { object: 'whatsapp_business_account', entry: [{ id: wabaId, changes: [{ field, value }] }] };
}

/** The `messages` field: every inbound message and status sits under the number's metadata. */
export function messagesEnvelope(number: NumberInfo, value: Record<string, unknown>): Envelope {
  return envelope(number.wabaId, 'messages', {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: number.displayPhoneNumber, phone_number_id: number.phoneNumberId },
    ...value,
  });
}

export interface SentMessageFacts {
  wamid: string;
  recipientId: string;
  /** Meta's message type: `template`, or a free-form one (`text`, `interactive`, `image`, `document`...). */
  type: SendBody['type'];
  callbackData: string | null;
}

/** Since 2025-07-01 Meta prices per message: templates are billed (utility here), replies in the window are free. */
function pricingOf(type: SentMessageFacts['type']) {
  return type === 'template'
    ? { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' }
    : { billable: false, pricing_model: 'PMP', category: 'service', type: 'free_customer_service' };
}

export function statusObject(
  m: SentMessageFacts,
  status: OutboundStatus | 'failed',
  timestampSeconds: number,
  conversationId: string,
  failure?: { code: number; title: string },
): Record<string, unknown> {
  const category = m.type === 'template' ? 'utility' : 'service';
  return {
    id: m.wamid,
    status,
    timestamp: String(timestampSeconds),
    recipient_id: m.recipientId,
    ...(m.callbackData === null ? {} : { biz_opaque_callback_data: m.callbackData }),
    // Meta drops conversation and pricing from read and failed statuses.
    ...(status === 'sent' || status === 'delivered'
      ? {
          conversation: {
            id: conversationId,
            ...(status === 'sent' ? { expiration_timestamp: String(timestampSeconds + 24 * 3600) } : {}),
            origin: { type: category },
          },
          pricing: pricingOf(m.type),
        }
      : {}),
    ...(failure
      ? {
          errors: [
            {
              code: failure.code,
              title: failure.title,
              message: failure.title,
              error_data: { details: failure.title },
            },
          ],
        }
      : {}),
  };
}
