// The funnel: the range's new leads by the stage they are in now, and how many joined (reached a won stage) in
// the range, by salesperson and by where the lead came from.
import { LoadState } from '../../components/load-state/load-state';
import { getFunnel, type ReportQuery } from '../../lib/api/reports';
import { useLoad } from '../../lib/use-load';
import { Bars } from './charts';
import { percentText } from './report-range';

const SOURCE_WORDS: Record<string, string> = {
  whatsapp: 'Wrote in on WhatsApp',
  api: 'From your website or CRM',
  staff: 'Added by staff',
  other: 'Other',
};
const OUTCOME_COLOR: Record<string, string> = { won: 'var(--ok)', lost: 'var(--danger)', open: 'var(--chart-2)' };

export function FunnelSection(props: { query: ReportQuery; queryKey: string }) {
  const { data, error, reload } = useLoad(() => getFunnel(props.query), [props.queryKey]);
  return (
    <LoadState data={data} error={error} what="Funnel" reload={reload}>
      {(r) => (
        <>
          <div class="stat-grid" data-testid="funnel-headline">
            <div class="stat">
              <span class="stat-value">{r.added}</span>
              <span class="stat-label">new leads</span>
            </div>
            <div class="stat">
              <span class="stat-value">{r.won}</span>
              <span class="stat-label">joined</span>
            </div>
            <div class="stat">
              <span class="stat-value">{percentText(r.win_rate)}</span>
              <span class="stat-label">joined per new lead</span>
            </div>
          </div>
          <h3 class="report-h">New leads by stage now</h3>
          <Bars
            title="New leads by stage"
            testid="funnel-stages"
            rows={r.stages.map((s) => ({ label: s.name, value: s.leads, color: OUTCOME_COLOR[s.outcome] }))}
          />
          {r.by_user.length > 0 && (
            <>
              <h3 class="report-h">By salesperson</h3>
              <Bars
                title="Joined by salesperson"
                rows={r.by_user.map((u) => ({
                  label: u.name ?? 'Unassigned',
                  value: u.added,
                  text: `${u.added} new · ${u.won} joined`,
                }))}
              />
            </>
          )}
          {r.by_source.length > 0 && (
            <>
              <h3 class="report-h">By source</h3>
              <Bars
                title="By source"
                rows={r.by_source.map((s) => ({
                  label: SOURCE_WORDS[s.source] ?? s.source,
                  value: s.added,
                  text: `${s.added} new · ${s.won} joined`,
                }))}
              />
            </>
          )}
        </>
      )}
    </LoadState>
  );
}
