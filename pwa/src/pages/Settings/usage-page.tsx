// What Meta will bill this month: WhatsApp messages sent and delivered per billing category. Meta bills
// delivered template messages by category; free text inside the 24-hour window ("service") is free.

import { LoadState } from '../../components/load-state/load-state';
import { getUsage } from '../../lib/api/settings';
import { me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { CATEGORIES, monthRange, usageSentence } from './usage-month';

export function UsagePage() {
  const month = monthRange(Date.now(), me.value?.company.timezone ?? 'UTC');
  const { data, error, reload } = useLoad(() => getUsage(month.from, month.to));
  return (
    <div class="page">
      <AppHeader title="Usage this month" back="/settings" />
      <main class="settings-main">
        <section class="card" aria-labelledby="usage-title">
          <h2 id="usage-title" class="card-head">
            {month.label}
          </h2>
          <LoadState data={data} error={error} what="Usage" reload={reload}>
            {(usage) => {
              const total = (k: 'sent' | 'delivered') => CATEGORIES.reduce((n, c) => n + usage.totals[c.key][k], 0);
              return (
                <>
                  <p data-testid="usage-sentence">{usageSentence(usage.totals, month.label)}</p>
                  <table class="usage">
                    <caption>
                      Days in {usage.timezone} time, {usage.from} to {usage.to}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">Category</th>
                        <th scope="col" class="num">
                          Sent
                        </th>
                        <th scope="col" class="num">
                          Delivered
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {CATEGORIES.map((c) => (
                        <tr key={c.key} data-testid={`usage-${c.key}`}>
                          <th scope="row">
                            {c.label}
                            <span class="small muted">
                              <br />
                              {c.what}
                              {c.billed ? '' : ' (free)'}
                            </span>
                          </th>
                          <td class="num">{usage.totals[c.key].sent}</td>
                          <td class="num">{usage.totals[c.key].delivered}</td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">Total</th>
                        <td class="num">{total('sent')}</td>
                        <td class="num">{total('delivered')}</td>
                      </tr>
                    </tfoot>
                  </table>
                  <p class="muted small">
                    Sent: accepted by WhatsApp and not failed. Delivered: reached the phone (read ones included). Meta
                    bills delivered template messages; its invoice is the final word.
                  </p>
                </>
              );
            }}
          </LoadState>
        </section>
      </main>
    </div>
  );
}
