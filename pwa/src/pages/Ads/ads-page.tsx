// The ads report (managers, admins): per click-to-WhatsApp ad, the leads it brought in the last 30 days, how many
// replied after our first answer and how many joined. A row opens the people who came from that ad.
import '../../components/ad-card/ad-card.css';
import { AdsRow } from '../../components/ad-card/ads-row';
import { adsReport } from '../../lib/api/ads';
import { can } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';

export function AdsPage() {
  const report = useLoad(() => adsReport(), []);
  if (!can('ad_reports'))
    return (
      <div class="page">
        <AppHeader title="Ads" back="/" />
        <p class="center muted">The ads report is for managers and admins.</p>
      </div>
    );
  return (
    <div class="page">
      <AppHeader title="Ads" back="/" />
      <main class="stack pad">
        <p class="muted small">Leads from click-to-WhatsApp ads in the last 30 days.</p>
        {report.error ? (
          <p role="alert" class="error">
            {report.error}
          </p>
        ) : report.data === undefined ? (
          <p class="center muted" aria-busy="true">
            Loading…
          </p>
        ) : report.data.collection.length === 0 ? (
          <p class="center muted">No leads from ads in this period.</p>
        ) : (
          <table class="ads-report" aria-label="Leads per ad">
            <thead>
              <tr>
                <th scope="col">Ad</th>
                <th scope="col">Leads</th>
                <th scope="col">Replied</th>
                <th scope="col">Joined</th>
              </tr>
            </thead>
            <tbody>
              {report.data.collection.map((row) => (
                <AdsRow key={row.source_id} row={row} />
              ))}
            </tbody>
          </table>
        )}
      </main>
    </div>
  );
}
