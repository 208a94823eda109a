import { z } from 'zod';

// Meta's Conversions API for business messaging on the wire: `POST /{dataset-id}/events`
// (https://developers.facebook.com/docs/marketing-api/conversions-api/business-messaging). The graph client
// builds this body and the simulator validates it with the same schema, like the send API (send-schema.ts).
// Strict: a field we misspell must fail in tests, not be ignored by Meta.

/** The events Meta accepts with action_source business_messaging (others: error subcode 2804066). */
export const MESSAGING_EVENT_NAMES = ['LeadSubmitted', 'Purchase'] as const;

/** At most 1,000 events a request (Conversions API); we send one at a time. */
export const MAX_EVENTS_PER_REQUEST = 1000;

export const conversionEventSchema = z.strictObject({
  event_name: z.enum(MESSAGING_EVENT_NAMES),
  /** Unix seconds. */
  event_time: z.number().int().positive(),
  /** Meta de-duplicates events with the same event_id and event_name: a retry after a lost answer counts once. */
  event_id: z.string().min(1).max(200),
  action_source: z.literal('business_messaging'),
  messaging_channel: z.literal('whatsapp'),
  user_data: z.strictObject({
    whatsapp_business_account_id: z.string().regex(/^\d+$/).optional(),
    ctwa_clid: z.string().min(1),
  }),
  /** Purchase needs a value and its currency (ISO 4217). */
  custom_data: z.strictObject({ currency: z.string().regex(/^[A-Z]{3}$/), value: z.number().min(0) }).optional(),
});
export type ConversionEventBody = z.infer<typeof conversionEventSchema>;

export const conversionsRequestSchema = z
  .strictObject({
    data: z.array(conversionEventSchema).min(1).max(MAX_EVENTS_PER_REQUEST),
    /** Test events show in Events Manager's Test events tab only. */
    test_event_code: z.string().optional(),
  })
  .refine((b) => b.data.every((e) => e.event_name !== 'Purchase' || e.custom_data !== undefined), {
    message: 'Purchase events need custom_data with currency and value',
  });
export type ConversionsRequest = z.infer<typeof conversionsRequestSchema>;

export const conversionsAnswerSchema = z.looseObject({
  events_received: z.number().int(),
  messages: z.array(z.unknown()).optional(),
  fbtrace_id: z.string().optional(),
});
export type ConversionsAnswer = z.infer<typeof conversionsAnswerSchema>;
