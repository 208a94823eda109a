// The Graph API calls of Embedded Signup's server side (worker/whatsapp/signup/), part of MetaApi (types.ts).
// https://developers.facebook.com/documentation/business-messaging/whatsapp/embedded-signup/implementation
// Self-contained (types.ts imports this file): the credentials and error below have MetaCredentials' and
// MetaError's shapes.

interface NumberCredentials {
  phoneNumberId: string;
  accessToken: string;
}

/** The app's own credentials: only the code exchange uses them (the secret never leaves the worker). */
export interface MetaAppCredentials {
  appId: string;
  appSecret: string;
}

/** Meta's error with its subcode (the code exchange tells an expired code, 36007, from a used one, 36009). */
export interface SignupCallError {
  code: number;
  title: string;
  message?: string;
  details?: string;
  subcode?: number;
  httpStatus?: number;
  fbtraceId?: string;
}

export type SignupCallResult<T> =
  | { ok: true; value: T }
  /** `reached: false`: a timeout or lost connection, so Meta may or may not have acted (every call here is safe to repeat). */
  | { ok: false; error: SignupCallError; reached: boolean };

/** The business token the code is exchanged for; `expiresInSeconds` null for a token that does not expire. */
export interface BusinessToken {
  accessToken: string;
  expiresInSeconds: number | null;
}

export interface PhoneNumberInfo {
  displayPhoneNumber: string;
  verifiedName: string | null;
}

export interface MetaSignupApi {
  /** `GET /oauth/access_token?client_id&client_secret&code`: the dialog's code (valid 30 seconds) for a business token. */
  exchangeCode(app: MetaAppCredentials, code: string): Promise<SignupCallResult<BusinessToken>>;
  /** `POST /{phone-number-id}/register` with the number's 6-digit two-step verification PIN. */
  registerNumber(credentials: NumberCredentials, pin: string): Promise<SignupCallResult<null>>;
  /** `POST /{waba-id}/subscribed_apps`: the WABA's webhooks (messages, statuses, templates) reach our app. */
  subscribeApp(wabaId: string, accessToken: string): Promise<SignupCallResult<null>>;
  /** `GET /{phone-number-id}?fields=display_phone_number,verified_name`. */
  phoneNumberInfo(credentials: NumberCredentials): Promise<SignupCallResult<PhoneNumberInfo>>;
}
