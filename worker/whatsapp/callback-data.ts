// What we ask Meta to echo back in status webhooks (`biz_opaque_callback_data`, at most 512 characters):
// our message id, and the person whose conversation sent it. Meta's `recipient_id` is the wa_id it
// resolved, which can differ from the number we dialled (e.g. Brazil's ninth digit), so statuses are routed
// by what we sent, not by what Meta reports.

const PREFIX = 'cc1';

export interface CallbackData {
  messageId: string;
  personId: string;
}

export const encodeCallbackData = (c: CallbackData): string => `${PREFIX}:${c.messageId}:${c.personId}`;

export function decodeCallbackData(value: string | undefined): CallbackData | null {
  const [prefix, messageId, personId, ...rest] = value?.split(':') ?? [];
  if (prefix !== PREFIX || !messageId || !personId || rest.length > 0) return null;
  return { messageId, personId };
}
