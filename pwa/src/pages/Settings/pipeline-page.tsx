// Settings → Pipeline: the company's lead stages in order. Everyone reads them (the stage pickers and filters use
// them); admins rename, reorder (Up / Down buttons, which work by touch and keyboard alike, rather than a drag),
// add up to 12, remove, and mark which count as won and lost, then Save the whole list at once. A stage that
// still has people cannot be removed (the server's 409 stage_in_use, shown in its words): move them first.
import { useState } from 'preact/hooks';
import { LoadState } from '../../components/load-state/load-state';
import { SaveResult } from '../../components/save-result/save-result';
import { reloadStages, type Stage, savePipeline } from '../../lib/api/pipeline';
import { can } from '../../lib/session';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import './pipeline.css';
import {
  added,
  bodyOf,
  changed,
  type DraftStage,
  draftOf,
  isDirty,
  MAX_STAGE_NAME,
  MAX_STAGES,
  moved,
  type Outcome,
  problemOf,
  removed,
} from './pipeline-draft';

const OUTCOMES: { value: Outcome; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'won', label: 'Won' },
  { value: 'lost', label: 'Lost' },
];

function OutcomeBadge(props: { outcome: Outcome }) {
  if (props.outcome === 'open') return null;
  return props.outcome === 'won' ? <span class="chip chip-open">Won</span> : <span class="chip chip-danger">Lost</span>;
}

/** What managers and staff see: the stages in order, won and lost marked. */
function ReadOnly(props: { stages: readonly Stage[] }) {
  return (
    <ol class="item-list stage-list" aria-label="Stages">
      {props.stages.map((s) => (
        <li key={s.id} class="item-head" data-testid="stage">
          <span>{s.name}</span>
          <OutcomeBadge outcome={s.outcome} />
        </li>
      ))}
    </ol>
  );
}

function StageRow(props: {
  stage: DraftStage;
  index: number;
  count: number;
  onChange: (change: Partial<DraftStage>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const { stage, index } = props;
  const name = stage.name.trim() || `stage ${index + 1}`;
  return (
    <li class="stage-row" data-testid="stage">
      <span class="stage-number" aria-hidden="true">
        {index + 1}
      </span>
      <div class="stage-fields">
        <label>
          <span class="visually-hidden">Name of stage {index + 1}</span>
          <input
            value={stage.name}
            maxLength={MAX_STAGE_NAME}
            placeholder="Stage name"
            onInput={(e) => props.onChange({ name: e.currentTarget.value })}
          />
        </label>
        <label>
          <span class="visually-hidden">What {name} counts as</span>
          <select value={stage.outcome} onChange={(e) => props.onChange({ outcome: e.currentTarget.value as Outcome })}>
            {OUTCOMES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="stage-buttons">
        <button type="button" class="icon-button" disabled={index === 0} onClick={() => props.onMove(-1)}>
          <span aria-hidden="true">↑</span>
          <span class="visually-hidden">Move {name} up</span>
        </button>
        <button type="button" class="icon-button" disabled={index === props.count - 1} onClick={() => props.onMove(1)}>
          <span aria-hidden="true">↓</span>
          <span class="visually-hidden">Move {name} down</span>
        </button>
        <button type="button" class="icon-button danger" disabled={props.count === 1} onClick={props.onRemove}>
          <span aria-hidden="true">✕</span>
          <span class="visually-hidden">Remove {name}</span>
        </button>
      </div>
    </li>
  );
}

function Editor(props: { saved: readonly Stage[]; onSaved: (stages: Stage[]) => void }) {
  const [draft, setDraft] = useState<DraftStage[]>(() => draftOf(props.saved));
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dirty = isDirty(draft, props.saved);
  // Updates from the draft as it is then: two quick taps (Add, Add) each see the other's result.
  const edit = (next: (d: DraftStage[]) => DraftStage[]) => {
    setDraft(next);
    setProblem(null);
    setNotice(null);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    const wrong = problemOf(draft);
    if (wrong) return setProblem(wrong);
    setBusy(true);
    setProblem(null);
    try {
      const saved = await savePipeline(bodyOf(draft));
      props.onSaved(saved);
      setDraft(draftOf(saved));
      setNotice('Pipeline saved');
    } catch (err) {
      setProblem(errorText(err, 'The pipeline was not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" aria-label="Pipeline" onSubmit={(e) => void save(e)}>
      <ol class="stage-rows" aria-label="Stages">
        {draft.map((s, i) => (
          <StageRow
            key={s.key}
            stage={s}
            index={i}
            count={draft.length}
            onChange={(change) => edit((d) => changed(d, s.key, change))}
            onMove={(by) => edit((d) => moved(d, i, by))}
            onRemove={() => edit((d) => removed(d, s.key))}
          />
        ))}
      </ol>
      <button type="button" disabled={draft.length >= MAX_STAGES} onClick={() => edit(added)}>
        {draft.length >= MAX_STAGES ? `${MAX_STAGES} stages at most` : 'Add stage'}
      </button>
      <SaveResult failure={problem} notice={notice} />
      <div class="row-buttons">
        <button type="button" disabled={!dirty || busy} onClick={() => edit(() => draftOf(props.saved))}>
          Undo changes
        </button>
        <button type="submit" class="primary" disabled={!dirty || busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

export function PipelinePage() {
  const { data, error, reload, set } = useLoad(reloadStages);
  const admin = can('pipeline');
  return (
    <div class="page">
      <AppHeader title="Pipeline" back="/settings" />
      <main class="settings-main">
        <p class="pad small muted">
          The stages a lead moves through, in order. New leads start in the first; won and lost stages are how reports
          count members joined and leads lost.
          {admin
            ? ' A stage can only be removed once nobody is in it and no automated item uses it.'
            : ' Only admins change them.'}
        </p>
        <section class="card" aria-labelledby="pipeline-title">
          <h2 id="pipeline-title" class="card-head">
            Stages
          </h2>
          <LoadState data={data} error={error} what="Stages" reload={reload}>
            {(stages) => (admin ? <Editor saved={stages} onSaved={set} /> : <ReadOnly stages={stages} />)}
          </LoadState>
        </section>
      </main>
    </div>
  );
}
