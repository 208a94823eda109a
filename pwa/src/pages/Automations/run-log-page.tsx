// /automations/:id/runs: each run of the item (the cron's or a manual one), when it ran and what came of it.
import { useRoute } from 'preact-iso';
import { LoadState } from '../../components/load-state/load-state';
import { type AutomationRun, getAutomation, listRuns } from '../../lib/api/automations';
import { me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { skipReasonWords } from './skip-reasons';
import { zonedTime } from './zoned-time';

async function load(id: string) {
  const [item, runs] = await Promise.all([getAutomation(id), listRuns(id)]);
  // The generated type lets a run be null (the schema is shared with POST /run's `run: null`); the log has none.
  return { item, runs: runs.collection.filter((r): r is AutomationRun => r !== null) };
}

function RunRow(props: { run: AutomationRun; timeZone: string }) {
  const { run, timeZone } = props;
  const skipped = Object.entries(run.skipped);
  const skippedTotal = skipped.reduce((n, [, count]) => n + count, 0);
  return (
    <li class="card" data-testid="run">
      <div class="card-head">
        <h2>{run.kind === 'manual' ? 'Run by hand' : 'Scheduled run'}</h2>
        <span class={`chip ${run.finished_at ? 'chip-open' : 'chip-closed'}`}>
          {run.finished_at ? 'Finished' : 'Sending'}
        </span>
      </div>
      <p class="small muted">
        Started {zonedTime(run.started_at, timeZone)}
        {run.finished_at ? ` · finished ${zonedTime(run.finished_at, timeZone)}` : ` · ${run.pending} still to send`}
      </p>
      <div class="run-counts">
        <span class="chip chip-closed">{run.due} due</span>
        <span class="chip chip-open">{run.sent} sent</span>
        {skippedTotal > 0 && <span class="chip chip-closed">{skippedTotal} skipped</span>}
        {run.failed > 0 && <span class="chip chip-danger">{run.failed} failed</span>}
        {run.pending > 0 && <span class="chip chip-closed">{run.pending} pending</span>}
      </div>
      {skipped.length > 0 && (
        <ul class="small run-reasons" aria-label="Skipped, by reason">
          {skipped.map(([reason, count]) => (
            <li key={reason}>
              {count} × {skipReasonWords(reason)}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

export function RunLogPage() {
  const id = useRoute().params.id ?? '';
  const { data, error, reload } = useLoad(() => load(id), [id]);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  return (
    <div class="page">
      <AppHeader title="Run log" back="/automations" />
      <main class="automations-main">
        <LoadState data={data} error={error} reload={reload}>
          {(data) => (
            <>
              <div class="card-head pad">
                <h2>{data.item.name}</h2>
                <button type="button" onClick={reload}>
                  Refresh
                </button>
              </div>
              {data.runs.length === 0 ? (
                <p class="card muted">
                  No runs yet. ClubChat checks every enabled item every 5 minutes; "Run now" on its audience page runs
                  it at once.
                </p>
              ) : (
                <ul class="runs" aria-label="Runs">
                  {data.runs.map((run) => (
                    <RunRow key={run.id} run={run} timeZone={timeZone} />
                  ))}
                </ul>
              )}
            </>
          )}
        </LoadState>
      </main>
    </div>
  );
}
