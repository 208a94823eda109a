// Says when the screen may be older than the server's latest: no connection, or the service worker answered
// from its saved copies (lib/outbox/connection.ts).
import { showingSaved } from '../../lib/outbox/connection';
import './offline-notice.css';

export function OfflineNotice() {
  if (!showingSaved.value) return null;
  return (
    <p class="offline-notice" role="status" data-testid="offline-notice">
      Offline: showing saved messages
    </p>
  );
}
