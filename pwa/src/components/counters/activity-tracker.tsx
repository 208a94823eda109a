import type { ComponentChildren } from 'preact';
import { counterRows, type WhatsappCounters } from './counters';

export function ActivityTracker(props: { counters: WhatsappCounters; children?: ComponentChildren }) {
  return (
    <section class="card" aria-labelledby="activity-title">
      <div class="card-head">
        <h2 id="activity-title">Activity Tracker</h2>
        {props.children}
      </div>
      <table class="counters">
        <caption class="visually-hidden">WhatsApp messages sent and received per sale type</caption>
        <thead>
          <tr>
            <th scope="col">WhatsApp</th>
            <th scope="col">Sent</th>
            <th scope="col">Received</th>
          </tr>
        </thead>
        <tbody>
          {counterRows(props.counters).map((r) => (
            <tr key={r.saleType} data-sale-type={r.saleType}>
              <th scope="row">{r.label}</th>
              <td data-testid={`sent-${r.saleType}`}>{r.sent}</td>
              <td data-testid={`received-${r.saleType}`}>{r.received}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
