// /automations/:id/audience: who would be sent what if the item ran now, who would be skipped and why, and
// whether now is inside the send window. Nothing is sent by looking; "Run now" runs the cron's own sweep.
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { AutomationSentence } from '../../components/automation-sentence/automation-sentence';
import { windowWords } from '../../components/automation-sentence/sentence';
import { LoadState } from '../../components/load-state/load-state';
import { getAutomation, previewAutomation, runAutomation } from '../../lib/api/automations';
import { me } from '../../lib/session';
import { useLeadNames } from '../../lib/use-lead-names';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { skipReasonWords } from './skip-reasons';
import { zonedTime } from './zoned-time';

async function load(id: string) {
  const [item, preview] = await Promise.all([getAutomation(id), previewAutomation(id)]);
  return { item, preview };
}

export function AudiencePreviewPage() {
  const id = useRoute().params.id ?? '';
  const { route } = useLocation();
  const { data, error, reload } = useLoad(() => load(id), [id]);
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  const names = useLeadNames();

  async function run() {
    setRunning(true);
    setRunError(null);
    try {
      await runAutomation(id);
      route(`/automations/${id}/runs`);
    } catch (err) {
      setRunError(err instanceof Error ? err.message : 'Could not run it');
      setRunning(false);
    }
  }

  if (error || !data)
    return (
      <div class="page">
        <AppHeader title="Audience now" back="/automations" />
        <LoadState data={data} error={error} reload={reload}>
          {() => null}
        </LoadState>
      </div>
    );

  const { item, preview } = data;
  const window = windowWords(item.send_window, timeZone);
  return (
    <div class="page">
      <AppHeader title="Audience now" back="/automations" />
      <main class="automations-main">
        <section class="card" aria-labelledby="preview-title">
          <h2 id="preview-title">{item.name}</h2>
          <AutomationSentence
            trigger={item.trigger}
            sendWindow={item.send_window}
            templateName={item.template.name}
            audience={item.audience}
            timeZone={timeZone}
            {...names}
          />
          <p class={`window-state ${preview.in_send_window ? 'ok' : 'error'}`} data-testid="window-state">
            {preview.in_send_window
              ? `Now is inside the send window (${window}).`
              : `Now is outside the send window (${window}): nothing goes out until it opens.`}
          </p>
          <p>
            <strong>{preview.due}</strong> due now
            {preview.too_late > 0 && `, ${preview.too_late} too late to send (fell due over 24 hours ago)`}.
          </p>
          {!item.enabled && (
            <p class="paused-reason">
              This item is switched off{item.paused_reason ? `: ${item.paused_reason}` : ''}. Nobody is sent it until it
              is on.
            </p>
          )}
          {runError && (
            <p role="alert" class="error">
              {runError}
            </p>
          )}
          <div class="row-buttons">
            <button type="button" onClick={reload}>
              Refresh
            </button>
            {item.enabled && (
              <button type="button" class="primary" disabled={running} onClick={() => void run()}>
                {running ? 'Running…' : 'Run now'}
              </button>
            )}
          </div>
        </section>

        <section class="card" aria-labelledby="send-title">
          <h2 id="send-title">Would be sent now ({preview.would_send.length})</h2>
          {preview.would_send.length === 0 ? (
            <p class="muted">Nobody would be sent it now.</p>
          ) : (
            <ul class="preview-people" aria-label="Would be sent now">
              {preview.would_send.map((p) => (
                <li key={p.person_id}>
                  <a href={`/people/${p.person_id}`}>{p.name}</a>
                  <span class="muted small">Due {zonedTime(p.due_at, timeZone)}</span>
                  <p class="preview-body">{p.body ?? p.params.join(' · ')}</p>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="skip-title">
          <h2 id="skip-title">Skipped ({preview.would_skip.length})</h2>
          {preview.would_skip.length === 0 ? (
            <p class="muted">Nobody due is skipped.</p>
          ) : (
            <ul class="preview-people" aria-label="Skipped">
              {preview.would_skip.map((p) => (
                <li key={p.person_id}>
                  <a href={`/people/${p.person_id}`}>{p.name}</a>
                  <span>{skipReasonWords(p.reason)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {preview.truncated && <p class="muted small pad">Only the first people due are listed.</p>}
      </main>
    </div>
  );
}
