// A new staff login with a role, the clubs it sees and a first password, which the admin hands over in person
// (ClubChat sends no emails yet). The server's rules (an email, a password of 10 or more characters, clubs of
// the company) are checked here first where they can be.
import { useState } from 'preact/hooks';
import type { Club } from '../../lib/api/clubs';
import { type CompanyUserCreate, createUser, type Role } from '../../lib/api/settings';
import { errorText } from '../../lib/use-load';
import { ClubsPicker } from './clubs-picker';

export const ROLES: { value: Role; label: string; what: string }[] = [
  { value: 'salesperson', label: 'Salesperson', what: 'only their own people and unassigned leads' },
  { value: 'staff', label: 'Staff', what: 'chats and people, and assigning leads' },
  { value: 'manager', label: 'Manager', what: 'also templates, automated items, quick replies and usage' },
  { value: 'admin', label: 'Admin', what: 'also users and API keys' },
];

function problem(u: CompanyUserCreate): string | null {
  if (!u.name.trim()) return 'Give their name';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(u.email.trim())) return 'Give an email address they log in with';
  if (u.password.length < 10) return 'The first password needs at least 10 characters';
  if (u.club_ids?.length === 0) return 'Tick the clubs they see, or Every club';
  return null;
}

/** `clubs`: the clubs the admin may give (their own); the picker shows only when there is a choice. */
export function UserCreateForm(props: { onCreated: () => void; clubs: readonly Club[] | null }) {
  const empty: CompanyUserCreate = { name: '', email: '', role: 'staff', password: '', club_ids: null };
  const [form, setForm] = useState<CompanyUserCreate>(empty);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (patch: Partial<CompanyUserCreate>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setDone(null);
    const wrong = problem(form);
    if (wrong) {
      setError(wrong);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const user = await createUser({ ...form, name: form.name.trim(), email: form.email.trim() });
      setDone(`${user.name} can now log in as ${user.email} with the password you chose.`);
      setForm(empty);
      props.onCreated();
    } catch (err) {
      setError(errorText(err, 'The user was not created'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-label="New user">
      <label>
        Name
        <input value={form.name} maxLength={200} onInput={(e) => set({ name: e.currentTarget.value })} />
      </label>
      <label>
        Email (they log in with it)
        <input
          type="email"
          autoCapitalize="none"
          value={form.email}
          maxLength={254}
          onInput={(e) => set({ email: e.currentTarget.value })}
        />
      </label>
      <label>
        Role
        <select value={form.role} onChange={(e) => set({ role: e.currentTarget.value as Role })}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}: {r.what}
            </option>
          ))}
        </select>
      </label>
      {props.clubs && props.clubs.length > 1 && (
        <div>
          <span class="small">Clubs they see</span>
          <ClubsPicker
            clubs={props.clubs}
            value={form.club_ids ?? null}
            label="Clubs the new user sees"
            onChange={(club_ids) => set({ club_ids })}
          />
        </div>
      )}
      <label>
        First password (at least 10 characters)
        <input
          type="text"
          autoComplete="new-password"
          autoCapitalize="none"
          value={form.password}
          maxLength={200}
          onInput={(e) => set({ password: e.currentTarget.value })}
        />
      </label>
      <p class="muted small">Tell them this password yourself: ClubChat does not send emails yet.</p>
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      {done && (
        <p role="status" class="ok small">
          {done}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        Create user
      </button>
    </form>
  );
}
