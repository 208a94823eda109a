import type { z } from 'zod';
import {
  interactiveSendSchema,
  type MarkReadBody,
  MEDIA_SEND_TYPES,
  markReadSchema,
  mediaSendSchema,
  type SendAnswer,
  type SendBody,
  templateSendSchema,
  textSendSchema,
} from '../whatsapp/meta/send-schema';
import { metaWaIdOf } from './controls';

// `POST /{phone-number-id}/messages`: which of Meta's request kinds a body is, and Meta's answer to a send.

const SEND_SCHEMAS = {
  text: textSendSchema,
  template: templateSendSchema,
  interactive: interactiveSendSchema,
  // Photos, videos, documents, voice notes and stickers share one schema, told apart by `type`.
  image: mediaSendSchema,
  video: mediaSendSchema,
  document: mediaSendSchema,
  audio: mediaSendSchema,
  sticker: mediaSendSchema,
} as const satisfies Record<SendBody['type'], z.ZodType<SendBody>>;

/** A stored request body read back (the simulator's store), by the type it was recorded with. */
export function parseSentBody(json: unknown): SendBody {
  const type = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).type : undefined;
  if (type === 'interactive') return interactiveSendSchema.parse(json);
  if (type === 'template') return templateSendSchema.parse(json);
  if (MEDIA_SEND_TYPES.some((t) => t === type)) return mediaSendSchema.parse(json);
  return textSendSchema.parse(json);
}

export type MessagesParse =
  | { ok: true; kind: 'send'; body: SendBody }
  | { ok: true; kind: 'read'; body: MarkReadBody }
  | { ok: false; details: string };

/** Meta words its (#100) details as "Param text['body'] must be at most 4096 characters long." */
function details(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'Invalid parameter';
  const [head, ...rest] = issue.path.map(String);
  const param = head === undefined ? 'body' : `${head}${rest.map((p) => `['${p}']`).join('')}`;
  return `Param ${param}: ${issue.message}`;
}

/** Picks the schema by Meta's own discriminators (`status`, then `type`) so errors name the real problem. */
export function parseMessagesRequest(json: unknown): MessagesParse {
  const record = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
  if (record.status !== undefined) {
    const read = markReadSchema.safeParse(json);
    return read.success ? { ok: true, kind: 'read', body: read.data } : { ok: false, details: details(read.error) };
  }
  const schema =
    typeof record.type === 'string' && Object.hasOwn(SEND_SCHEMAS, record.type)
      ? SEND_SCHEMAS[record.type as keyof typeof SEND_SCHEMAS]
      : null;
  if (!schema)
    return { ok: false, details: `Param type: unsupported message type ${JSON.stringify(record.type ?? null)}` };
  const send = schema.safeParse(json);
  return send.success ? { ok: true, kind: 'send', body: send.data } : { ok: false, details: details(send.error) };
}

export function sendAnswer(body: SendBody, wamid: string): SendAnswer {
  return {
    messaging_product: 'whatsapp',
    contacts: [{ input: body.to, wa_id: metaWaIdOf(body.to) }],
    // Meta adds message_status to template sends only ("accepted", or "held_for_quality_assessment").
    messages: [body.type === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
  };
}
