// The company's clubs: every screen that filters or picks by club reads them (once per app session, like the
// owners list), and the Clubs settings screen changes them (admins).
import { client, unwrap } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type Club = Schemas['Club'];
export type ClubCreate = Schemas['ClubCreate'];
export type ClubUpdate = Schemas['ClubUpdate'];
export type Assignment = Club['assignment'];

/** A fresh read, for the Clubs settings screen. */
export const listClubs = async (): Promise<Club[]> => (await unwrap(client.GET('/api/v1/clubs'))).collection;

let clubs: Promise<Club[]> | null = null;

/** Read once per app session; a change on the Clubs screen clears it. A failure is not kept. */
export function loadClubs(): Promise<Club[]> {
  if (!clubs) {
    clubs = listClubs();
    clubs.catch(() => {
      clubs = null;
    });
  }
  return clubs;
}

export const createClub = async (body: ClubCreate): Promise<Club> => {
  clubs = null;
  return unwrap(client.POST('/api/v1/clubs', { body }));
};

export const updateClub = async (id: string, body: ClubUpdate): Promise<Club> => {
  clubs = null;
  return unwrap(client.PATCH('/api/v1/clubs/{id}', { params: { path: { id } }, body }));
};
