// The one way the app talks to the worker. Paths, bodies and answers are typed from the worker's OpenAPI
// document (schema.d.ts, `npm run api:types`); pages call these functions, never fetch() with a string.

import { signal } from '@preact/signals';
import createClient from 'openapi-fetch';
import { bodyText } from '#common/templates/components';
import type { Template } from '../../components/template-picker/templates';
import { forgetSavedAnswers } from '../saved-answers';
import type { components, paths } from './schema';

type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type PersonDetail = Schemas['PersonDetail'];
export type HistoryNote = Schemas['HistoryNote'];
export type HistoryFilter = 'all' | 'whatsapp_sent' | 'whatsapp_received';

/** A refusal or failure, with the server's code and its reason in words. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Set to true by any 401: the session ended (logout elsewhere, expiry); the app shows the login page. */
export const sessionLost = signal(false);

/** Shared by the per-area API files (templates.ts, automations.ts, settings.ts...). */
export const client = createClient<paths>({ baseUrl: globalThis.location?.origin ?? '' });

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export function failureOf(status: number, error: unknown): ApiFailure {
  const e = typeof error === 'object' && error !== null && 'error' in error ? error.error : null;
  if (typeof e === 'object' && e !== null && 'code' in e && 'message' in e)
    return new ApiFailure(status, String(e.code), String(e.message));
  return new ApiFailure(status, 'http_error', `The server answered ${status}`);
}

export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await call;
  } catch {
    throw new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again');
  }
  if (answer.response.status === 401) sessionLost.value = true;
  if (answer.error !== undefined || !answer.response.ok) throw failureOf(answer.response.status, answer.error);
  return answer.data as T;
}

// --- session ---------------------------------------------------------------------------------------------

export async function login(email: string, password: string): Promise<Me> {
  const me = await unwrap(client.POST('/api/auth/login', { body: { email, password } }));
  // The previous session's saved answers (offline reading) must never show under this one; and who is logged
  // in is read once through the service worker, so an app restarted with no signal opens as this staff member.
  await forgetSavedAnswers();
  void client.GET('/api/auth/me').catch(() => undefined);
  sessionLost.value = false;
  return me;
}

export async function logout(): Promise<unknown> {
  try {
    return await unwrap(client.POST('/api/auth/logout', {}));
  } finally {
    await forgetSavedAnswers();
  }
}

/** The logged-in staff member, or null when nobody is (401). */
export async function currentUser(): Promise<Me | null> {
  try {
    return await unwrap(client.GET('/api/auth/me'));
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 401) return null;
    throw err;
  }
}

// --- people, history, sends ------------------------------------------------------------------------------

export const getPerson = (id: string): Promise<PersonDetail> =>
  unwrap(client.GET('/api/v1/people/{id}', { params: { path: { id } } }));

/** The latest notes; `cursor` (a page's `next_cursor`) for the ones before them. */
export async function getHistory(id: string, filter: HistoryFilter, cursor?: string) {
  const query = { per_page: 50, ...(cursor ? { cursor } : {}), ...(filter === 'all' ? {} : { filter }) };
  return unwrap(client.GET('/api/v1/people/{id}/history', { params: { path: { id }, query } }));
}

export interface TemplateSend {
  name: string;
  language: string;
  params: string[];
}

/** One send; the key makes a retry of the same tap harmless (the server replays its first answer). */
export function sendWhatsapp(
  id: string,
  message: { text: string } | { template: TemplateSend },
  idempotencyKey: string,
): Promise<HistoryNote> {
  return unwrap(
    client.POST('/api/v1/people/{id}/whatsapp/messages', {
      params: { path: { id }, header: { 'idempotency-key': idempotencyKey } },
      body: message,
    }),
  );
}

export const optOut = (id: string) =>
  unwrap(client.POST('/api/v1/people/{id}/whatsapp/opt-out', { params: { path: { id } } }));

// --- inbox -----------------------------------------------------------------------------------------------

export type Conversation = Schemas['Conversation'];
export type InboxMessage = Schemas['InboxMessage'];
export type InboxEvents = Schemas['InboxEvents'];

export interface InboxFilters {
  q?: string;
  unread?: boolean;
  window_open?: boolean;
  opted_out?: boolean;
}

const flag = (v: boolean | undefined) => (v ? ('true' as const) : undefined);

/** The server searches from two characters: one would match a tenth of a gym chain. */
export const MIN_SEARCH = 2;

/** A page of the inbox; `cursor` (the page before's `next_cursor`) for the conversations after it. */
export const listConversations = (f: InboxFilters, cursor?: string) => {
  const q = f.q?.trim();
  return unwrap(
    client.GET('/api/v1/conversations', {
      params: {
        query: {
          q: q && q.length >= MIN_SEARCH ? q : undefined,
          unread: flag(f.unread),
          window_open: flag(f.window_open),
          opted_out: flag(f.opted_out),
          per_page: 50,
          ...(cursor ? { cursor } : {}),
        },
      },
    }),
  );
};

export const getConversation = (personId: string) =>
  unwrap(client.GET('/api/v1/conversations/{person_id}', { params: { path: { person_id: personId } } }));

export const listMessages = (personId: string) =>
  unwrap(
    client.GET('/api/v1/conversations/{person_id}/messages', {
      params: { path: { person_id: personId }, query: { per_page: 100 } },
    }),
  );

export const markRead = (personId: string) =>
  unwrap(
    client.POST('/api/v1/conversations/{person_id}/read', { params: { path: { person_id: personId } }, body: {} }),
  );

export const markUnread = (personId: string) =>
  unwrap(
    client.POST('/api/v1/conversations/{person_id}/unread', { params: { path: { person_id: personId } }, body: {} }),
  );

export const eventsSince = (since: number) => unwrap(client.GET('/api/v1/events', { params: { query: { since } } }));

/** The live socket's URL (same origin; the session cookie authenticates the upgrade). */
export function liveUrl(): string {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/api/v1/live`;
}

// --- templates -------------------------------------------------------------------------------------------

/** The company's approved templates, as the picker shows them (staff may read them; managers change them). */
export async function listTemplates(): Promise<Template[]> {
  const page = await unwrap(
    client.GET('/api/v1/whatsapp/templates', { params: { query: { status: 'APPROVED', per_page: 100 } } }),
  );
  return page.collection.map((t) => ({
    id: t.id,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status.toUpperCase(),
    body: bodyText(t.components) ?? '',
    variables: t.variables,
  }));
}

/** The server's value for each variable of a template for this person (its variable map), by name. */
export async function previewTemplate(templateId: string, personId: string): Promise<Record<string, string>> {
  const preview = await unwrap(
    client.POST('/api/v1/whatsapp/templates/{id}/preview', {
      params: { path: { id: templateId } },
      body: { person_id: personId },
    }),
  );
  return Object.fromEntries(Object.entries(preview.params).filter(([, v]) => v !== ''));
}

// --- sandbox (hidden from the OpenAPI document: only in sandbox mode) --------------------------------------

async function sandboxPost(path: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again');
  }
  if (res.status === 401) sessionLost.value = true;
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) throw failureOf(res.status, json);
  return json;
}

/** Play the customer: the simulator sends us a signed webhook as if `from` wrote on WhatsApp. */
export const sandboxInbound = (m: { from: string; text: string; name?: string }) => sandboxPost('/sandbox/inbound', m);

/** The sandbox clock: moves the person's last message back past 24 hours, so the reply window closes. */
export const sandboxExpireWindow = (personId: string) =>
  sandboxPost(`/sandbox/people/${encodeURIComponent(personId)}/expire-window`, {});

/** Play Meta's reviewer for a pending template: the simulator sends us the status webhook before answering. */
export const sandboxReviewTemplate = (t: { name: string; language: string }, event: 'APPROVED' | 'REJECTED') =>
  sandboxPost('/sandbox/templates/status', {
    name: t.name,
    language: t.language,
    event,
    ...(event === 'REJECTED' ? { reason: 'INVALID_FORMAT' } : {}),
  });
