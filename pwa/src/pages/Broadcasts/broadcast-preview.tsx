// A broadcast's preview: how many get it, who is skipped and why, what Meta bills, and how it reads.
import type { BroadcastPreview } from '../../lib/api/broadcasts';
import { skipReasonWords } from '../Automations/skip-reasons';
import { costWords } from './broadcast-words';

export function BroadcastPreviewView(props: { preview: BroadcastPreview }) {
  const p = props.preview;
  const skipped = Object.entries(p.skipped).filter(([, n]) => n > 0);
  return (
    <section class="card broadcast-preview" aria-label="Preview" data-testid="broadcast-preview">
      <h2>Preview</h2>
      <p class="broadcast-headline">
        <strong>{p.will_send}</strong> of {p.audience} would get it now
      </p>
      <p>
        Cost: <strong data-testid="broadcast-cost">{costWords(p.cost)}</strong>
        <span class="muted small"> (Meta bills each delivered template by its category)</span>
      </p>
      {p.frequency_cap && (
        <p class="muted small">
          Frequency cap: at most {p.frequency_cap.max} marketing messages per person in {p.frequency_cap.days} days.
        </p>
      )}
      {skipped.length > 0 && (
        <section class="broadcast-reasons">
          <h3>Skipped</h3>
          <ul>
            {skipped.map(([reason, n]) => (
              <li key={reason}>
                <span class="reason-count">{n}</span> {skipReasonWords(reason)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {p.body && (
        <div class="bubble-preview">
          <p class="muted small">How it reads for {p.people.find((x) => x.skipped === null)?.name ?? 'the first'}:</p>
          <p class="template-body">{p.body}</p>
        </div>
      )}
      {p.people.length > 0 && (
        <details>
          <summary>People ({p.people.length < p.audience ? `first ${p.people.length}` : p.people.length})</summary>
          <ul class="broadcast-people">
            {p.people.map((x) => (
              <li key={x.person_id}>
                <a href={`/people/${x.person_id}`}>{x.name}</a>
                <span class={x.skipped ? 'muted small' : 'small'}>
                  {x.skipped ? skipReasonWords(x.skipped) : 'Gets it'}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
