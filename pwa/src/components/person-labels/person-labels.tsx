// A person's labels on their profile: coloured chips, and "Labels…" to tick the company's labels on or off
// (the list replaces theirs on Save). The company's labels are made in Settings or by the API.
import { useEffect, useState } from 'preact/hooks';
import { getPersonLabels, type Label, listLabels, setPersonLabels } from '../../lib/api/pipeline';
import { errorText } from '../../lib/use-load';
import './person-labels.css';

export function LabelChips(props: { labels: readonly Label[] }) {
  if (props.labels.length === 0) return <span class="muted">None</span>;
  return (
    <ul class="label-chips" aria-label="Labels">
      {props.labels.map((l) => (
        <li key={l.id} class={`label-chip label-${l.color}`}>
          {l.name}
        </li>
      ))}
    </ul>
  );
}

export function PersonLabels(props: { personId: string }) {
  const [worn, setWorn] = useState<Label[] | null>(null);
  const [all, setAll] = useState<Label[] | null>(null);
  const [ticked, setTicked] = useState<string[]>([]);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    getPersonLabels(props.personId)
      .then((l) => current && setWorn(l))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, [props.personId]);
  if (worn === null) return null;

  const edit = async () => {
    setError(null);
    try {
      setAll(await listLabels());
      setTicked(worn.map((l) => l.id));
      setEditing(true);
    } catch (err) {
      setError(errorText(err, 'Could not load the labels'));
    }
  };
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      setWorn(await setPersonLabels(props.personId, ticked));
      setEditing(false);
    } catch (err) {
      setError(errorText(err, 'The labels were not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <dt>Labels</dt>
      <dd>
        <LabelChips labels={worn} />
        {!editing && (
          <button type="button" class="link" onClick={() => void edit()}>
            Labels…
          </button>
        )}
        {editing && all && (
          <fieldset class="label-picker">
            <legend class="visually-hidden">Labels</legend>
            {all.length === 0 && <p class="muted small">No labels yet: a manager adds them.</p>}
            {all.map((l) => (
              <label key={l.id} class="check">
                <input
                  type="checkbox"
                  checked={ticked.includes(l.id)}
                  onChange={(e) =>
                    setTicked(e.currentTarget.checked ? [...ticked, l.id] : ticked.filter((id) => id !== l.id))
                  }
                />
                <span class={`label-chip label-${l.color}`}>{l.name}</span>
              </label>
            ))}
            <div class="row-buttons">
              <button type="button" class="primary" disabled={busy} onClick={() => void save()}>
                Save labels
              </button>
              <button type="button" disabled={busy} onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
          </fieldset>
        )}
        {error && (
          <p role="alert" class="error small">
            {error}
          </p>
        )}
      </dd>
    </>
  );
}
