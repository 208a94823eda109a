// The company's frequency cap (admins): at most N marketing templates per person in D days, broadcasts and
// automated items together. The bounds are checked in words before saving (#common/frequency-cap, the server's
// own numbers); the saved cap is said back as a sentence so the admin sees what now holds.
import { useState } from 'preact/hooks';
import {
  FREQUENCY_CAP_LIMITS,
  type FrequencyCap,
  frequencyCapProblems,
  frequencyCapSentence,
} from '#common/frequency-cap';
import { LoadState } from '../../components/load-state/load-state';
import { SaveResult } from '../../components/save-result/save-result';
import { getFrequencyCap, setFrequencyCap } from '../../lib/api/broadcasts';
import { errorText, useLoad } from '../../lib/use-load';
import { FieldError, invalid } from '../Automations/form-fields';
import { AppHeader } from '../app-header';

export function FrequencyCapPage() {
  const { data, error, reload, set } = useLoad(getFrequencyCap);
  return (
    <div class="page">
      <AppHeader title="Marketing frequency cap" back="/settings" />
      <main class="settings-main">
        <section class="card" aria-labelledby="cap-title">
          <h2 id="cap-title" class="card-head">
            Marketing templates per person
          </h2>
          <LoadState data={data} error={error} what="The cap" reload={reload}>
            {(cap) => <CapForm saved={cap} onSaved={set} />}
          </LoadState>
        </section>
      </main>
    </div>
  );
}

/** Number inputs give '' for a half-typed value: NaN then fails the check in words, never reaches the server. */
const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

function CapForm(props: { saved: FrequencyCap; onSaved: (cap: FrequencyCap) => void }) {
  const [max, setMax] = useState(String(props.saved.max));
  const [days, setDays] = useState(String(props.saved.days));
  const [problems, setProblems] = useState<ReturnType<typeof frequencyCapProblems>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const cap = { max: numberOf(max), days: numberOf(days) };
  const dirty = cap.max !== props.saved.max || cap.days !== props.saved.days;

  const save = async (e: Event) => {
    e.preventDefault();
    const found = frequencyCapProblems(cap);
    setProblems(found);
    setFailure(null);
    setNotice(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await setFrequencyCap(cap);
      props.onSaved(saved);
      setNotice(`Saved. ${frequencyCapSentence(saved)}`);
    } catch (err) {
      setFailure(errorText(err, 'The cap was not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" aria-label="Frequency cap" onSubmit={(e) => void save(e)} noValidate>
      <p data-testid="cap-sentence">{frequencyCapSentence(props.saved)}</p>
      <p class="muted small">
        Counted across broadcasts and automated items together. Someone who already had that many is skipped (“frequency
        cap”) and stays in the report; utility templates and replies in a chat never count. Meta may also hold marketing
        back on its side.
      </p>
      <div class="two-up">
        <label>
          At most (templates)
          <input
            type="number"
            inputMode="numeric"
            min={FREQUENCY_CAP_LIMITS.max.min}
            max={FREQUENCY_CAP_LIMITS.max.max}
            value={max}
            onInput={(e) => setMax(e.currentTarget.value)}
            {...invalid('err-cap-max', problems.max)}
          />
        </label>
        <label>
          In any (days)
          <input
            type="number"
            inputMode="numeric"
            min={FREQUENCY_CAP_LIMITS.days.min}
            max={FREQUENCY_CAP_LIMITS.days.max}
            value={days}
            onInput={(e) => setDays(e.currentTarget.value)}
            {...invalid('err-cap-days', problems.days)}
          />
        </label>
      </div>
      <FieldError id="err-cap-max" error={problems.max} />
      <FieldError id="err-cap-days" error={problems.days} />
      <SaveResult failure={failure} notice={notice} />
      <button type="submit" class="primary" disabled={busy || !dirty} aria-busy={busy}>
        {busy ? 'Saving…' : 'Save cap'}
      </button>
    </form>
  );
}
