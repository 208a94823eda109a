// Embedded Signup's steps and Meta's session-info message, for the worker (worker/whatsapp/signup/), the
// simulator's stand-in dialog and the app (Settings > WhatsApp). Pure: no I/O.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation

/** The server's steps after Meta's dialog, in order; a failed one is resumed where it stopped. */
export const SIGNUP_STEPS = ['exchange_code', 'register_number', 'subscribe_app', 'fetch_number', 'connect'] as const;
export type SignupStep = (typeof SIGNUP_STEPS)[number];

/** What each step does, as the app lists it. */
export const SIGNUP_STEP_LABELS: Record<SignupStep, string> = {
  exchange_code: 'Facebook’s code exchanged for a business token',
  register_number: 'Number registered for the Cloud API',
  subscribe_app: 'ClubChat subscribed to the account’s messages',
  fetch_number: 'Number and business name read from Meta',
  connect: 'Number connected to this gym',
};

/** The dialog's code lives 30 seconds (Meta: "The token code has a time-to-live of 30 seconds"). */
export const SIGNUP_CODE_TTL_MS = 30_000;

/** Meta's two-step verification PIN for the number: exactly six digits. */
export const SIGNUP_PIN = /^\d{6}$/;

/**
 * The popup's `message` event (session info logging, `version: 3` in v3 and v4): FINISH with the WABA and number
 * (FINISH_ONLY_WABA without a number), CANCEL with the screen left, ERROR with Meta's words.
 */
export type SignupSessionEvent =
  | { event: 'FINISH'; wabaId: string; phoneNumberId: string; businessId: string | null }
  | { event: 'FINISH_ONLY_WABA'; wabaId: string }
  | { event: 'CANCEL'; currentStep: string | null }
  | { event: 'ERROR'; message: string };

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const digits = (v: unknown): string | null => {
  const s = typeof v === 'number' ? String(v) : text(v);
  return s && /^\d{1,32}$/.test(s) ? s : null;
};

/**
 * Reads the popup's message data (a JSON string, or an object); null for anything that is not Embedded Signup's,
 * as the SDK's own frames post other messages on the same window.
 */
export function parseSignupMessage(data: unknown): SignupSessionEvent | null {
  let value: unknown = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch {
      return null;
    }
  }
  if (typeof value !== 'object' || value === null) return null;
  const m = value as { type?: unknown; event?: unknown; data?: unknown };
  if (m.type !== 'WA_EMBEDDED_SIGNUP') return null;
  const d = (typeof m.data === 'object' && m.data !== null ? m.data : {}) as Record<string, unknown>;
  const wabaId = digits(d.waba_id);
  switch (m.event) {
    case 'FINISH': {
      const phoneNumberId = digits(d.phone_number_id);
      if (wabaId && phoneNumberId) return { event: 'FINISH', wabaId, phoneNumberId, businessId: digits(d.business_id) };
      return wabaId ? { event: 'FINISH_ONLY_WABA', wabaId } : null;
    }
    case 'FINISH_ONLY_WABA':
      return wabaId ? { event: 'FINISH_ONLY_WABA', wabaId } : null;
    case 'CANCEL':
      return { event: 'CANCEL', currentStep: text(d.current_step) };
    case 'ERROR':
      return { event: 'ERROR', message: text(d.error_message) ?? 'Meta’s dialog reported an error' };
    default:
      return null;
  }
}

/** Only Facebook's own pages may speak for the dialog (the SDK's popup is www.facebook.com or web.facebook.com). */
export function isFacebookOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' && (url.hostname === 'facebook.com' || url.hostname.endsWith('.facebook.com'));
  } catch {
    return false;
  }
}
