// The inbox: conversation rows, a conversation's messages, read marks, and the live events (the catch-up
// read and the socket's URL).
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type Conversation = Schemas['Conversation'];
export type InboxMessage = Schemas['InboxMessage'];
export type InboxEvents = Schemas['InboxEvents'];

export interface InboxFilters {
  q?: string;
  unread?: boolean;
  window_open?: boolean;
  opted_out?: boolean;
  /** The view: people the logged-in user owns, or nobody owns; absent: all. */
  owner?: 'me' | 'none';
  /** One club's people (a club id); absent: every club the user may see. */
  club?: string;
  /** People in any of these stages / wearing any of these labels (ids); empty or absent: no filter. */
  stages?: readonly string[];
  labels?: readonly string[];
  /** The Mentions view: conversations with notes mentioning the logged-in user that they have not read. */
  mentions?: boolean;
  /** People who came from any click-to-WhatsApp ad, or from one ad (Meta's ad id). */
  source?: 'ad';
  ad?: string;
}

/** Several ids as the server takes them: one value, comma-separated. */
const idList = (ids: readonly string[] | undefined) => (ids?.length ? ids.join(',') : undefined);

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
          owner: f.owner,
          club: f.club,
          stage: idList(f.stages),
          label: idList(f.labels),
          mentions: f.mentions ? 'me' : undefined,
          source: f.source,
          ad: f.ad,
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
