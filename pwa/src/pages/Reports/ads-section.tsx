// The ads report as a tab of Reports (managers, admins): per click-to-WhatsApp ad, the leads whose first message
// came from it in the range, how many replied after our first answer and how many joined (a won stage). The
// range is the Reports screen's whole days on the gym's clock, sent as instants so the ads report counts the
// same days as the other tabs. Each ad opens the inbox filtered by it.
import '../../components/ad-card/ad-card.css';
import { AdsRow } from '../../components/ad-card/ads-row';
import { LoadState } from '../../components/load-state/load-state';
import { adsReport } from '../../lib/api/ads';
import type { ReportQuery } from '../../lib/api/reports';
import { useLoad } from '../../lib/use-load';
import { zonedToIso } from '../Broadcasts/broadcast-form-state';

const nextDay = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The Reports range (local dates, `to` inclusive) as the ads report's [from, to) instants. */
export function adsPeriod(query: ReportQuery, timeZone: string): { from: string; to: string; club?: string } {
  const from = zonedToIso(`${query.from}T00:00`, timeZone) ?? `${query.from}T00:00:00Z`;
  const to = zonedToIso(`${nextDay(query.to)}T00:00`, timeZone) ?? `${nextDay(query.to)}T00:00:00Z`;
  return { from, to, ...(query.club ? { club: query.club } : {}) };
}

export function AdsSection(props: { query: ReportQuery; queryKey: string; timeZone: string }) {
  const { data, error, reload } = useLoad(() => adsReport(adsPeriod(props.query, props.timeZone)), [props.queryKey]);
  return (
    <LoadState data={data} error={error} what="Ads" reload={reload}>
      {(r) =>
        r.collection.length === 0 ? (
          <p class="muted">No leads from ads in this range.</p>
        ) : (
          <>
            <div class="stat-grid three" data-testid="ads-totals">
              <div class="stat">
                <span class="stat-value">{r.totals.leads}</span>
                <span class="stat-label">leads from ads</span>
              </div>
              <div class="stat">
                <span class="stat-value">{r.totals.replies}</span>
                <span class="stat-label">replied</span>
              </div>
              <div class="stat">
                <span class="stat-value">{r.totals.joined}</span>
                <span class="stat-label">joined</span>
              </div>
            </div>
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
                {r.collection.map((row) => (
                  <AdsRow key={row.source_id} row={row} />
                ))}
              </tbody>
            </table>
            <p class="muted small">
              A lead counts for the ad of their first message from an ad. Replied: wrote again after our first answer.
              Joined: now in a won stage. Every salesperson’s leads.
            </p>
          </>
        )
      }
    </LoadState>
  );
}
