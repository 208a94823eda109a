// The one interface between ClubChat and Meta's Graph API. Production speaks it over HTTPS to
// graph.facebook.com; sandbox mode speaks the same HTTP to the simulator in worker/sandbox/.
import type { Interactive } from '#common/interactive/interactive-rules';
import type { HeaderMedia } from '#common/templates/header-media';
import type { MetaSignupApi, SignupCallResult } from './signup-types';

export interface MetaCredentials {
  phoneNumberId: string;
  accessToken: string;
}

/** A template as asked for: `params` in variable order (array) or by name (object), or left to the mapping. */
export interface TemplateRequest {
  name: string;
  language: string;
  params?: string[] | Record<string, string>;
  /** The file of a photo, video or document header, when the send names one (else the template's default). */
  header_media?: HeaderMedia;
}

/** One parameter as Meta receives it; NAMED templates carry the variable's name. */
export interface TemplateParameter {
  value: string;
  name?: string;
}

/**
 * The template filled in for one person, fixed when the message is recorded so every retry sends the same
 * thing: what Meta receives (`header`/`body` parameters) and what the history shows (`text`, `values`).
 */
export interface ResolvedTemplate {
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  parameterFormat: 'POSITIONAL' | 'NAMED';
  /** Every variable's value, by variable name. */
  values: Record<string, string>;
  header: TemplateParameter[];
  body: TemplateParameter[];
  /** A photo, video or document header's file, its type the template's header format. */
  headerMedia?: HeaderMedia & { type: 'image' | 'video' | 'document' };
  /** URL parameters of buttons by position: an authentication template's one-time-password button takes the code. */
  buttons?: { index: number; parameters: TemplateParameter[] }[];
  /** The body (and text header) as the person reads them. */
  text: { header: string | null; body: string };
}

/**
 * A photo, document, video, voice note or sticker: a media id from our upload (`POST /{phone-number-id}/media`)
 * or a public link Meta fetches itself. `mime_type`, `size` (and a document's `filename`) are what the upload
 * recorded, kept so the history can show the file; Meta is sent only `id`/`link`, `caption` and `filename`.
 */
export interface OutboundMedia {
  type: 'image' | 'document' | 'video' | 'audio' | 'sticker';
  id?: string;
  link?: string;
  caption?: string;
  filename?: string;
  mime_type?: string;
  size?: number;
}

export type OutboundContent =
  | { kind: 'text'; text: string }
  | { kind: 'template'; template: TemplateRequest; resolved?: ResolvedTemplate }
  /** Reply buttons, a list or a link button: Meta's `interactive` object as checked by interactive-schema.ts. */
  | { kind: 'interactive'; interactive: Interactive }
  | { kind: 'media'; media: OutboundMedia };

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

/** A file on its way to Meta (`POST /{phone-number-id}/media`), streamed through, never held whole. */
export interface MediaUploadInput {
  mimeType: string;
  filename: string;
  body: ReadableStream<Uint8Array>;
}

export type UploadOutcome =
  | { kind: 'uploaded'; id: string }
  /** Meta refused the file, or the upload broke off (the body stream failed, a timeout): no media id. */
  | { kind: 'failed'; error: MetaError };

/** One ad lead's event for the Conversions API for business messaging (conversions-schema.ts has the wire shape). */
export interface ConversionEvent {
  name: 'LeadSubmitted' | 'Purchase';
  /** Ours, stable across retries: Meta counts one event per id. */
  id: string;
  /** When it happened (ms). */
  at: number;
  ctwaClid: string;
  wabaId: string | null;
  /** Purchase: what joining is worth. */
  value?: { currency: string; amount: number };
}

/** Meta took the events; or the failure as a send's (a timeout is `unknown`, yet safe to retry: ids de-duplicate). */
export type ConversionOutcome =
  | { kind: 'accepted'; eventsReceived: number }
  | Exclude<SendOutcome, { kind: 'accepted' }>;

/** A file for Meta's Resumable Upload API (a template header's sample): length and type are declared up front. */
export interface ResumableFile {
  name: string;
  /** Bytes; the body must be exactly this long. */
  length: number;
  /** application/pdf, image/jpeg, image/png or video/mp4. */
  type: string;
}

/**
 * Meta's Resumable Upload API (https://developers.facebook.com/docs/graph-api/guides/upload): a session on the
 * app, then the file's bytes into it, giving the handle a template's media header names as its sample
 * (`example.header_handle`). Results as Embedded Signup's calls: `reached: false` when Meta may not have had it.
 */
export interface ResumableUploadApi {
  /** `POST /{app-id}/uploads?file_name&file_length&file_type`: answers the session id, `upload:...`. */
  startUploadSession(
    app: { appId: string; accessToken: string },
    file: ResumableFile,
  ): Promise<SignupCallResult<{ sessionId: string }>>;
  /** `POST /{session-id}` with `Authorization: OAuth <token>`, `file_offset: 0` and the bytes: answers the handle. */
  uploadToSession(
    accessToken: string,
    sessionId: string,
    body: ReadableStream<Uint8Array> | Uint8Array,
  ): Promise<SignupCallResult<{ handle: string }>>;
}

/** Embedded Signup's calls (signup-types.ts) are Meta's too: one interface, one client, one simulator. */
export interface MetaApi extends MetaSignupApi, ResumableUploadApi {
  sendMessage(credentials: MetaCredentials, message: OutboundMessage): Promise<SendOutcome>;
  /** Marks an inbound message read (blue ticks). Best effort. */
  markRead(credentials: MetaCredentials, wamid: string): Promise<void>;
  /** Downloads an inbound media file: `GET /{media-id}` for its short-lived URL, then that URL, both with the token. */
  downloadMedia(credentials: MetaCredentials, mediaId: string): Promise<MediaDownload>;
  /** Uploads a file for this number to send (Meta keeps it 30 days): its media id, or why not. */
  uploadMedia(credentials: MetaCredentials, file: MediaUploadInput): Promise<UploadOutcome>;
  /** Reports ad leads' events to a dataset: `POST /{dataset-id}/events` (Conversions API for business messaging). */
  sendConversionEvents(accessToken: string, datasetId: string, events: ConversionEvent[]): Promise<ConversionOutcome>;
}
