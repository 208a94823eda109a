// A reply still on this device (lib/outbox/): waiting for a connection, being sent, or refused by the server
// when it went (window closed meanwhile, opted out...), kept with its reason until discarded.
import { Ticks } from '../../components/ticks/ticks';
import { shortTime } from '../../lib/format';
import { type OutboxItem, outboxText } from '../../lib/outbox/store';

export function OutboxBubble({ item, onDiscard }: { item: OutboxItem; onDiscard: (key: string) => void }) {
  const refused = item.state === 'refused';
  return (
    <li
      class={`bubble out outbox${refused ? ' failed' : ' pending'}`}
      data-testid="bubble"
      data-status={`outbox-${item.state}`}
    >
      <p class="text">{outboxText(item.message)}</p>
      <span class="meta">
        <time dateTime={item.createdAt}>{shortTime(item.createdAt)}</time>
        {/* Waiting has no tick: its words below say it all, and a clock would claim it is being sent. */}
        {item.state !== 'waiting' && <Ticks status={refused ? 'failed' : 'pending'} />}
      </span>
      {item.state === 'waiting' && (
        <p class="outbox-state" role="status">
          Waiting for connection
        </p>
      )}
      {item.state === 'sending' && (
        <p class="outbox-state" role="status">
          Sending…
        </p>
      )}
      {refused && (
        <>
          <p class="fail-reason" role="note">
            Not sent: {item.refusal ?? 'refused by the server'}
          </p>
          <button
            type="button"
            class="link discard"
            aria-label={`Discard unsent message: ${outboxText(item.message).slice(0, 40)}`}
            onClick={() => onDiscard(item.key)}
          >
            Discard
          </button>
        </>
      )}
    </li>
  );
}
