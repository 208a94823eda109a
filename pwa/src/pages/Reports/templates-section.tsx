// Templates and automated items: for each, how many went, were delivered, read and answered within 48 hours.
import { LoadState } from '../../components/load-state/load-state';
import { getTemplatesReport, type ReportQuery } from '../../lib/api/reports';
import { useLoad } from '../../lib/use-load';
import { Bars } from './charts';
import { percentText } from './report-range';

export function TemplatesSection(props: { query: ReportQuery; queryKey: string }) {
  const { data, error, reload } = useLoad(() => getTemplatesReport(props.query), [props.queryKey]);
  return (
    <LoadState data={data} error={error} what="Templates" reload={reload}>
      {(r) =>
        r.items.length === 0 ? (
          <p class="muted">No templates were sent in this range.</p>
        ) : (
          <ul class="report-cards" data-testid="template-items">
            {r.items.map((t) => (
              <li key={`${t.template}:${t.automation_id ?? ''}`} class="report-card">
                <div class="report-card-head">
                  <strong>{t.automation_name ?? t.template}</strong>
                  <span class="muted small">{t.automation_name ? `automated · ${t.template}` : 'sent by people'}</span>
                </div>
                <Bars
                  title={`${t.template}: sent, delivered, read, replied`}
                  rows={[
                    { label: 'Sent', value: t.sent },
                    {
                      label: 'Delivered',
                      value: t.delivered,
                      text: `${t.delivered} · ${percentText(t.delivery_rate)}`,
                    },
                    { label: 'Read', value: t.read, text: `${t.read} · ${percentText(t.read_rate)}` },
                    {
                      label: 'Replied in 48 h',
                      value: t.replied,
                      text: `${t.replied} · ${percentText(t.reply_rate)}`,
                      color: 'var(--chart-2)',
                    },
                  ]}
                />
              </li>
            ))}
          </ul>
        )
      }
    </LoadState>
  );
}
