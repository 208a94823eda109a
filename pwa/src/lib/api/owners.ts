// Lead owners: who can own a person, setting one, and the inbox views' unread counts.
import { client, unwrap } from './client';
import type { components } from './schema';

export type Owner = components['schemas']['Owner'];
export type ConversationCounts = components['schemas']['ConversationCounts'];

export const listOwners = () => unwrap(client.GET('/api/v1/owners'));

/** Sets (or, with null, clears) the person's owner; a lost claim is an ApiFailure with code `already_owned`. */
export const setOwner = (personId: string, ownerUserId: string | null) =>
  unwrap(
    client.PATCH('/api/v1/people/{id}', { params: { path: { id: personId } }, body: { owner_user_id: ownerUserId } }),
  );

/** The views' unread counts, of one club's conversations when `club` is given. */
export const conversationCounts = (club?: string) =>
  unwrap(client.GET('/api/v1/conversations/counts', { params: { query: club ? { club } : {} } }));
