// Messages: received and sent per day (a chart), delivery and read rates, by category and template, and why
// sends failed (Meta's error codes, in its words).
import { LoadState } from '../../components/load-state/load-state';
import { getConversationsReport, type ReportQuery } from '../../lib/api/reports';
import { useLoad } from '../../lib/use-load';
import { Bars, DayColumns } from './charts';
import { percentText } from './report-range';

const CATEGORY_WORDS: Record<string, string> = {
  service: 'Free-text replies',
  marketing: 'Marketing templates',
  utility: 'Utility templates',
  authentication: 'Authentication templates',
};

export function ConversationsSection(props: { query: ReportQuery; queryKey: string }) {
  const { data, error, reload } = useLoad(() => getConversationsReport(props.query), [props.queryKey]);
  return (
    <LoadState data={data} error={error} what="Messages" reload={reload}>
      {(r) => (
        <>
          <div class="stat-grid" data-testid="messages-headline">
            <div class="stat">
              <span class="stat-value">{r.totals.received}</span>
              <span class="stat-label">received</span>
            </div>
            <div class="stat">
              <span class="stat-value">{r.totals.sent}</span>
              <span class="stat-label">sent</span>
            </div>
            <div class="stat">
              <span class="stat-value">{percentText(r.totals.delivery_rate)}</span>
              <span class="stat-label">delivered</span>
            </div>
            <div class="stat">
              <span class="stat-value">{percentText(r.totals.read_rate)}</span>
              <span class="stat-label">of those read</span>
            </div>
          </div>
          <DayColumns
            title={`Messages per day: ${r.totals.received} received, ${r.totals.sent} sent`}
            days={r.days}
            series={[
              { key: 'received', label: 'Received', color: 'var(--chart-2)' },
              { key: 'sent', label: 'Sent', color: 'var(--brand)' },
            ]}
          />
          {r.by_category.length > 0 && (
            <>
              <h3 class="report-h">Sent by kind</h3>
              <Bars
                title="Sent by kind"
                testid="by-category"
                rows={r.by_category.map((c) => ({
                  label: CATEGORY_WORDS[c.category] ?? c.category,
                  value: c.sent,
                  text: `${c.sent} · ${percentText(c.delivery_rate)} delivered`,
                }))}
              />
            </>
          )}
          {r.by_template.length > 0 && (
            <>
              <h3 class="report-h">Sent by template</h3>
              <Bars
                title="Sent by template"
                rows={r.by_template.map((t) => ({
                  label: t.template,
                  value: t.sent,
                  text: `${t.sent} · ${percentText(t.read_rate)} read`,
                }))}
              />
            </>
          )}
          <h3 class="report-h">Failed</h3>
          {r.failures.length === 0 ? (
            <p class="muted">No failed messages in this range.</p>
          ) : (
            <Bars
              title="Failures by reason"
              testid="failures"
              rows={r.failures.map((f) => ({
                label: f.title ? `${f.title} (${f.code})` : f.code,
                value: f.failed,
                color: 'var(--danger)',
              }))}
            />
          )}
        </>
      )}
    </LoadState>
  );
}
