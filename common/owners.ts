// Who may change a lead's owner, for the worker (auth/permissions.ts, which every write asks) and the app (which
// offers only the actions this allows). Pure: the caller says whether they may assign anyone (the
// `assign_owners` permission: API keys, admins, managers and staff) and who they are. To whom is scope.ts's
// `mayOwn`: the new owner must be allowed to see the person.

export interface OwnerChanger {
  /** May set any owner, or none, on anyone. */
  mayAssign: boolean;
  /** The staff member's user id; null for an API key. */
  userId: string | null;
}

/**
 * Anyone with `mayAssign`: any change. Everyone else (salespeople): claim an unowned person for themselves, or
 * release one they own. Reassigning someone else's lead is for staff, managers and admins.
 */
export function ownerChangeAllowed(who: OwnerChanger, from: string | null, to: string | null): boolean {
  if (who.mayAssign) return true;
  if (who.userId === null) return false;
  return (from === null && to === who.userId) || (from === who.userId && to === null);
}

/** The actions the app offers on a person, given their owner. */
export function ownerActions(
  who: OwnerChanger,
  owner: string | null,
): { assign: boolean; claim: boolean; release: boolean } {
  const me = who.userId;
  return {
    assign: who.mayAssign,
    claim: me !== null && owner === null,
    release: me !== null && owner === me,
  };
}
