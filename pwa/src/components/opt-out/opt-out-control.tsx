import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../dialog/confirm-dialog';
import { optOutControl } from './opt-out-state';

export interface OptOutProps {
  name: string;
  optedOut: boolean;
  whatsappEnabled: boolean;
  /** Resolves when stored; throws with the reason in words. */
  onOptOut: () => Promise<void>;
}

export function OptOutControl(props: OptOutProps) {
  const control = optOutControl(props);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (control.kind === 'hidden') return null;
  if (control.kind === 'opted_out')
    return (
      <button type="button" class="opt-out is-opted-out" disabled aria-disabled="true" data-testid="opt-out">
        {control.label}
      </button>
    );

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onOptOut();
      setConfirming(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not opt out');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" class="opt-out" data-testid="opt-out" onClick={() => setConfirming(true)}>
        {control.label}
      </button>
      {confirming && (
        <ConfirmDialog
          title="Opt out of WhatsApp?"
          confirmLabel="Confirm"
          busy={busy}
          error={error}
          onConfirm={() => void confirm()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {props.name} will get no more WhatsApp messages from the gym. Staff cannot undo this: only {props.name} can
            opt back in, by sending START.
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}
