// The gym's broadcasts, newest first: each with its state, when it starts and its figures so far.
import { LoadState } from '../../components/load-state/load-state';
import { type Broadcast, listBroadcasts } from '../../lib/api/broadcasts';
import { me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { BroadcastFigures } from './broadcast-figures';
import { STATE_CHIP, STATE_WORDS } from './broadcast-words';

export const whenWords = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

export function BroadcastCard(props: { broadcast: Broadcast; timeZone: string }) {
  const b = props.broadcast;
  return (
    <li class="card broadcast-item" data-testid="broadcast-item">
      <div class="card-head">
        <h2>
          <a href={`/broadcasts/${b.id}`}>{b.name}</a>
        </h2>
        <span class={`chip ${STATE_CHIP[b.state]}`}>{STATE_WORDS[b.state]}</span>
      </div>
      <p class="muted small">
        {b.template.name} · {b.state === 'finished' && b.finished_at ? 'finished ' : 'from '}
        {whenWords(b.state === 'finished' && b.finished_at ? b.finished_at : b.start_at, props.timeZone)}
      </p>
      {b.paused_reason && <p class="paused-reason">Paused by ClubChat: {b.paused_reason}</p>}
      {b.report && <BroadcastFigures report={b.report} compact />}
    </li>
  );
}

export function BroadcastListPage() {
  const { data, error, reload } = useLoad(listBroadcasts, []);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  return (
    <div class="page">
      <AppHeader title="Broadcasts" back="/" />
      <main class="automations-main">
        <LoadState data={data} error={error} reload={reload}>
          {(data) =>
            data.collection.length === 0 ? (
              <div class="card">
                <p>No broadcasts yet.</p>
                <p class="muted small">
                  A broadcast sends one approved template to everyone in an audience, from a start time, inside the
                  hours you choose. Preview it first: who gets it, who is skipped and why, and what Meta bills.
                </p>
              </div>
            ) : (
              <ul class="automation-list" aria-label="Broadcasts">
                {data.collection.map((b) => (
                  <BroadcastCard key={b.id} broadcast={b} timeZone={timeZone} />
                ))}
              </ul>
            )
          }
        </LoadState>
      </main>
      <a class="fab" href="/broadcasts/new">
        + New broadcast
      </a>
    </div>
  );
}
