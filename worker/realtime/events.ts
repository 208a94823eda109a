// What the company inbox object tells open apps. Events carry only ids: the app refetches what changed
// through the same routes (and permissions) it reads everything else with, so an event never leaks data.
//
//   GET  /api/v1/events?since=N                           -> InboxEvents
//   GET  /api/v1/live   (WebSocket, session cookie only)  -> frames {type:'hello',seq} | {type:'event',event}
import { z } from '@hono/zod-openapi';
import type { ScopedPerson } from '#common/scope';
import type { InboundPush } from '../push/inbound';

export const INBOX_EVENT_TYPES = [
  /** A message was stored (inbound, or an outbound send recorded as queued). */
  'message',
  /** An outbound message's status changed (sent, delivered, read, failed, unknown). */
  'status',
  /** A person's WhatsApp state changed: opted out or back in, read or unread, window moved. */
  'person',
  /** A person's data was erased on request: apps drop any copy they saved for offline reading, then refetch. */
  'erased',
] as const;

export type InboxEventType = (typeof INBOX_EVENT_TYPES)[number];

export interface InboxEventInput {
  type: InboxEventType;
  personId: string;
  messageId?: string;
  /**
   * The person as they were before the change this event is about (an owner change, a club move): a scoped app
   * that could see them then gets the event too, so its list drops them. Sent live only, never stored.
   */
  before?: ScopedPerson;
}

/** An event for the inbox object, with the Web Push a new inbound message also asks for. */
export interface InboxParcel {
  event: InboxEventInput;
  push?: InboundPush;
}

export const inboxEventSchema = z
  .object({
    seq: z.number().int().openapi({ description: 'Increases by one per event in this company' }),
    type: z.enum(INBOX_EVENT_TYPES),
    person_id: z.string(),
    message_id: z.string().nullable(),
    at: z.string().openapi({ description: 'When the event was recorded (ISO 8601)' }),
  })
  .openapi('InboxEvent');

export type InboxEvent = z.infer<typeof inboxEventSchema>;

export const inboxEventsSchema = z
  .object({
    events: z.array(inboxEventSchema),
    seq: z.number().int().openapi({ description: 'The latest sequence number; pass it back as `since`' }),
    reset: z.boolean().openapi({
      description: 'True when events after `since` are no longer kept: refetch everything, then use `seq`',
    }),
  })
  .openapi('InboxEvents');

export type InboxEvents = z.infer<typeof inboxEventsSchema>;

export const eventsQuery = z.object({
  since: z.coerce.number().int().min(0).default(0).openapi({ description: 'The last `seq` the app has seen' }),
});
