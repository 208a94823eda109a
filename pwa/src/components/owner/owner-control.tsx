// A person's owner, and what the logged-in staff member may do about it (common/owners.ts, the worker's rule):
// "Claim" an unowned lead, "Release" their own, or, for staff, managers and admins, "Assign to…" anyone active
// who may see the person (#common/scope `mayOwn`: their clubs include the person's) or nobody. Salespeople only
// claim and release. The buttons are menu items where a menu holds them (the profile's Action menu, the chat's bar).

import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { ownerActions } from '#common/owners';
import { mayOwn } from '#common/scope';
import { listOwners, type Owner, setOwner } from '../../lib/api/owners';
import { can, me } from '../../lib/session';
import { Modal } from '../dialog/confirm-dialog';

/** The company's active users, loaded once per app start (who can own a lead rarely changes mid-shift). */
const owners = signal<Owner[] | null>(null);
let requested = false;

export function useOwners(): Owner[] | null {
  useEffect(() => {
    if (requested) return;
    requested = true;
    listOwners()
      .then((page) => {
        owners.value = page.collection;
      })
      .catch(() => {
        requested = false;
      });
  }, []);
  return owners.value;
}

/** Tests start each case with nothing loaded. */
export function forgetOwners(): void {
  owners.value = null;
  requested = false;
}

/** "Sam" for a user id, "you" for the logged-in user, "Unassigned" for none. */
export function ownerName(ownerId: string | null, list: readonly Owner[] | null): string {
  if (ownerId === null) return 'Unassigned';
  if (ownerId === me.value?.user.id) return 'You';
  return list?.find((o) => o.id === ownerId)?.name ?? 'A former user';
}

export function OwnerLabel(props: { ownerId: string | null }) {
  const list = useOwners();
  return (
    <span class="owner-label" data-testid="owner-label">
      {ownerName(props.ownerId, list)}
    </span>
  );
}

export interface OwnerChoice {
  /** What the logged-in user may do here (common/owners.ts). */
  actions: { assign: boolean; claim: boolean; release: boolean };
  busy: boolean;
  claim: () => void;
  release: () => void;
  openAssign: () => void;
  /** The "Assign to" dialog and any refusal: render outside a menu, so closing the menu keeps them. */
  panel: preact.JSX.Element;
}

/**
 * The owner actions for one person of club `clubId`. `onChanged` gets the new owner once the server has it; a
 * lost claim shows the server's reason ("Someone else claimed this person first").
 */
export function useOwnerChoice(
  personId: string,
  ownerId: string | null,
  clubId: string | null,
  onChanged: (owner: string | null) => void,
): OwnerChoice {
  const everyone = useOwners();
  // Only users who could see the person once theirs, as the server checks (422 owner_not_in_club otherwise).
  const list = everyone?.filter((o) => mayOwn({ id: o.id, role: o.role, clubIds: o.club_ids }, { clubId })) ?? null;
  const [assigning, setAssigning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const userId = me.value?.user.id ?? null;
  const actions = ownerActions({ mayAssign: can('assign_owners'), userId }, ownerId);

  const change = (to: string | null) => {
    setAssigning(false);
    setBusy(true);
    setError(null);
    setOwner(personId, to)
      .then((person) => onChanged(person.owner_user_id))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Could not change the owner'))
      .finally(() => setBusy(false));
  };

  const panel = (
    <>
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      {assigning && (
        <Modal title="Assign to" onClose={() => setAssigning(false)}>
          {list === null ? (
            <p class="muted" aria-busy="true">
              Loading…
            </p>
          ) : (
            <ul class="owner-choices" aria-label="People who can own this lead">
              {list.map((o) => (
                <li key={o.id}>
                  <button
                    type="button"
                    class="owner-choice"
                    aria-pressed={o.id === ownerId}
                    onClick={() => change(o.id)}
                  >
                    {o.id === userId ? `${o.name} (you)` : o.name}
                  </button>
                </li>
              ))}
              <li>
                <button type="button" class="owner-choice" aria-pressed={ownerId === null} onClick={() => change(null)}>
                  Nobody
                </button>
              </li>
            </ul>
          )}
        </Modal>
      )}
    </>
  );
  return {
    actions,
    busy,
    claim: () => change(userId),
    release: () => change(null),
    openAssign: () => setAssigning(true),
    panel,
  };
}

/** The actions as buttons (`role="menuitem"` inside a menu); `onPick` runs as one starts (a menu closes). */
export function OwnerButtons(props: { choice: OwnerChoice; menu?: boolean; onPick?: () => void }) {
  const { choice } = props;
  const role = props.menu ? 'menuitem' : undefined;
  const run = (action: () => void) => () => {
    props.onPick?.();
    action();
  };
  return (
    <>
      {choice.actions.claim && (
        <button type="button" role={role} class="link" disabled={choice.busy} onClick={run(choice.claim)}>
          Claim
        </button>
      )}
      {choice.actions.release && !choice.actions.assign && (
        <button type="button" role={role} class="link" disabled={choice.busy} onClick={run(choice.release)}>
          Release
        </button>
      )}
      {choice.actions.assign && (
        <button type="button" role={role} class="link" disabled={choice.busy} onClick={run(choice.openAssign)}>
          Assign to…
        </button>
      )}
    </>
  );
}

/** Buttons and panel together, where no menu holds them (the chat's action bar). */
export function OwnerControl(props: {
  personId: string;
  ownerId: string | null;
  clubId: string | null;
  onChanged: (owner: string | null) => void;
}) {
  const choice = useOwnerChoice(props.personId, props.ownerId, props.clubId, props.onChanged);
  return (
    <>
      <OwnerButtons choice={choice} />
      {choice.panel}
    </>
  );
}
