// The company's WhatsApp number and whether it works. Read-only here; admins connect a number with Facebook
// (Settings > WhatsApp, Embedded Signup), and the platform admin can still switch WhatsApp off (worker/admin).

import { LoadState } from '../../components/load-state/load-state';
import { getConnection, type WhatsappConnection } from '../../lib/api/settings';
import { businessNumber } from '../../lib/format';
import { can } from '../../lib/session';
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
            {can('whatsapp_connect') ? (
              <ConnectAction connected={c.status === 'connected'} />
            ) : (
              <p class="muted small">
                An admin of the gym connects the number with Facebook; ClubChat’s platform admin can switch WhatsApp
                off. Ask them if this is wrong.
              </p>
            )}
          </>
        )}
      </LoadState>
    </section>
  );
}

/**
 * Settings > WhatsApp, loaded as a whole page rather than by the app's router: its CSP alone lets Facebook's SDK
 * run (pwa/public/_headers), and a document keeps the CSP it was loaded with.
 */
function ConnectAction({ connected }: { connected: boolean }) {
  if (location.pathname.startsWith('/settings/whatsapp')) return null;
  return (
    <button type="button" class={connected ? '' : 'primary'} onClick={() => location.assign('/settings/whatsapp')}>
      {connected ? 'Connect another number with Facebook' : 'Connect with Facebook'}
    </button>
  );
}
