// A reply still on this device (lib/outbox/): waiting for a connection, being sent, or refused by the server
// when it went (window closed meanwhile, opted out...), kept with its reason until discarded; or unsure: tried
// with no answer too long ago to replay safely (outbox/replay.ts), so the user checks the conversation.

import { BLIND_REPLAY_MS } from '#common/idempotency';
import { Ticks } from '../../components/ticks/ticks';
import { shortTime } from '../../lib/format';
import { type OutboxItem, outboxText } from '../../lib/outbox/store';

const UNSURE = `Maybe not sent: its first try got no answer over ${BLIND_REPLAY_MS / 3_600_000} hours ago, so it is not sent again by itself. If it is not in the conversation, write it again.`;

export function OutboxBubble({ item, onDiscard }: { item: OutboxItem; onDiscard: (key: string) => void }) {
  const refused = item.state === 'refused';
  const unsure = item.state === 'unsure';
  return (
    <li
      class={`bubble out outbox${refused || unsure ? ' failed' : ' pending'}`}
      data-testid="bubble"
      data-status={`outbox-${item.state}`}
    >
      <p class="text">{outboxText(item.message)}</p>
      <span class="meta">
        <time dateTime={item.createdAt}>{shortTime(item.createdAt)}</time>
        {/* Waiting has no tick: its words below say it all, and a clock would claim it is being sent. */}
        {item.state === 'sending' && <Ticks status="pending" />}
        {refused && <Ticks status="failed" />}
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
      {(refused || unsure) && (
        <>
          <p class="fail-reason" role="note">
            {unsure ? UNSURE : `Not sent: ${item.refusal ?? 'refused by the server'}`}
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
