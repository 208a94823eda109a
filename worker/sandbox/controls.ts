import { z } from 'zod';

// What tests, benchmarks and people can tell the simulator to do. Validated at both doors: the RPC methods
// (tests and benchmarks) and the /sandbox HTTP routes (people, the PWA).

export const faultSchema = z.discriminatedUnion('kind', [
  /** Meta answers this error; nothing is accepted. */
  z.strictObject({
    kind: z.literal('http'),
    status: z.number().int().min(400).max(599),
    code: z.number().int(),
    title: z.string().min(1).optional(),
    retryAfterSeconds: z.number().int().min(0).optional(),
  }),
  /** Meta accepts and records the message (statuses will follow) but the answer comes too late. */
  z.strictObject({ kind: z.literal('timeout'), hangMs: z.number().int().min(0).max(120_000).optional() }),
  /** Meta accepts, and its status webhooks overtake its answer: they reach us before the send returns. */
  z.strictObject({ kind: z.literal('statuses_first') }),
  /** Meta accepts, then the connection drops before the answer arrives (Workers' "Network connection lost"). */
  z.strictObject({ kind: z.literal('connection_lost') }),
]);
export type SandboxFault = z.infer<typeof faultSchema>;
export const faultsSchema = z.array(faultSchema).min(1).max(1000);

export const OUTBOUND_STATUSES = ['sent', 'delivered', 'read'] as const;
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];

export const settingsSchema = z.strictObject({
  /** auto: the alarm delivers webhooks (npm start); manual: they wait for flushWebhooks() (tests). */
  delivery: z.enum(['auto', 'manual']),
  /** Which statuses follow an accepted send, in this order. */
  statuses: z.array(z.enum(OUTBOUND_STATUSES)).max(3),
  /** Time between an accepted send and each of its statuses in auto mode. */
  delayMs: z.number().int().min(0).max(600_000),
  /** Time Meta's review takes: a well-formed template is APPROVED (status webhook) this long after it is submitted. */
  templateReviewMs: z.number().int().min(0).max(600_000),
});
export type SandboxSettings = z.infer<typeof settingsSchema>;
export const settingsPatchSchema = settingsSchema.partial();
export type SandboxSettingsPatch = z.infer<typeof settingsPatchSchema>;

export const DEFAULT_SETTINGS: SandboxSettings = {
  delivery: 'auto',
  statuses: ['sent', 'delivered', 'read'],
  delayMs: 1000,
  templateReviewMs: 1000,
};

export const flushOptionsSchema = z.strictObject({
  order: z.enum(['queued', 'reverse']).optional(),
  /** Meta delivers at least once: each webhook twice proves the receiver de-duplicates. */
  duplicate: z.boolean().optional(),
});
export type FlushOptions = z.infer<typeof flushOptionsSchema>;

/** A WhatsApp id as people type it: E.164 with or without the plus. */
export const waIdInput = z.string().regex(/^\+?[1-9]\d{5,14}$/, 'a phone number in E.164 format');
export const digitsOf = (phone: string): string => phone.replace(/^\+/, '');

/**
 * The wa_id Meta answers for a number it was sent to, as Meta does it: Brazilian mobiles without the ninth
 * digit (55 DD 9XXXXXXXX -> 55 DD XXXXXXXX) and Mexican mobiles with the "1" (52 XXXXXXXXXX -> 52 1 XXXXXXXXXX).
 */
export function metaWaIdOf(phone: string): string {
  const digits = digitsOf(phone);
  const br = digits.match(/^55(\d{2})9(\d{8})$/);
  if (br) return `55${br[1]}${br[2]}`;
  const mx = digits.match(/^52(\d{10})$/);
  if (mx) return `521${mx[1]}`;
  return digits;
}

export const INBOUND_TYPES = [
  'text',
  'image',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contacts',
  'reaction',
  'button',
  'interactive',
  'unsupported',
] as const;

export const inboundInputSchema = z.strictObject({
  from: waIdInput,
  text: z.string().optional(),
  type: z.enum(INBOUND_TYPES).optional(),
  /** The person's WhatsApp profile name (contacts[].profile.name). */
  name: z.string().optional(),
  timestampSeconds: z.number().int().positive().optional(),
  /** Reuse an id to replay the same message, as Meta's at-least-once delivery does. */
  id: z.string().min(1).optional(),
  context: z.strictObject({ from: z.string().optional(), id: z.string() }).optional(),
  /** The object under the message's `type` key, verbatim (e.g. a location or a reaction). */
  content: z.record(z.string(), z.unknown()).optional(),
  /** Sent from a click-to-WhatsApp ad: Meta's `referral` object, verbatim (sandbox/ads.ts has a sample). */
  referral: z.record(z.string(), z.unknown()).optional(),
});
export type InboundInput = z.input<typeof inboundInputSchema>;

export const failRecipientSchema = z.object({
  to: waIdInput,
  code: z.number().int(),
  title: z.string().min(1).optional(),
});

export const templateStatusSchema = z.strictObject({
  name: z.string().min(1),
  language: z.string().min(2).optional(),
  event: z.enum([
    'APPROVED',
    'REJECTED',
    'PENDING',
    'PAUSED',
    'DISABLED',
    'FLAGGED',
    'ARCHIVED',
    'UNARCHIVED',
    'PENDING_DELETION',
    'REINSTATED',
  ]),
  reason: z.string().optional(),
  /** false: change the template at "Meta" without telling us (a webhook we missed), so only a sync finds it. */
  notify: z.boolean().optional(),
});
export type TemplateStatusInput = z.input<typeof templateStatusSchema>;

export const templateCategorySchema = z.strictObject({
  name: z.string().min(1),
  language: z.string().min(2).optional(),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
  notify: z.boolean().optional(),
});
export type TemplateCategoryInput = z.input<typeof templateCategorySchema>;

/** A template that exists at "Meta" only (made in WhatsApp Manager, say): what a sync should import. */
export const templatePutSchema = z.strictObject({
  /** Meta's id; a fresh one when left out. */
  id: z.string().regex(/^\d+$/).optional(),
  name: z.string().regex(/^[a-z0-9_]+$/),
  language: z.string().min(2),
  category: z.enum(['MARKETING', 'UTILITY', 'AUTHENTICATION']),
  status: z.string().min(1).default('APPROVED'),
  parameter_format: z.enum(['POSITIONAL', 'NAMED']).optional(),
  components: z.array(z.looseObject({ type: z.string() })).min(1),
});
export type TemplatePutInput = z.input<typeof templatePutSchema>;
