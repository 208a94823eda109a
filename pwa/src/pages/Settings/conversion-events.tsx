// The company's recent Conversions API events under its setting: who, which event, and where it stands (sent,
// waiting for a retry, failed and Meta's reason), newest first, older ones a page at a time.
import { useState } from 'preact/hooks';
import { LoadState } from '../../components/load-state/load-state';
import { type ConversionEvent, listConversionEvents } from '../../lib/api/settings';
import { fullTime } from '../../lib/format';
import { errorText, useLoad } from '../../lib/use-load';

const EVENT_WORDS: Record<ConversionEvent['event'], string> = {
  LeadSubmitted: 'New lead (LeadSubmitted)',
  Purchase: 'Joined (Purchase)',
};

/** Where an event stands, in words. */
export function outcomeWords(e: ConversionEvent): string {
  if (e.state === 'sent') return 'Reported';
  const reason = e.error ? `${e.error.title} (${e.error.code})` : null;
  if (e.state === 'failed') return `Not reported: ${reason ?? 'failed'}`;
  return e.attempts === 0 ? 'Waiting to be reported' : `Will retry: ${reason ?? 'no answer'}`;
}

const CHIP: Record<ConversionEvent['state'], string> = { sent: 'chip', pending: 'chip', failed: 'chip chip-danger' };

export function ConversionEvents() {
  const { data, error, reload } = useLoad(() => listConversionEvents());
  const [older, setOlder] = useState<ConversionEvent[]>([]);
  const [next, setNext] = useState<string | null | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<string | null>(null);
  const cursor = next === undefined ? (data?.pagination.next_cursor ?? null) : next;

  const showMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await listConversionEvents(cursor);
      setOlder((rows) => [...rows, ...page.collection]);
      setNext(page.pagination.next_cursor ?? null);
    } catch (err) {
      setMoreError(errorText(err, 'Could not load older events'));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <section class="card" aria-labelledby="conversion-events-title">
      <h2 id="conversion-events-title" class="card-head">
        Recent events
      </h2>
      <LoadState data={data} error={error} what="Events" reload={reload}>
        {(page) => {
          const rows = [...page.collection, ...older];
          if (rows.length === 0)
            return <p class="muted">No events yet. They appear when an ad lead writes or joins.</p>;
          return (
            <>
              <ul class="item-list" aria-label="Conversion events">
                {rows.map((e) => (
                  <li key={e.id} data-testid="conversion-event">
                    <div class="item-head">
                      <a href={`/c/${e.person_id}`}>{e.person_name}</a>
                      <span class={CHIP[e.state]}>
                        {e.state === 'sent' ? 'Sent' : e.state === 'failed' ? 'Failed' : 'Pending'}
                      </span>
                    </div>
                    <span class="small">
                      {EVENT_WORDS[e.event]} · {fullTime(e.event_time)}
                    </span>
                    <span class="small muted">{outcomeWords(e)}</span>
                  </li>
                ))}
              </ul>
              {moreError && (
                <p role="alert" class="error small">
                  {moreError}
                </p>
              )}
              {cursor && (
                <button type="button" class="show-more" onClick={() => void showMore()} aria-busy={loadingMore}>
                  {loadingMore ? 'Loading…' : 'Show older events'}
                </button>
              )}
            </>
          );
        }}
      </LoadState>
    </section>
  );
}
