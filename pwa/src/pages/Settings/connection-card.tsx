// The company's WhatsApp number and whether it works. Read-only here: the number, its token and switching
// WhatsApp on belong to the platform admin (worker/admin), so a gym cannot point ClubChat at another account.

import { LoadState } from '../../components/load-state/load-state';
import { getConnection, type WhatsappConnection } from '../../lib/api/settings';
import { businessNumber } from '../../lib/format';
import { useLoad } from '../../lib/use-load';

const STATUS: Record<WhatsappConnection['status'], { label: string; detail: string }> = {
  connected: { label: 'Connected', detail: 'Messages go out and come in on this number.' },
  off: { label: 'Off', detail: 'WhatsApp is not switched on for this gym: nothing can be sent or received.' },
  not_configured: {
    label: 'Not set up',
    detail: 'WhatsApp is on, but the number or its access token is missing: nothing can be sent yet.',
  },
};

const phone = (n: string | null) => (n ? businessNumber(n) : 'None yet');

export function ConnectionCard() {
  const { data, error, reload } = useLoad(getConnection);
  return (
    <section class="card" aria-labelledby="connection-title">
      <h2 id="connection-title" class="card-head">
        WhatsApp connection
      </h2>
      <LoadState data={data} error={error} what="The connection" reload={reload}>
        {(c) => (
          <>
            <dl class="facts">
              <dt>Number</dt>
              <dd data-testid="connection-number">{phone(c.display_phone_number)}</dd>
              <dt>Status</dt>
              <dd>
                <span class={`status-${c.status}`} data-testid="connection-status">
                  {STATUS[c.status].label}
                </span>
              </dd>
              <dt>Speed</dt>
              <dd>up to {c.messages_per_second} messages a second</dd>
            </dl>
            <p class="small">{STATUS[c.status].detail}</p>
            <p class="muted small">
              Only the ClubChat platform admin switches WhatsApp on and changes the number; ask them if this is wrong.
            </p>
          </>
        )}
      </LoadState>
    </section>
  );
}
