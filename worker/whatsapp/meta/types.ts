// The one interface between ClubChat and Meta's Graph API. Production speaks it over HTTPS to
// graph.facebook.com; sandbox mode speaks the same HTTP to the simulator in worker/sandbox/.

export interface MetaCredentials {
  phoneNumberId: string;
  accessToken: string;
}

export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'template'; template: { name: string; language: string; params: string[] } };

export interface OutboundMessage {
  /** The person's WhatsApp id: E.164 digits without the plus. */
  to: string;
  content: OutboundContent;
  /** Echoed back by Meta in status webhooks (`biz_opaque_callback_data`): our message id, so a send whose answer we
   * never saw can still be matched to its statuses. */
  callbackData: string;
}

/** Meta's error object, as it appears in Graph API errors and in failed status webhooks. */
export interface MetaError {
  code: number;
  title: string;
  message?: string;
  details?: string;
  httpStatus?: number;
  fbtraceId?: string;
}

export type SendOutcome =
  /** Meta accepted the message (acceptance is not delivery: statuses follow by webhook). */
  | { kind: 'accepted'; wamid: string /** contacts[].wa_id: the id Meta knows the person by. */; waId?: string }
  /** Throttled, or refused before Meta handled it (503): safe to try again later. */
  | { kind: 'retryable'; error: MetaError; retryAfterMs?: number }
  /** Meta refused the message: do not retry. */
  | { kind: 'permanent'; error: MetaError }
  /** The request may have reached Meta (timeout, lost connection, 500/502/504): never resend blindly. */
  | { kind: 'unknown'; error: MetaError };

/** A media file as Meta serves it (GET /{media-id}, then its URL with the same bearer token). */
export type MediaDownload =
  | { kind: 'ok'; body: ReadableStream<Uint8Array> | null; mimeType: string; size: number | null }
  /** Meta does not know the id (or it expired: Meta keeps inbound media for 30 days). */
  | { kind: 'not_found' }
  | { kind: 'failed'; error: MetaError };

export interface MetaApi {
  sendMessage(credentials: MetaCredentials, message: OutboundMessage): Promise<SendOutcome>;
  /** Marks an inbound message read (blue ticks). Best effort. */
  markRead(credentials: MetaCredentials, wamid: string): Promise<void>;
  /** Downloads an inbound media file: `GET /{media-id}` for its short-lived URL, then that URL, both with the token. */
  downloadMedia(credentials: MetaCredentials, mediaId: string): Promise<MediaDownload>;
}
