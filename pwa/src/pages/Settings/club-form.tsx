// Add or change a club: its name, address, time zone and how its new leads get an owner. The server checks the
// time zone against the IANA list; the form offers the browser's list when it has one.
import { useState } from 'preact/hooks';
import type { Assignment, Club, ClubCreate } from '../../lib/api/clubs';
import { errorText } from '../../lib/use-load';

const ASSIGNMENTS: { value: Assignment; label: string }[] = [
  { value: 'manual', label: 'By hand (staff assign or claim)' },
  { value: 'round_robin', label: 'Round-robin among staff on shift' },
];

export function ClubForm(props: {
  initial?: Club;
  defaultTimezone: string;
  onSave: (body: ClubCreate) => Promise<void>;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(props.initial?.name ?? '');
  const [address, setAddress] = useState(props.initial?.address ?? '');
  const [timezone, setTimezone] = useState(props.initial?.timezone ?? props.defaultTimezone);
  const [assignment, setAssignment] = useState<Assignment>(props.initial?.assignment ?? 'manual');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idBase = props.initial ? `club-${props.initial.id}` : 'club-new';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setError('Give the club a name');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onSave({ name: name.trim(), address: address.trim() || null, timezone: timezone.trim(), assignment });
      if (!props.initial) {
        setName('');
        setAddress('');
      }
    } catch (err) {
      setError(errorText(err, 'The club was not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-label={props.initial ? 'Edit club' : 'New club'}>
      <label for={`${idBase}-name`}>
        Name
        <input id={`${idBase}-name`} value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label for={`${idBase}-address`}>
        Address
        <input
          id={`${idBase}-address`}
          value={address}
          maxLength={300}
          onInput={(e) => setAddress(e.currentTarget.value)}
        />
      </label>
      <label for={`${idBase}-timezone`}>
        Time zone
        <input
          id={`${idBase}-timezone`}
          value={timezone}
          maxLength={64}
          autoCapitalize="none"
          onInput={(e) => setTimezone(e.currentTarget.value)}
        />
      </label>
      <label for={`${idBase}-assignment`}>
        New leads
        <select
          id={`${idBase}-assignment`}
          value={assignment}
          onChange={(e) => setAssignment(e.currentTarget.value as Assignment)}
        >
          {ASSIGNMENTS.map((a) => (
            <option key={a.value} value={a.value}>
              {a.label}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      <div class="row-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {props.initial ? 'Save changes' : 'Add club'}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
