// Speed to lead: the median and 90th percentile wait for a first answer from a person, the share answered
// within 5 minutes, on the clock or in business hours; per salesperson; and the leads never answered.
import { useState } from 'preact/hooks';
import { LoadState } from '../../components/load-state/load-state';
import { getSpeedToLead, type ReportQuery, type SpeedFigures } from '../../lib/api/reports';
import { useLoad } from '../../lib/use-load';
import { Bars, Ring } from './charts';
import { percentText, waitText } from './report-range';

function Headline(props: { figures: SpeedFigures }) {
  const f = props.figures;
  return (
    <div class="stat-grid" data-testid="speed-headline">
      <div class="stat">
        <span class="stat-value">{waitText(f.median_ms)}</span>
        <span class="stat-label">median wait</span>
      </div>
      <div class="stat">
        <span class="stat-value">{waitText(f.p90_ms)}</span>
        <span class="stat-label">90% within</span>
      </div>
      <div class="stat stat-ring">
        <Ring share={f.within_5_min_share} label="within 5 minutes" />
        <span class="stat-value">{percentText(f.within_5_min_share)}</span>
        <span class="stat-label">within 5 min</span>
      </div>
      <div class="stat">
        <span class="stat-value">
          {f.answered}/{f.leads}
        </span>
        <span class="stat-label">leads answered</span>
      </div>
    </div>
  );
}

export function SpeedSection(props: { query: ReportQuery; queryKey: string }) {
  const [clock, setClock] = useState<'overall' | 'business_hours'>('business_hours');
  const { data, error, reload } = useLoad(() => getSpeedToLead(props.query), [props.queryKey]);
  return (
    <LoadState data={data} error={error} what="Speed to lead" reload={reload}>
      {(r) => (
        <>
          <fieldset class="segmented small" aria-label="Clock">
            <button type="button" aria-pressed={clock === 'business_hours'} onClick={() => setClock('business_hours')}>
              Business hours
            </button>
            <button type="button" aria-pressed={clock === 'overall'} onClick={() => setClock('overall')}>
              Round the clock
            </button>
          </fieldset>
          <Headline figures={r[clock]} />
          <p class="muted small">
            From a lead’s first message (or their arrival from your website) to the first answer from a person.
            Automated items and away replies do not count.
            {clock === 'business_hours' ? ' The clock stops while the club is closed.' : ''}
          </p>
          {r.by_user.length > 1 && (
            <>
              <h3 class="report-h">Median wait by salesperson</h3>
              <Bars
                title="Median wait by salesperson"
                testid="speed-by-user"
                rows={r.by_user
                  .filter((u) => u[clock].answered > 0)
                  .map((u) => ({
                    label: `${u.name ?? 'Unassigned'} (${u[clock].answered})`,
                    value: u[clock].median_ms ?? 0,
                    text: waitText(u[clock].median_ms),
                  }))}
              />
            </>
          )}
          {r.by_club.length > 1 && (
            <>
              <h3 class="report-h">Median wait by club</h3>
              <Bars
                title="Median wait by club"
                rows={r.by_club.map((c) => ({
                  label: `${c.name} (${c[clock].answered})`,
                  value: c[clock].median_ms ?? 0,
                  text: waitText(c[clock].median_ms),
                }))}
              />
            </>
          )}
          <h3 class="report-h">
            Never answered ({r.unanswered.collection.length}
            {r.unanswered.pagination.next_cursor ? '+' : ''})
          </h3>
          {r.unanswered.collection.length === 0 ? (
            <p class="muted">Every lead in this range has had an answer.</p>
          ) : (
            <ul class="report-list" data-testid="unanswered">
              {r.unanswered.collection.map((l) => (
                <li key={l.person_id}>
                  <a href={`/c/${l.person_id}`}>{l.name}</a>
                  <span class="muted small">
                    {' '}
                    {new Date(l.lead_at).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}
                    {l.owner_name ? ` · ${l.owner_name}` : ' · unassigned'}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </LoadState>
  );
}
