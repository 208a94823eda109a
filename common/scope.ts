// Who may see which people: the one rule, for the worker (auth/scope-sql.ts turns it into the lists' SQL, and
// people/service.ts's getPerson asks it of every per-person route) and the app (which offers as owners only
// users this allows). Pure: no I/O, no framework.
//
// Two limits, either or both:
// - clubs (`users.club_ids`): only people whose home club is one of them; null means every club;
// - own only (the `salesperson` role): only the people they own, and leads nobody owns yet (which they may claim).
// API keys and users with neither limit see the whole company.

export interface Scope {
  /** The clubs whose people may be seen; null: every club of the company. Never empty (empty is stored as null). */
  clubIds: readonly string[] | null;
  /** A salesperson's user id: only their own people and unowned leads; null: anyone's. */
  ownOnly: string | null;
}

export const UNSCOPED: Scope = { clubIds: null, ownOnly: null };

/** The person's fields the rule reads. */
export interface ScopedPerson {
  clubId: string | null;
  ownerUserId: string | null;
  status: string;
}

/** A user's scope, from their row (or session): their role and the clubs they are limited to. */
export function scopeOf(user: { id: string; role: string; clubIds: readonly string[] | null }): Scope {
  return {
    clubIds: user.clubIds && user.clubIds.length > 0 ? user.clubIds : null,
    ownOnly: user.role === 'salesperson' ? user.id : null,
  };
}

export const isScoped = (scope: Scope): boolean => scope.clubIds !== null || scope.ownOnly !== null;

/** Whether people of this club may be seen at all (a person with no club, which a trigger prevents, only unlimited). */
export function clubVisible(scope: Scope, clubId: string | null): boolean {
  return scope.clubIds === null || (clubId !== null && scope.clubIds.includes(clubId));
}

/** Whether someone of this scope may see (and so search, message, export...) this person. */
export function visible(scope: Scope, person: ScopedPerson): boolean {
  if (!clubVisible(scope, person.clubId)) return false;
  if (scope.ownOnly === null) return true;
  return person.ownerUserId === scope.ownOnly || (person.ownerUserId === null && person.status === 'lead');
}

/**
 * Whether a user may own this person: they must be allowed to see them once they own them, which is `visible`
 * with them as the owner. Owning is what lets a salesperson see someone, so only the owner's clubs can stand in
 * the way: the person's status plays no part, and the app asks with the club alone.
 */
export function mayOwn(
  owner: { id: string; role: string; clubIds: readonly string[] | null },
  person: Pick<ScopedPerson, 'clubId'>,
): boolean {
  return visible(scopeOf(owner), { clubId: person.clubId, ownerUserId: owner.id, status: 'any' });
}
