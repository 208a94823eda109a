// A broadcast's report: sent, delivered, read, replied, then failed and skipped by reason, in words.
import type { BroadcastReport } from '../../lib/api/broadcasts';
import { skipReasonWords } from '../Automations/skip-reasons';

function Reasons(props: { title: string; counts: Record<string, number>; words: (reason: string) => string }) {
  const entries = Object.entries(props.counts).filter(([, n]) => n > 0);
  if (entries.length === 0) return null;
  return (
    <section class="broadcast-reasons">
      <h3>{props.title}</h3>
      <ul>
        {entries.map(([reason, n]) => (
          <li key={reason}>
            <span class="reason-count">{n}</span> {props.words(reason)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Meta's failure codes as a person reads them; anything else by its code. */
const failureWords = (code: string): string =>
  code === '131026' ? 'Not on WhatsApp or could not receive it (131026)' : `Failed (${code.replace(/_/g, ' ')})`;

export function BroadcastFigures(props: { report: BroadcastReport; compact?: boolean }) {
  const r = props.report;
  const figures: [string, number][] = [
    ['Sent', r.sent],
    ['Delivered', r.delivered],
    ['Read', r.read],
    ['Replied', r.replied],
  ];
  const failed = Object.values(r.failed).reduce((a, b) => a + b, 0);
  const skipped = Object.values(r.skipped).reduce((a, b) => a + b, 0);
  return (
    <div class="broadcast-figures" data-testid="broadcast-figures">
      <dl class="figures">
        {figures.map(([label, n]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{n}</dd>
          </div>
        ))}
      </dl>
      {props.compact ? (
        <p class="muted small">
          {r.recipients} people · {r.pending} waiting · {skipped} skipped · {failed} failed
        </p>
      ) : (
        <>
          <p class="muted small">
            {r.recipients} people in its audience, {r.pending} still waiting
          </p>
          <Reasons title="Skipped" counts={r.skipped} words={skipReasonWords} />
          <Reasons title="Failed" counts={r.failed} words={failureWords} />
        </>
      )}
    </div>
  );
}
