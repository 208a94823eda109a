// Meta's Conversions API for business messaging (admins): the dataset ad leads' events go to. Set, a lead made by a
// click-to-WhatsApp ad is reported as LeadSubmitted, and as Purchase when they join (a won stage), each once with
// the ad's click id; cleared, nothing is reported. The id is checked in words before saving, as the server does.
import { useState } from 'preact/hooks';
import { LoadState } from '../../components/load-state/load-state';
import { SaveResult } from '../../components/save-result/save-result';
import { type ConversionsSettings, getConversions, setConversions } from '../../lib/api/settings';
import { errorText, useLoad } from '../../lib/use-load';
import { FieldError, invalid } from '../Automations/form-fields';
import { AppHeader } from '../app-header';
import { ConversionEvents } from './conversion-events';

/** The server's rules (worker/conversions/routes.ts), said before anything is sent. */
export function conversionsProblems(v: { datasetId: string; currency: string; value: string }) {
  const out: { datasetId?: string; currency?: string; value?: string } = {};
  if (v.datasetId.trim() !== '' && !/^\d{1,32}$/.test(v.datasetId.trim()))
    out.datasetId = 'Digits only, as Meta’s Events Manager shows the dataset id';
  if (!/^[A-Z]{3}$/.test(v.currency.trim().toUpperCase())) out.currency = 'A three-letter currency code such as GBP';
  const value = Number(v.value);
  if (v.value.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1_000_000)
    out.value = 'An amount from 0 to 1,000,000';
  return out;
}

export function ConversionsPage() {
  const { data, error, reload, set } = useLoad(getConversions);
  return (
    <div class="page">
      <AppHeader title="Meta Conversions API" back="/settings" />
      <main class="settings-main">
        <section class="card" aria-labelledby="conversions-title">
          <h2 id="conversions-title" class="card-head">
            Report ad leads to Meta
          </h2>
          <p class="small">
            With a dataset set, each lead who first wrote from a click-to-WhatsApp ad is reported to Meta as{' '}
            <strong>LeadSubmitted</strong>, and as <strong>Purchase</strong> when they join (reach a won stage). Each
            event goes once, with the ad’s click id, and shows in the person’s history. Meta uses them to measure and
            improve your ads. Cleared, nothing is reported.
          </p>
          <LoadState data={data} error={error} what="The settings" reload={reload}>
            {(saved) => <ConversionsForm saved={saved} onSaved={set} />}
          </LoadState>
        </section>
        <ConversionEvents />
      </main>
    </div>
  );
}

function ConversionsForm(props: { saved: ConversionsSettings; onSaved: (s: ConversionsSettings) => void }) {
  const [datasetId, setDatasetId] = useState(props.saved.dataset_id ?? '');
  const [currency, setCurrency] = useState(props.saved.currency);
  const [value, setValue] = useState(String(props.saved.purchase_value));
  const [problems, setProblems] = useState<ReturnType<typeof conversionsProblems>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (clear: boolean) => {
    const found = clear ? {} : conversionsProblems({ datasetId, currency, value });
    setProblems(found);
    setFailure(null);
    setNotice(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const id = clear ? '' : datasetId.trim();
      const saved = await setConversions({
        dataset_id: id === '' ? null : id,
        ...(clear ? {} : { currency: currency.trim().toUpperCase(), purchase_value: Number(value) }),
      });
      setNotice(
        saved.dataset_id
          ? `Saved. Ad leads’ events now go to dataset ${saved.dataset_id}.`
          : 'Cleared. No events are reported to Meta.',
      );
      setDatasetId(saved.dataset_id ?? '');
      props.onSaved(saved);
    } catch (err) {
      setFailure(errorText(err, 'The settings were not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="stack"
      aria-label="Conversions API"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save(false);
      }}
    >
      <p data-testid="conversions-state">
        {props.saved.dataset_id ? (
          <>
            <span class="status-connected">Reporting</span> to dataset <code>{props.saved.dataset_id}</code>
          </>
        ) : (
          <span class="muted">Not reporting: no dataset set.</span>
        )}
      </p>
      <label>
        Dataset id
        <input
          inputMode="numeric"
          autoComplete="off"
          value={datasetId}
          placeholder="1234567890123456"
          onInput={(e) => setDatasetId(e.currentTarget.value)}
          {...invalid('err-dataset', problems.datasetId)}
        />
      </label>
      <FieldError id="err-dataset" error={problems.datasetId} />
      <p class="muted small">In Meta’s Events Manager: Data sources, your dataset, Settings. Leave empty to stop.</p>
      <div class="two-up">
        <label>
          Currency
          <input
            value={currency}
            maxLength={3}
            autoCapitalize="characters"
            onInput={(e) => setCurrency(e.currentTarget.value)}
            {...invalid('err-currency', problems.currency)}
          />
        </label>
        <label>
          A Purchase is worth
          <input
            type="number"
            inputMode="decimal"
            min={0}
            step="any"
            value={value}
            onInput={(e) => setValue(e.currentTarget.value)}
            {...invalid('err-value', problems.value)}
          />
        </label>
      </div>
      <FieldError id="err-currency" error={problems.currency} />
      <FieldError id="err-value" error={problems.value} />
      <SaveResult failure={failure} notice={notice} />
      <div class="row-buttons">
        {props.saved.dataset_id && (
          <button type="button" disabled={busy} onClick={() => void save(true)}>
            Stop reporting
          </button>
        )}
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
