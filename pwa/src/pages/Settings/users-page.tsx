// Staff logins (admins): create, change a role or the clubs a user sees, deactivate (with confirmation) or
// restore. The server keeps at least one active admin and refuses deactivating yourself; its refusals are shown
// in its words.
import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { LoadState } from '../../components/load-state/load-state';
import type { Club } from '../../lib/api/clubs';
import { type CompanyUser, listUsers, type Role, updateUser } from '../../lib/api/settings';
import { me } from '../../lib/session';
import { useClubs } from '../../lib/use-clubs';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { ClubsPicker, clubsSummary } from './clubs-picker';
import { ROLES, UserCreateForm } from './user-create-form';

/** The clubs a user sees, as a one-line summary that opens into the picker and its Save button. */
function UserClubs(props: { user: CompanyUser; clubs: readonly Club[]; onChanged: () => void }) {
  const { user } = props;
  const [value, setValue] = useState<string[] | null>(user.club_ids);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    if (value !== null && value.length === 0) {
      setError('Tick the clubs they see, or Every club');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await updateUser(user.id, { club_ids: value });
      props.onChanged();
    } catch (err) {
      setError(errorText(err, 'Nothing was changed'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="user-clubs">
      <summary class="small">
        Clubs: <span data-testid="user-clubs">{clubsSummary(props.clubs, user.club_ids)}</span>
      </summary>
      <ClubsPicker
        clubs={props.clubs}
        value={value}
        disabled={busy || !user.active}
        label={`Clubs ${user.name} sees`}
        onChange={setValue}
      />
      <button type="button" disabled={busy || !user.active} onClick={() => void save()}>
        Save clubs<span class="visually-hidden"> for {user.name}</span>
      </button>
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
    </details>
  );
}

function UserRow(props: {
  user: CompanyUser;
  clubs: readonly Club[] | null;
  onChanged: () => void;
  onDeactivate: () => void;
}) {
  const { user } = props;
  const self = user.id === me.value?.user.id;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The select shows the chosen role at once; a refusal (the last admin) puts the old one back.
  const [role, setRole] = useState<Role>(user.role);
  useEffect(() => setRole(user.role), [user.role]);

  const change = async (patch: { role?: Role; active?: boolean }) => {
    setBusy(true);
    setError(null);
    if (patch.role) setRole(patch.role);
    try {
      await updateUser(user.id, patch);
      props.onChanged();
    } catch (err) {
      setRole(user.role);
      setError(errorText(err, 'Nothing was changed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li data-testid="user" data-email={user.email}>
      <div class="item-head">
        <strong>
          {user.name}
          {self && <span class="muted"> (you)</span>}
        </strong>
        {!user.active && <span class="chip chip-danger">Deactivated</span>}
      </div>
      <span class="small muted">{user.email}</span>
      <div class="row-buttons">
        <label class="inline">
          <span class="visually-hidden">Role for {user.name}</span>
          <select
            value={role}
            disabled={busy || !user.active}
            onChange={(e) => void change({ role: e.currentTarget.value as Role })}
          >
            {ROLES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        {user.active ? (
          !self && (
            <button type="button" disabled={busy} onClick={props.onDeactivate}>
              Deactivate<span class="visually-hidden"> {user.name}</span>
            </button>
          )
        ) : (
          <button type="button" disabled={busy} onClick={() => void change({ active: true })}>
            Restore<span class="visually-hidden"> {user.name}</span>
          </button>
        )}
      </div>
      {props.clubs && props.clubs.length > 1 && (
        // Keyed by the saved clubs: a change from the server starts the picker afresh from it.
        <UserClubs key={JSON.stringify(user.club_ids)} user={user} clubs={props.clubs} onChanged={props.onChanged} />
      )}
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
    </li>
  );
}

export function UsersPage() {
  const { data, error, reload } = useLoad(listUsers);
  const [deactivating, setDeactivating] = useState<CompanyUser | null>(null);
  const [busy, setBusy] = useState(false);
  const [deactivateError, setDeactivateError] = useState<string | null>(null);
  const clubs = useClubs();

  const deactivate = async (user: CompanyUser) => {
    setBusy(true);
    setDeactivateError(null);
    try {
      await updateUser(user.id, { active: false });
      setDeactivating(null);
      reload();
    } catch (err) {
      setDeactivateError(errorText(err, 'They were not deactivated'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <AppHeader title="Users" back="/settings" />
      <main class="settings-main">
        <section class="card" aria-labelledby="users-title">
          <h2 id="users-title" class="card-head">
            Staff logins
          </h2>
          <LoadState data={data} error={error} what="Users" reload={reload}>
            {(users) => (
              <ul class="item-list" aria-label="Users">
                {users.map((u) => (
                  <UserRow
                    key={u.id}
                    user={u}
                    clubs={clubs}
                    onChanged={reload}
                    onDeactivate={() => {
                      setDeactivateError(null);
                      setDeactivating(u);
                    }}
                  />
                ))}
              </ul>
            )}
          </LoadState>
        </section>
        <section class="card" aria-labelledby="user-new-title">
          <h2 id="user-new-title" class="card-head">
            New user
          </h2>
          <UserCreateForm onCreated={reload} clubs={clubs} />
        </section>
      </main>
      {deactivating && (
        <ConfirmDialog
          title={`Deactivate ${deactivating.name}?`}
          confirmLabel="Deactivate"
          busy={busy}
          error={deactivateError}
          onCancel={() => setDeactivating(null)}
          onConfirm={() => void deactivate(deactivating)}
        >
          <p>
            They are logged out everywhere at once, cannot log in and get no more notifications. Their messages and
            notes stay. You can restore them later.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
