// Staff logins (admins): create, change a role, deactivate (with confirmation) or restore. The server keeps at
// least one active admin and refuses deactivating yourself; its refusals are shown in its words.
import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { LoadState } from '../../components/load-state/load-state';
import { type CompanyUser, listUsers, type Role, updateUser } from '../../lib/api/settings';
import { me } from '../../lib/session';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { ROLES, UserCreateForm } from './user-create-form';

function UserRow(props: { user: CompanyUser; onChanged: () => void; onDeactivate: () => void }) {
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
          <UserCreateForm onCreated={reload} />
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
