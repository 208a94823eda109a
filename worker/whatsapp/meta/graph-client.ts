import { MEDIA_RULES } from '#common/media';
import { classifyMetaFailure } from '../policy';
import { type ConversionsRequest, conversionsAnswerSchema } from './conversions-schema';
import { resumableUploadCalls } from './resumable-upload';
import {
  graphErrorBodySchema,
  type InteractiveSendBody,
  type MarkReadBody,
  type MediaSendBody,
  mediaInfoSchema,
  type SendBody,
  sendAnswerSchema,
  type TemplateSendBody,
  type TextSendBody,
  uploadAnswerSchema,
} from './send-schema';
import { signupCalls } from './signup-calls';
import type {
  ConversionEvent,
  MediaDownload,
  MetaApi,
  MetaCredentials,
  MetaError,
  OutboundContent,
  OutboundMessage,
  ResolvedTemplate,
  SendOutcome,
  TemplateParameter,
} from './types';
import { multipartUploadBody } from './upload-body';

// The production MetaApi: Meta's Graph API over HTTP. Sandbox mode points the same client at the simulator,
// so everything below runs in tests exactly as it runs against graph.facebook.com.

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com/v23.0 (no trailing slash needed). */
  baseUrl: string;
  fetch: (request: Request) => Promise<Response>;
  timeoutMs: number;
  /** Clock for Retry-After HTTP dates; tests pass their own. */
  now?: () => number;
  /** A whole upload (a 100 MB document on a slow uplink) may take minutes; default UPLOAD_TIMEOUT_MS. */
  uploadTimeoutMs?: number;
}

/** Long enough for 100 MB at about 3 Mbit/s. */
export const UPLOAD_TIMEOUT_MS = 5 * 60 * 1000;

export function textBody(message: OutboundMessage & { content: { kind: 'text' } }): TextSendBody {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type: 'text',
    // Links in sales messages must not expand into previews we did not choose.
    text: { body: message.content.text, preview_url: false },
    biz_opaque_callback_data: message.callbackData,
  };
}

const textParameters = (params: readonly TemplateParameter[]) =>
  params.map((p) => ({ type: 'text' as const, text: p.value, ...(p.name ? { parameter_name: p.name } : {}) }));

/** A media header's file: its id or link, and a document's file name (Meta takes no caption here). */
function headerMediaParameter(m: NonNullable<ResolvedTemplate['headerMedia']>) {
  const file = m.id !== undefined ? { id: m.id } : { link: m.link ?? '' };
  switch (m.type) {
    case 'image':
      return { type: 'image' as const, image: file };
    case 'video':
      return { type: 'video' as const, video: file };
    case 'document':
      return { type: 'document' as const, document: { ...file, ...(m.filename ? { filename: m.filename } : {}) } };
  }
}

/** The header and body components Meta expects; a NAMED parameter carries its `parameter_name`. */
function templateComponents(
  content: OutboundContent & { kind: 'template' },
): TemplateSendBody['template']['components'] {
  const { resolved } = content;
  if (!resolved) {
    // Not filled in from a stored template (contract tests, old queued rows): positional body values as given.
    const params = Array.isArray(content.template.params) ? content.template.params : [];
    return params.length ? [{ type: 'body', parameters: textParameters(params.map((value) => ({ value }))) }] : [];
  }
  return [
    ...(resolved.headerMedia
      ? [{ type: 'header' as const, parameters: [headerMediaParameter(resolved.headerMedia)] }]
      : resolved.header.length
        ? [{ type: 'header' as const, parameters: textParameters(resolved.header) }]
        : []),
    ...(resolved.body.length ? [{ type: 'body' as const, parameters: textParameters(resolved.body) }] : []),
    ...(resolved.buttons ?? []).map((b) => ({
      type: 'button' as const,
      sub_type: 'url',
      index: String(b.index),
      parameters: textParameters(b.parameters),
    })),
  ];
}

export function templateBody(message: OutboundMessage & { content: { kind: 'template' } }): TemplateSendBody {
  const { name, language } = message.content.template;
  const components = templateComponents(message.content) ?? [];
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type: 'template',
    template: {
      name,
      language: { code: language },
      // An empty parameters array is itself a 132000 mismatch for a template without variables: omit it.
      ...(components.length ? { components } : {}),
    },
    biz_opaque_callback_data: message.callbackData,
  };
}

/** Meta is sent the file's id or link, and a caption and file name only where it allows them. */
export function mediaBody(message: OutboundMessage & { content: { kind: 'media' } }): MediaSendBody {
  const m = message.content.media;
  const object = {
    ...(m.id !== undefined ? { id: m.id } : { link: m.link ?? '' }),
    ...(m.caption && MEDIA_RULES[m.type].caption ? { caption: m.caption } : {}),
    ...(m.filename && MEDIA_RULES[m.type].filename ? { filename: m.filename } : {}),
  };
  const envelope = {
    messaging_product: 'whatsapp' as const,
    recipient_type: 'individual' as const,
    to: message.to,
    biz_opaque_callback_data: message.callbackData,
  };
  switch (m.type) {
    case 'image':
      return { ...envelope, type: 'image', image: object };
    case 'video':
      return { ...envelope, type: 'video', video: object };
    case 'document':
      return { ...envelope, type: 'document', document: object };
    case 'audio':
      return { ...envelope, type: 'audio', audio: object };
    case 'sticker':
      return { ...envelope, type: 'sticker', sticker: object };
  }
}

export function interactiveBody(message: OutboundMessage & { content: { kind: 'interactive' } }): InteractiveSendBody {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: message.to,
    type: 'interactive',
    interactive: message.content.interactive,
    biz_opaque_callback_data: message.callbackData,
  };
}

export function sendBody(message: OutboundMessage): SendBody {
  const { content } = message;
  switch (content.kind) {
    case 'text':
      return textBody({ ...message, content });
    case 'template':
      return templateBody({ ...message, content });
    case 'interactive':
      return interactiveBody({ ...message, content });
    case 'media':
      return mediaBody({ ...message, content });
  }
}

/** Conversions API events as Meta takes them for WhatsApp: the ad click id, and the WABA when known. */
export function conversionsBody(events: readonly ConversionEvent[]): ConversionsRequest {
  return {
    data: events.map((e) => ({
      event_name: e.name,
      event_time: Math.floor(e.at / 1000),
      event_id: e.id,
      action_source: 'business_messaging',
      messaging_channel: 'whatsapp',
      user_data: { ...(e.wabaId ? { whatsapp_business_account_id: e.wabaId } : {}), ctwa_clid: e.ctwaClid },
      ...(e.value ? { custom_data: { currency: e.value.currency, value: e.value.amount } } : {}),
    })),
  };
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Meta's messages read "(#131047) Re-engagement message"; the part after the code is the title. */
function titleOf(message: string): string {
  return message.replace(/^\(#\d+\)\s*/, '') || message;
}

/** Proxies and outages answer HTML or nothing: a body that is not JSON is simply not Meta's answer. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function classifyError(status: number, text: string, retryAfterHeader: string | null, now: number): SendOutcome {
  const parsed = graphErrorBodySchema.safeParse(parseJson(text));
  const error: MetaError = parsed.success
    ? {
        code: parsed.data.error.code,
        title: parsed.data.error.error_user_title ?? titleOf(parsed.data.error.message),
        message: parsed.data.error.message,
        details: parsed.data.error.error_data?.details,
        httpStatus: status,
        fbtraceId: parsed.data.error.fbtrace_id,
      }
    : // Not Meta's shape (a proxy or load balancer answered): only the HTTP status can guide us.
      { code: status, title: `HTTP ${status}`, message: text.slice(0, 200), httpStatus: status };
  const kind = classifyMetaFailure(status, parsed.success ? parsed.data.error.code : undefined);
  if (kind === 'retry') {
    const retryAfterMs = parseRetryAfter(retryAfterHeader, now);
    return retryAfterMs === undefined ? { kind: 'retryable', error } : { kind: 'retryable', error, retryAfterMs };
  }
  return { kind, error };
}

const TIMEOUT_ERROR: MetaError = {
  code: 0,
  title: 'Timed out',
  message: 'No answer from Meta in time; the message may or may not have been sent',
};

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

export function createGraphClient(options: GraphClientOptions): MetaApi {
  const base = options.baseUrl.replace(/\/+$/, '');
  const now = options.now ?? Date.now;

  /** One POST with the whole exchange (headers and body) under the timeout. */
  async function post(credentials: MetaCredentials, body: unknown): Promise<{ res: Response; text: string }> {
    const request = new Request(`${base}/${encodeURIComponent(credentials.phoneNumberId)}/messages`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${credentials.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      // Verified: the signal also cuts short a loopback call into the simulator (exports.default.fetch).
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const res = await options.fetch(request);
    return { res, text: await res.text() };
  }

  /** GET with the bearer token; the timeout covers the headers, the body streams to the caller. */
  async function get(credentials: MetaCredentials, url: string): Promise<Response> {
    return options.fetch(
      new Request(url, {
        headers: { Authorization: `Bearer ${credentials.accessToken}` },
        signal: AbortSignal.timeout(options.timeoutMs),
      }),
    );
  }

  async function failure(res: Response): Promise<MediaDownload> {
    const text = await res.text();
    const parsed = graphErrorBodySchema.safeParse(parseJson(text));
    // Graph answers an unknown or expired media id with 400/404 and code 100.
    if (res.status === 404 || (parsed.success && parsed.data.error.code === 100)) return { kind: 'not_found' };
    const error: MetaError = parsed.success
      ? { code: parsed.data.error.code, title: titleOf(parsed.data.error.message), httpStatus: res.status }
      : { code: res.status, title: `HTTP ${res.status}`, httpStatus: res.status };
    return { kind: 'failed', error };
  }

  return {
    // Embedded Signup: the code exchange, register, subscribe, the number's name (signup-calls.ts).
    ...signupCalls(options),
    // A template header's sample: Meta's Resumable Upload API (resumable-upload.ts).
    ...resumableUploadCalls({ ...options, uploadTimeoutMs: options.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS }),
    async uploadMedia(credentials, file) {
      const { contentType, body } = multipartUploadBody(file);
      let res: Response;
      let text: string;
      try {
        res = await options.fetch(
          new Request(`${base}/${encodeURIComponent(credentials.phoneNumberId)}/media`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${credentials.accessToken}`, 'Content-Type': contentType },
            body,
            signal: AbortSignal.timeout(options.uploadTimeoutMs ?? UPLOAD_TIMEOUT_MS),
          }),
        );
        text = await res.text();
      } catch (err) {
        // The file's own stream failing (too large, the client went away) lands here too: no media id was made.
        const title = isAbort(err) ? 'Timed out' : 'Upload broke off';
        return { kind: 'failed', error: { code: 0, title, message: err instanceof Error ? err.message : String(err) } };
      }
      const answer = res.ok ? uploadAnswerSchema.safeParse(parseJson(text)) : null;
      if (answer?.success) return { kind: 'uploaded', id: answer.data.id };
      const parsed = graphErrorBodySchema.safeParse(parseJson(text));
      const error: MetaError = parsed.success
        ? {
            code: parsed.data.error.code,
            title: parsed.data.error.error_user_title ?? titleOf(parsed.data.error.message),
            message: parsed.data.error.message,
            details: parsed.data.error.error_data?.details,
            httpStatus: res.status,
          }
        : { code: res.status, title: res.ok ? 'Unreadable answer' : `HTTP ${res.status}`, httpStatus: res.status };
      return { kind: 'failed', error };
    },

    async downloadMedia(credentials, mediaId) {
      try {
        const info = await get(credentials, `${base}/${encodeURIComponent(mediaId)}`);
        if (!info.ok) return await failure(info);
        const described = mediaInfoSchema.safeParse(parseJson(await info.text()));
        if (!described.success)
          return { kind: 'failed', error: { code: info.status, title: 'Unreadable media answer' } };
        const file = await get(credentials, described.data.url);
        if (!file.ok) return await failure(file);
        const length = Number(file.headers.get('Content-Length') ?? described.data.file_size ?? Number.NaN);
        return {
          kind: 'ok',
          body: file.body,
          mimeType: file.headers.get('Content-Type') ?? described.data.mime_type ?? 'application/octet-stream',
          size: Number.isFinite(length) ? length : null,
        };
      } catch (err) {
        const title = isAbort(err) ? 'Timed out' : 'Network error';
        return { kind: 'failed', error: { code: 0, title, message: err instanceof Error ? err.message : String(err) } };
      }
    },

    async sendMessage(credentials, message) {
      let exchange: { res: Response; text: string };
      try {
        exchange = await post(credentials, sendBody(message));
      } catch (err) {
        // Meta has no idempotency key: a request that timed out may have been accepted, so never resend blindly.
        if (isAbort(err)) return { kind: 'unknown', error: TIMEOUT_ERROR };
        // Workers cannot tell "never left" from "Network connection lost" after Meta had it, so neither is
        // resent: the status webhook (matched by our callback data) tells what happened.
        const reason = err instanceof Error ? err.message : String(err);
        return { kind: 'unknown', error: { code: 0, title: 'Network error', message: reason } };
      }
      const { res, text } = exchange;
      if (!res.ok) return classifyError(res.status, text, res.headers.get('Retry-After'), now());
      const answer = sendAnswerSchema.safeParse(parseJson(text));
      const wamid = answer.success ? answer.data.messages[0]?.id : undefined;
      const waId = answer.success ? answer.data.contacts[0]?.wa_id : undefined;
      if (wamid) return waId ? { kind: 'accepted', wamid, waId } : { kind: 'accepted', wamid };
      // A 2xx without a wamid: Meta may well have accepted it, so this is no safer to resend than a timeout.
      return {
        kind: 'unknown',
        error: { code: res.status, title: 'Unreadable answer', message: text.slice(0, 200), httpStatus: res.status },
      };
    },

    async sendConversionEvents(accessToken, datasetId, events) {
      let exchange: { res: Response; text: string };
      try {
        const res = await options.fetch(
          new Request(`${base}/${encodeURIComponent(datasetId)}/events`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
            body: JSON.stringify(conversionsBody(events)),
            signal: AbortSignal.timeout(options.timeoutMs),
          }),
        );
        exchange = { res, text: await res.text() };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        return {
          kind: 'unknown',
          error: isAbort(err) ? TIMEOUT_ERROR : { code: 0, title: 'Network error', message: reason },
        };
      }
      const { res, text } = exchange;
      if (!res.ok) {
        const outcome = classifyError(res.status, text, res.headers.get('Retry-After'), now());
        return outcome.kind === 'accepted' ? { kind: 'unknown', error: TIMEOUT_ERROR } : outcome;
      }
      const answer = conversionsAnswerSchema.safeParse(parseJson(text));
      if (answer.success) return { kind: 'accepted', eventsReceived: answer.data.events_received };
      return {
        kind: 'unknown',
        error: { code: res.status, title: 'Unreadable answer', message: text.slice(0, 200), httpStatus: res.status },
      };
    },

    async markRead(credentials, wamid) {
      const body: MarkReadBody = { messaging_product: 'whatsapp', status: 'read', message_id: wamid };
      try {
        const { res, text } = await post(credentials, body);
        if (!res.ok) console.warn('meta markRead refused', res.status, text.slice(0, 200));
      } catch (err) {
        // Blue ticks are a courtesy: never let them fail the work that asked for them.
        console.warn('meta markRead failed', err instanceof Error ? err.message : String(err));
      }
    },
  };
}
