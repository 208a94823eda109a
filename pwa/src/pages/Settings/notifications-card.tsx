// Push notifications for this device: a switch that asks the browser's permission when turned on.
import { useEffect, useState } from 'preact/hooks';
import { disablePush, enablePush, pushState, refreshPushState } from '../../lib/push-subscription';
import { errorText } from '../../lib/use-load';

const NOTE: Record<'unsupported' | 'blocked', string> = {
  unsupported:
    'This browser cannot show notifications for ClubChat. On an iPhone, add ClubChat to the home screen first and open it from there.',
  blocked:
    "Notifications are blocked for ClubChat in this browser. Allow them in the browser's site settings, then come back.",
};

export function NotificationsCard() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void refreshPushState();
  }, []);
  const state = pushState.value;

  const toggle = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await (on ? enablePush() : disablePush());
    } catch (err) {
      setError(errorText(err, 'Notifications could not be changed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title" class="card-head">
        Notifications
      </h2>
      {state === 'unsupported' || state === 'blocked' ? (
        <p class="small" role="status">
          {NOTE[state]}
        </p>
      ) : (
        <>
          <label class="switch-row">
            New messages on this device
            <input
              type="checkbox"
              role="switch"
              checked={state === 'on'}
              aria-checked={state === 'on'}
              disabled={busy || state === undefined}
              onChange={(e) => void toggle(e.currentTarget.checked)}
            />
          </label>
          <p class="muted small">
            When the app is closed, this phone shows who wrote and a preview, one notification per chat. Logging out
            stops them.
          </p>
        </>
      )}
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
    </section>
  );
}
