// A person: their profile, their history notes, a WhatsApp send to them, their opt-out, and their data requests.
import type { Interactive } from '#common/interactive/interactive-rules';
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type PersonDetail = Schemas['PersonDetail'];
export type HistoryNote = Schemas['HistoryNote'];
export type HistoryFilter = 'all' | 'whatsapp_sent' | 'whatsapp_received' | 'note';

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
  /** A photo, video or document header's file for this send (an upload's id); left out, the template's own. */
  header_media?: { id: string };
}

/** A photo, document, video or voice note: an upload's id (lib/api/media.ts) or a link. */
export type MediaSend = NonNullable<Schemas['WhatsappSend']['media']>;

/** One send; the key makes a retry of the same tap harmless (the server replays its first answer). */
export function sendWhatsapp(
  id: string,
  message: { text: string } | { template: TemplateSend } | { interactive: Interactive } | { media: MediaSend },
  idempotencyKey: string,
): Promise<HistoryNote> {
  return unwrap(
    client.POST('/api/v1/people/{id}/whatsapp/messages', {
      params: { path: { id }, header: { 'idempotency-key': idempotencyKey } },
      body: message,
    }),
  );
}

/** Moves the person to another club (422 `unknown_club`, or `owner_not_in_club` when their owner may not follow). */
export const setClub = (id: string, clubId: string) =>
  unwrap(client.PATCH('/api/v1/people/{id}', { params: { path: { id } }, body: { club_id: clubId } }));

/** Moves the person along the pipeline (null: out of it); refused in words, e.g. `stage_changed` meanwhile. */
export const setStage = (id: string, stageId: string | null) =>
  unwrap(client.PATCH('/api/v1/people/{id}', { params: { path: { id } }, body: { stage: stageId } }));

export const optOut = (id: string) =>
  unwrap(client.POST('/api/v1/people/{id}/whatsapp/opt-out', { params: { path: { id } } }));

// --- a person's data requests (admins) -------------------------------------------------------------------

export interface PersonExportFile {
  blob: Blob;
  filename: string;
}

/** The server's file name (Content-Disposition), or one made from the id when it is missing. */
export function exportFilenameOf(disposition: string | null, personId: string): string {
  const name = disposition?.match(/filename="([^"]+)"/)?.[1];
  return name ?? `clubchat-person-${personId}.json`;
}

/** Everything held about the person, as the JSON file the server streams (never parsed here: it can be large). */
export async function exportPerson(id: string): Promise<PersonExportFile> {
  const call = client.GET('/api/v1/people/{id}/export', { params: { path: { id } }, parseAs: 'blob' });
  const blob = await unwrap(call);
  const { response } = await call;
  return { blob, filename: exportFilenameOf(response.headers.get('Content-Disposition'), id) };
}

export const erasePerson = (id: string) =>
  unwrap(client.POST('/api/v1/people/{id}/erase', { params: { path: { id } }, body: { confirm: true } }));
