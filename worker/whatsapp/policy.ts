// Meta's WhatsApp rules as pure functions: no I/O, no clocks (callers pass `now`).
// Reference: https://developers.facebook.com/docs/whatsapp/cloud-api

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

/**
 * SQL: whether a keyword sent at `atParam` (Meta's time) is the person's latest, given the time of the latest
 * one we have in `latestAtColumn` (NULL: none). Webhooks arrive in any order, so an older keyword delivered
 * later is ignored, as the window ignores an older message. Meta's timestamps are whole seconds: on a tie we
 * cannot know the order, and STOP wins, because messaging someone who said STOP is the mistake that cannot be
 * taken back. Written as SQL so the decision and the flag it guards are one D1 batch.
 */
export function keywordSupersedesSql(latestAtColumn: string, atParam: string, keyword: Keyword): string {
  const tie = keyword === 'stop' ? ` OR ${atParam} = ${latestAtColumn}` : '';
  return `(${latestAtColumn} IS NULL OR ${atParam} > ${latestAtColumn}${tie})`;
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
  /** A photo, video or document header with no file to carry (or one of the wrong kind), in words. */
  header?: string;
}

export interface SendFacts {
  whatsappEnabled: boolean;
  optedOut: boolean;
  /** The person's data was erased on request (people.erased_at); with optedOut, only new consent lifts it. */
  erased: boolean;
  marketingStopped: boolean;
  hasPhone: boolean;
  windowOpen: boolean;
  /** Free-form (`text`; `interactive`: reply buttons, lists, link buttons; `media`: photos, documents, voice notes) or a template. */
  message:
    | { kind: 'text' | 'interactive' | 'media' }
    | { kind: 'template'; template: TemplateFacts | null; params: TemplateParamsFacts };
}

/** Why this message may not go out now, or null when it may. Checked on request and again before each attempt. */
export function sendRefusal(f: SendFacts): Refusal | null {
  if (!f.whatsappEnabled)
    return { status: 403, code: 'whatsapp_disabled', message: 'WhatsApp is not enabled for this company' };
  // An erasure opted the person out, and no consent has been recorded since (new consent opts them back in).
  if (f.erased && f.optedOut)
    return {
      status: 422,
      code: 'person_erased',
      message:
        "This person's data was erased at their request: no message may go to their number until new consent is recorded (PUT the person with whatsapp_consent)",
    };
  if (f.optedOut) return { status: 409, code: 'opted_out', message: 'This person has opted out of WhatsApp messages' };
  if (!f.hasPhone) return { status: 422, code: 'no_phone', message: 'This person has no phone number' };
  // Free-form messages, interactive ones included, go only inside the window (Meta error 131047 otherwise).
  if (f.message.kind !== 'template') {
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
  // A media header goes with a file or Meta refuses the send (132012): say so before anything is sent.
  if (f.message.params.header) return { status: 422, code: 'template_header_media', message: f.message.params.header };
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

const COUNTED_STATUSES: readonly MessageStatus[] = ['sent', 'delivered', 'read'];

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

export function shouldApplyStatus(current: MessageStatus, next: MessageStatus): boolean {
  return STATUS_RANK[next] > STATUS_RANK[current];
}

/** The higher-ranked of two statuses: what a message shows once both are known. */
export function higherStatus(a: MessageStatus, b: MessageStatus): MessageStatus {
  return STATUS_RANK[b] > STATUS_RANK[a] ? b : a;
}

/** The ranking as a SQL expression over a status column, so D1 applies the same rule inside one statement. */
export function statusRankSql(column: string): string {
  const cases = Object.entries(STATUS_RANK)
    .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
    .join(' ');
  return `(CASE ${column} ${cases} ELSE 0 END)`;
}

/** Statuses that count toward the sent counter, as a SQL list (the same as countsAsSent). */
export const COUNTED_STATUSES_SQL = `(${COUNTED_STATUSES.map((s) => `'${s}'`).join(', ')})`;

// --- Counters ------------------------------------------------------------------------------------

/** `sent` counts messages Meta accepted and did not fail. */
export function countsAsSent(status: MessageStatus): boolean {
  return COUNTED_STATUSES.includes(status);
}

export function sentCounterDelta(from: MessageStatus, to: MessageStatus): number {
  return Number(countsAsSent(to)) - Number(countsAsSent(from));
}

// --- Meta errors: retry, give up, or admit we cannot know ----------------------------------------

export const META_ERROR = {
  throughput: 130429,
  pairRateLimit: 131056,
  windowClosed: 131047,
  marketingStopped: 131050,
  healthyEcosystem: 131049,
} as const;

/**
 * A bulk send (automated item, broadcast) that Meta failed with one of these codes skipped the person rather than
 * failed: 131050, they stopped marketing from this business; 131049, Meta held it back "to maintain healthy
 * ecosystem engagement", which Meta asks not to retry soon: it is a 4xx answer (`permanent` below, never retried
 * by the conversation object) and the attempt keeps its place under the frequency cap (frequency-cap.ts).
 */
export function bulkSkipOfMetaError(code: unknown): 'marketing_stopped' | 'healthy_ecosystem' | null {
  if (code === META_ERROR.marketingStopped) return 'marketing_stopped';
  if (code === META_ERROR.healthyEcosystem) return 'healthy_ecosystem';
  return null;
}

// Throttling says "not now" about a request Meta did not process: #4 app rate limit, #80007 WABA rate limit,
// #130429 throughput, #131056 pair rate limit.
const THROTTLING_CODES = new Set<number>([4, 80007, META_ERROR.throughput, META_ERROR.pairRateLimit]);

export type FailureKind =
  /** Meta did not process it: safe to send again later. */
  | 'retry'
  /** Meta refused it: sending again would be refused again. */
  | 'permanent'
  /** It may have been processed: Meta has no idempotency key, so sending again could deliver it twice. */
  | 'unknown';

/**
 * What an error answer from the Graph API means for the message. Only throttling (HTTP 429 or a rate-limit
 * code) and 503 (the service refused the request before handling it) are retried; any other 5xx, like a lost
 * connection, may come after Meta accepted the message, so it ends `unknown` and its status ties it up later.
 */
export function classifyMetaFailure(httpStatus: number, code: number | undefined): FailureKind {
  if (httpStatus === 429 || (code !== undefined && THROTTLING_CODES.has(code))) return 'retry';
  if (httpStatus === 503) return 'retry';
  if (httpStatus >= 500) return 'unknown';
  return 'permanent';
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

/**
 * Conversions API events (worker/conversions/): a report Meta or the network may recover from is tried again
 * after 30 s, 1, 2, 4... minutes, up to 8 tries (about two hours in all): events lose attribution after Meta's
 * 7-day window, so hours are fine and days are not needed.
 */
export const CONVERSION_RETRY = { maxAttempts: 8, baseMs: 30_000, maxMs: 60 * 60_000 } as const;

/** The wait after `attempts` failed tries (1-based). */
export function conversionRetryDelayMs(attempts: number): number {
  return Math.min(CONVERSION_RETRY.maxMs, CONVERSION_RETRY.baseMs * 2 ** Math.max(0, attempts - 1));
}

// --- Failures on our side (D1, decryption, a bad row) ------------------------------------------------

/** After this many failed tries on our side, a message fails with `internal_error` so the next one can go. */
export const MAX_INTERNAL_FAILURES = 5;
const INTERNAL_BASE_MS = 5_000;

/** 5 s, 10 s, 20 s... capped: a D1 outage is not hammered, and a conversation is never wedged for long. */
export function internalRetryDelayMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, INTERNAL_BASE_MS * 2 ** Math.max(0, failures - 1));
}

// --- Meta's clock ----------------------------------------------------------------------------------

/** A timestamp ahead of ours by more than this counts as now (clock skew, or a payload that lies). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** WhatsApp Business webhooks did not exist before 2015; anything earlier is not a real message time. */
const EARLIEST_META_MS = Date.UTC(2015, 0, 1);

/**
 * Meta's timestamp (Unix seconds, as a string) in ms, clamped to our clock so a far-future value cannot open
 * the 24-hour window for years; null when it is no possible message time (the item is dead-lettered).
 */
export function metaTimeMs(timestamp: string, now: number): number | null {
  const ms = Number(timestamp) * 1000;
  if (!Number.isSafeInteger(ms) || ms < EARLIEST_META_MS || Number.isNaN(new Date(ms).getTime())) return null;
  return ms > now + MAX_CLOCK_SKEW_MS ? now : ms;
}

// --- WhatsApp ids ----------------------------------------------------------------------------------

/**
 * The E.164 numbers that Meta's wa_id may stand for. Meta keeps some ids in an older numbering plan: Brazil's
 * mobiles without the ninth digit after the area code (55 DD 9XXXXXXXX vs 55 DD XXXXXXXX) and Mexico's
 * mobiles with the "1" after the country code (52 1 XXXXXXXXXX vs 52 XXXXXXXXXX).
 */
export function phoneVariantsOfWaId(waId: string): string[] {
  const forms = [waId];
  const br = waId.match(/^55(\d{2})(\d{8,9})$/);
  if (br?.[1] && br[2]) {
    if (br[2].length === 8 && /^[6-9]/.test(br[2])) forms.push(`55${br[1]}9${br[2]}`);
    if (br[2].length === 9 && br[2].startsWith('9')) forms.push(`55${br[1]}${br[2].slice(1)}`);
  }
  const mx = waId.match(/^52(1?)(\d{10})$/);
  if (mx?.[2]) forms.push(mx[1] ? `52${mx[2]}` : `521${mx[2]}`);
  return forms.map((digits) => `+${digits}`);
}
