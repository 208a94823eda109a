// The inbox's offer to notify this device of new messages. It appears once the staff member has replied from
// this device (a sensible moment, never on first load), only while notifications are off and not refused, and
// goes away for good on "Not now" (Settings keeps the switch).
import { useEffect, useState } from 'preact/hooks';
import {
  dismissPushPrompt,
  enablePush,
  promptDismissed,
  pushState,
  repliedOnce,
  resyncPush,
} from '../../lib/push-subscription';
import './push-prompt.css';

export function PushPrompt(props: { userId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void resyncPush(props.userId);
  }, [props.userId]);

  if (pushState.value !== 'off' || promptDismissed.value || !repliedOnce.value) return null;

  const turnOn = async () => {
    setBusy(true);
    setError(null);
    try {
      await enablePush();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Notifications could not be turned on');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="push-prompt" aria-labelledby="push-prompt-title" data-testid="push-prompt">
      <h2 id="push-prompt-title">Get notified of new messages</h2>
      <p class="small">When the app is closed, this phone shows who wrote and what they said.</p>
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      <div class="row-buttons">
        <button type="button" class="primary" disabled={busy} onClick={() => void turnOn()}>
          Turn on notifications
        </button>
        <button type="button" disabled={busy} onClick={dismissPushPrompt}>
          Not now
        </button>
      </div>
    </section>
  );
}
