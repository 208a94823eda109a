// Internal notes on a person and who the @ list offers (worker/notes/).
import { client, unwrap } from './client';
import type { components } from './schema';

export type MentionableUser = components['schemas']['MentionableUser'];

/** Adds a note; `text` carries mentions as @[usr_…] tokens (#common/mentions `tokenizeMentions`). */
export const addNote = (personId: string, text: string) =>
  unwrap(client.POST('/api/v1/people/{id}/notes', { params: { path: { id: personId } }, body: { text } }));

/** The users who may see this person, so may be mentioned on their notes (the caller left out). */
export const listMentionable = (personId: string) =>
  unwrap(client.GET('/api/v1/people/{id}/mentionable', { params: { path: { id: personId } } }));
