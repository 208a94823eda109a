// A person: their profile, their history notes, a WhatsApp send to them and their opt-out.
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type PersonDetail = Schemas['PersonDetail'];
export type HistoryNote = Schemas['HistoryNote'];
export type HistoryFilter = 'all' | 'whatsapp_sent' | 'whatsapp_received';

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
