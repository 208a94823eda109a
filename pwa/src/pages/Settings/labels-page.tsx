// The company's labels: everyone sees them (and puts them on people from the profile); managers and admins add
// and delete them. Up to 50, names unique: the server's refusal is shown in its words.
import { useState } from 'preact/hooks';
import { LoadState } from '../../components/load-state/load-state';
import { LabelChips } from '../../components/person-labels/person-labels';
import { createLabel, deleteLabel, type Label, type LabelCreate, listLabels } from '../../lib/api/pipeline';
import { can } from '../../lib/session';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';

const COLORS: LabelCreate['color'][] = ['grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'];

export function LabelsPage() {
  const { data, error, reload } = useLoad(listLabels);
  const writer = can('labels');
  const [name, setName] = useState('');
  const [color, setColor] = useState<LabelCreate['color']>('blue');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const add = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) return setProblem('Give the label a name');
    setBusy(true);
    setProblem(null);
    try {
      await createLabel({ name: name.trim(), color });
      setName('');
      reload();
    } catch (err) {
      setProblem(errorText(err, 'The label was not added'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (l: Label) => {
    setProblem(null);
    try {
      await deleteLabel(l.id);
      reload();
    } catch (err) {
      setProblem(errorText(err, 'The label was not deleted'));
    }
  };

  return (
    <div class="page">
      <AppHeader title="Labels" back="/settings" />
      <main class="settings-main">
        <p class="pad small muted">
          Put them on people from their profile (Labels…). Deleting one takes it off everyone.
        </p>
        {writer && (
          <section class="card" aria-labelledby="label-new-title">
            <h2 id="label-new-title" class="card-head">
              New label
            </h2>
            <form class="stack" aria-label="New label" onSubmit={(e) => void add(e)}>
              <label for="label-name">
                Name
                <input id="label-name" value={name} maxLength={30} onInput={(e) => setName(e.currentTarget.value)} />
              </label>
              <label for="label-color">
                Colour
                <select
                  id="label-color"
                  value={color}
                  onChange={(e) => setColor(e.currentTarget.value as LabelCreate['color'])}
                >
                  {COLORS.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
              {problem && (
                <p role="alert" class="error small">
                  {problem}
                </p>
              )}
              <button type="submit" class="primary" disabled={busy}>
                Add label
              </button>
            </form>
          </section>
        )}
        <section class="card" aria-labelledby="labels-title">
          <h2 id="labels-title" class="card-head">
            Labels
          </h2>
          <LoadState data={data} error={error} what="Labels" reload={reload}>
            {(labels) =>
              labels.length === 0 ? (
                <p class="muted">No labels yet.</p>
              ) : (
                <ul class="item-list" aria-label="Company labels">
                  {labels.map((l) => (
                    <li key={l.id} data-testid="label" class="item-head">
                      <LabelChips labels={[l]} />
                      {writer && (
                        <button type="button" class="link" onClick={() => void remove(l)}>
                          Delete<span class="visually-hidden"> {l.name}</span>
                        </button>
                      )}
                    </li>
                  ))}
                </ul>
              )
            }
          </LoadState>
        </section>
      </main>
    </div>
  );
}
