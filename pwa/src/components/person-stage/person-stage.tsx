// A person's stage on the pipeline, on their profile: a select of the company's stages (and "Not in the
// pipeline"), which moves them at once. Each move is a history note on the server; a refusal shows in its words.
import { useEffect, useState } from 'preact/hooks';
import { setStage } from '../../lib/api/people';
import { loadStages, type Stage } from '../../lib/api/pipeline';
import { useSavedChoice } from '../../lib/use-saved-choice';

const OUT = '';

/**
 * `inline`: a labelled select for the conversation's bar; otherwise a term and its value for the profile's list.
 */
export function PersonStage(props: {
  personId: string;
  stageId: string | null;
  onChanged: () => void;
  inline?: boolean;
}) {
  const [stages, setStages] = useState<Stage[] | null>(null);
  const { shown, busy, error, choose } = useSavedChoice(
    props.stageId ?? OUT,
    async (value) => {
      await setStage(props.personId, value === OUT ? null : value);
      props.onChanged();
    },
    'The stage did not change',
  );
  useEffect(() => {
    let current = true;
    loadStages()
      .then((s) => current && setStages(s))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  if (!stages) return null;
  const control = (
    <>
      <label class={props.inline ? 'stage-inline' : undefined}>
        <span class={props.inline ? 'muted' : 'visually-hidden'}>Stage</span>
        <select
          value={shown}
          disabled={busy}
          data-testid="person-stage"
          onChange={(e) => void choose(e.currentTarget.value)}
        >
          {stages.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
          <option value={OUT}>Not in the pipeline</option>
        </select>
      </label>
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
    </>
  );
  if (props.inline) return control;
  return (
    <>
      <dt>Stage</dt>
      <dd>{control}</dd>
    </>
  );
}
