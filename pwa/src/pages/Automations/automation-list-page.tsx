// The gym's automated items: each one read back in a sentence, switched on or off with one tap, and the reason
// in words when ClubChat paused it (its template stopped being approved).
import { useState } from 'preact/hooks';
import { AutomationSentence } from '../../components/automation-sentence/automation-sentence';
import { LoadState } from '../../components/load-state/load-state';
import { type Automation, listAutomations, setAutomationEnabled } from '../../lib/api/automations';
import { me } from '../../lib/session';
import { type LeadNames, useLeadNames } from '../../lib/use-lead-names';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';

export function AutomationCard(props: { item: Automation; timeZone: string; names?: LeadNames }) {
  const [item, setItem] = useState(props.item);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function toggle() {
    setBusy(true);
    setError(null);
    try {
      setItem(await setAutomationEnabled(item.id, !item.enabled));
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not change it');
    } finally {
      setBusy(false);
    }
  }

  return (
    <li class="card automation-item" data-testid="automation-item">
      <div class="card-head">
        <h2>
          <a href={`/automations/${item.id}`}>{item.name}</a>
        </h2>
        <span class={`chip ${item.enabled ? 'chip-open' : 'chip-closed'}`} aria-hidden="true">
          {item.enabled ? 'On' : 'Off'}
        </span>
        <button
          type="button"
          role="switch"
          class="switch"
          aria-checked={item.enabled}
          aria-label={item.name}
          disabled={busy}
          onClick={() => void toggle()}
        />
      </div>
      <AutomationSentence
        trigger={item.trigger}
        sendWindow={item.send_window}
        templateName={item.template.name}
        audience={item.audience}
        timeZone={props.timeZone}
        {...props.names}
      />
      {!item.enabled && item.paused_reason && (
        <p class="paused-reason" data-testid="paused-reason">
          Paused by ClubChat: {item.paused_reason}. Switch it on again once the template is approved.
        </p>
      )}
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      <div class="item-links">
        <a href={`/automations/${item.id}/audience`}>Audience now</a>
        <a href={`/automations/${item.id}/runs`}>Run log</a>
        <a href={`/automations/${item.id}`}>Edit</a>
      </div>
    </li>
  );
}

export function AutomationListPage() {
  const { data, error, reload } = useLoad(listAutomations, []);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  const names = useLeadNames();
  return (
    <div class="page">
      <AppHeader title="Automated items" back="/" />
      <main class="automations-main">
        <LoadState data={data} error={error} reload={reload}>
          {(data) =>
            data.collection.length === 0 ? (
              <div class="card">
                <p>No automated items yet.</p>
                <p class="muted small">
                  An automated item sends an approved template to each person when something happens: a membership ends,
                  a birthday, nobody has written back.
                </p>
              </div>
            ) : (
              <ul class="automation-list" aria-label="Automated items">
                {data.collection.map((item) => (
                  <AutomationCard key={item.id} item={item} timeZone={timeZone} names={names} />
                ))}
              </ul>
            )
          }
        </LoadState>
      </main>
      <a class="fab" href="/automations/new">
        + New item
      </a>
    </div>
  );
}
