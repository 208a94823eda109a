// The clubs the logged-in user may see (their `club_ids`, or every club of the company), for the club filters
// and pickers. Screens show a club filter only when this holds more than one: a one-club gym, or someone limited
// to one club, has nothing to choose.
import { useEffect, useState } from 'preact/hooks';
import { type Club, loadClubs } from './api/clubs';
import { me } from './session';

/** The clubs of `all` that this user may see, oldest first (the server's order). */
export function clubsSeenBy(all: readonly Club[], clubIds: readonly string[] | null | undefined): Club[] {
  return clubIds ? all.filter((c) => clubIds.includes(c.id)) : [...all];
}

/** Null until the company's clubs are loaded (once per app session, lib/api/clubs.ts). */
export function useClubs(): Club[] | null {
  const [clubs, setClubs] = useState<Club[] | null>(null);
  const clubIds = me.value?.club_ids;
  useEffect(() => {
    let current = true;
    loadClubs()
      .then((all) => current && setClubs(clubsSeenBy(all, clubIds)))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [JSON.stringify(clubIds ?? null)]);
  return clubs;
}

/** A club's name for an id, or null when unknown (not loaded, or not one this user may see). */
export const clubName = (clubs: readonly Club[] | null, id: string | null): string | null =>
  clubs?.find((c) => c.id === id)?.name ?? null;
