// Meta's WhatsApp rules as pure functions: no I/O, no clocks (callers pass `now`).
// Reference: ../shared/META.md and https://developers.facebook.com/docs/whatsapp/cloud-api

export type SaleType = 'membership' | 'secondary';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown';
export type MetaStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface Refusal {
  status: 403 | 409 | 422;
  code: string;
  message: string;
}

// --- The 24-hour customer service window -------------------------------------------------------

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Only the person's own messages open or refresh the window, timed by Meta's timestamp, never ours. */
export function nextLastInbound(current: number | null, messageTimestampMs: number): number {
  return current === null ? messageTimestampMs : Math.max(current, messageTimestampMs);
}

export function windowExpiresAt(lastInboundAt: number | null): number | null {
  return lastInboundAt === null ? null : lastInboundAt + SERVICE_WINDOW_MS;
}

export function isWindowOpen(lastInboundAt: number | null, now: number): boolean {
  const expires = windowExpiresAt(lastInboundAt);
  return expires !== null && now < expires;
}

// --- Keywords: Meta runs no STOP handling for us ------------------------------------------------

export type Keyword = 'stop' | 'start';

export function keywordOf(text: string | undefined): Keyword | null {
  const word = text?.trim().toUpperCase();
  if (word === 'STOP') return 'stop';
  if (word === 'START') return 'start';
  return null;
}

// --- Who may be messaged, and what ---------------------------------------------------------------

export interface TemplateFacts {
  /** Meta's status (APPROVED, PENDING, REJECTED, PAUSED, DISABLED...) or DELETED. */
  status: string;
  category: string;
}

/** Template variables a send could not fill, and params that name no variable (see templates/variables.ts). */
export interface TemplateParamsFacts {
  missing: readonly string[];
  extra: readonly string[];
}

export interface SendFacts {
  whatsappEnabled: boolean;
  optedOut: boolean;
  marketingStopped: boolean;
  hasPhone: boolean;
  windowOpen: boolean;
  message: { kind: 'text' } | { kind: 'template'; template: TemplateFacts | null; params: TemplateParamsFacts };
}

/** Why this message may not go out now, or null when it may. Checked on request and again before each attempt. */
export function sendRefusal(f: SendFacts): Refusal | null {
  if (!f.whatsappEnabled)
    return { status: 403, code: 'whatsapp_disabled', message: 'WhatsApp is not enabled for this company' };
  if (f.optedOut) return { status: 409, code: 'opted_out', message: 'This person has opted out of WhatsApp messages' };
  if (!f.hasPhone) return { status: 422, code: 'no_phone', message: 'This person has no phone number' };
  if (f.message.kind === 'text') {
    if (!f.windowOpen)
      return {
        status: 409,
        code: 'window_closed',
        message: 'More than 24 hours since the person last wrote: only an approved template may be sent',
      };
    return null;
  }
  const t = f.message.template;
  // Only APPROVED goes: PENDING, REJECTED, PAUSED (132015), DISABLED (132016), DELETED... would all fail at Meta.
  if (t === null || t.status !== 'APPROVED')
    return {
      status: 422,
      code: 'template_not_approved',
      message: t === null ? 'No such template in that language' : `That template is ${t.status}, not APPROVED by Meta`,
    };
  const problem = templateParamsProblem(f.message.params);
  if (problem) return { status: 422, code: 'template_params', message: problem };
  // Meta error 131050: the person stopped marketing messages from this business.
  if (t.category === 'MARKETING' && f.marketingStopped)
    return { status: 409, code: 'marketing_stopped', message: 'This person has stopped marketing messages' };
  return null;
}

/** Meta answers 132000 for a parameter count mismatch: name the variables instead, before sending. */
export function templateParamsProblem(p: TemplateParamsFacts): string | null {
  if (p.missing.length === 0 && p.extra.length === 0) return null;
  const parts: string[] = [];
  if (p.missing.length > 0)
    parts.push(`no value for ${p.missing.map((n) => `{{${n}}}`).join(', ')} (give it in params or map it)`);
  if (p.extra.length > 0) parts.push(`the template has no variable for ${p.extra.join(', ')}`);
  return `Template parameters: ${parts.join('; ')}`;
}

// --- Delivery status ranking ----------------------------------------------------------------------

// sent < delivered < read; failed ends a message that was only sent or delivered, but a read proves it
// arrived, so read outranks failed and nothing overrides read. Webhooks arrive unordered and repeated.
const STATUS_RANK: Record<MessageStatus, number> = {
  queued: 0,
  unknown: 0,
  sent: 1,
  delivered: 2,
  failed: 3,
  read: 4,
};

export function shouldApplyStatus(current: MessageStatus, next: MetaStatus): boolean {
  return STATUS_RANK[next] > STATUS_RANK[current];
}

// --- Counters ------------------------------------------------------------------------------------

/** `sent` counts messages Meta accepted and did not fail. */
export function countsAsSent(status: MessageStatus): boolean {
  return status === 'sent' || status === 'delivered' || status === 'read';
}

export function sentCounterDelta(from: MessageStatus, to: MessageStatus): number {
  return Number(countsAsSent(to)) - Number(countsAsSent(from));
}

/** An inbound message counts toward the sale type of our latest outbound message to them, else their own. */
export function attributeInbound(lastOutboundSaleType: SaleType | null, personSaleType: SaleType): SaleType {
  return lastOutboundSaleType ?? personSaleType;
}

// --- Meta errors: retry, or give up --------------------------------------------------------------

export const META_ERROR = {
  throughput: 130429,
  pairRateLimit: 131056,
  windowClosed: 131047,
  marketingStopped: 131050,
} as const;

const RETRYABLE_CODES = new Set<number>([META_ERROR.throughput, META_ERROR.pairRateLimit, 4, 80007, 1, 2]);

export function isRetryableMetaError(httpStatus: number, code: number | undefined): boolean {
  if (httpStatus === 429 || httpStatus >= 500) return true;
  return code !== undefined && RETRYABLE_CODES.has(code);
}

export const MAX_SEND_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 15 * 60_000;
// Meta reports about one message per 6 s to the same person before 131056.
const PAIR_RATE_MIN_MS = 6_000;

/** Exponential backoff after `attempt` failed tries (1-based), never sooner than Retry-After. */
export function retryDelayMs(
  attempt: number,
  code: number | undefined,
  retryAfterMs: number | undefined,
  jitter: number,
): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
  const withJitter = Math.round(exponential * (0.5 + jitter / 2));
  const floor = Math.max(retryAfterMs ?? 0, code === META_ERROR.pairRateLimit ? PAIR_RATE_MIN_MS : 0);
  return Math.max(withJitter, floor);
}
