// "On shift" in the app's menu, for the roles round-robin gives leads to (the `take_leads` permission): on shift,
// a round-robin club's new leads come to this staff member in turn. The switch shows what the server holds:
// asked again each time the menu opens (another device, or a logout there, may have changed it), and set from
// the server's answer to every change, never from the tap alone.
import { useEffect, useState } from 'preact/hooks';
import { getShift, putShift } from '../../lib/api/shift';
import { me } from '../../lib/session';
import { errorText } from '../../lib/use-load';

function keep(onShift: boolean): void {
  if (me.value) me.value = { ...me.value, on_shift: onShift };
}

export function ShiftToggle() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const on = me.value?.on_shift === true;

  useEffect(() => {
    let current = true;
    getShift()
      .then((s) => {
        if (current) keep(s.on_shift);
      })
      // Offline or refused: the menu shows what /me said at login, and a tap will say what is wrong.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);

  const toggle = async (next: boolean) => {
    setBusy(true);
    setError(null);
    try {
      keep((await putShift(next)).on_shift);
    } catch (err) {
      setError(errorText(err, 'Your shift could not be changed'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="shift-toggle">
      <label class="switch-row">
        On shift
        <input
          type="checkbox"
          role="switch"
          checked={on}
          aria-checked={on}
          aria-describedby="shift-note"
          disabled={busy}
          onChange={(e) => void toggle(e.currentTarget.checked)}
        />
      </label>
      <p id="shift-note" class="muted small">
        {on ? 'New leads from round-robin clubs come to you in turn.' : 'Round-robin gives you no new leads.'}
      </p>
      {error && (
        <p role="alert" class="small error">
          {error}
        </p>
      )}
    </li>
  );
}
