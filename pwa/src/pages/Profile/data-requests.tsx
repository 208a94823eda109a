// A person's data requests on the client profile (admins): export everything as a JSON file, and erase the
// person after a dialog that says what goes and what stays. The rules live on the server (worker/people/
// erasure.ts); this says them in words and asks for the person's name, so the wrong profile is never erased.
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { exportPerson, type PersonDetail } from '../../lib/api/people';
import { saveFile } from '../../lib/download';
import { fullTime, personName } from '../../lib/format';
import { refusalText } from '../../lib/refusal-text';

/** The name as typed matches the one shown; case and extra spaces do not matter. */
export function nameMatches(typed: string, name: string): boolean {
  const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLocaleLowerCase();
  return fold(typed) !== '' && fold(typed) === fold(name);
}

export function ErasePersonDialog(props: { person: PersonDetail; onErase: () => Promise<void>; onClose: () => void }) {
  const name = personName(props.person);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onErase();
      props.onClose();
    } catch (err) {
      setError(refusalText(err));
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title={`Erase ${name}?`}
      confirmLabel="Erase"
      busy={busy}
      canConfirm={nameMatches(typed, name)}
      error={error}
      onConfirm={confirm}
      onCancel={props.onClose}
    >
      <p>
        <strong>This cannot be undone.</strong> If they asked for a copy of their data, export it first.
      </p>
      <p>
        <strong>Removed:</strong> their name, email, date of birth and membership dates, and the text, photos, files and
        template values of every message and note. Messages not sent yet are cancelled.
      </p>
      <p>
        <strong>Kept:</strong> their phone number, so it stays blocked: no message can go to it until they give consent
        again. Also the consent log (the proof they opted out) and the audit log, and each message's time and status, so
        the counts stay right.
      </p>
      <label>
        Type {name} to confirm
        <input
          type="text"
          autoComplete="off"
          spellcheck={false}
          value={typed}
          onInput={(e) => setTyped(e.currentTarget.value)}
        />
      </label>
    </ConfirmDialog>
  );
}

/** On an erased profile: when, and whether the number is still blocked. */
export function ErasedNotice(props: { person: PersonDetail }) {
  const { erased_at: erasedAt, whatsapp_opted_out: blocked } = props.person;
  if (!erasedAt) return null;
  return (
    <p class="erased-notice" role="status" data-testid="erased-notice">
      <strong>Data erased at their request</strong> on {fullTime(erasedAt)}.{' '}
      {blocked
        ? 'No messages can be sent to their number until they give consent again.'
        : 'They have given consent again since.'}
    </p>
  );
}

/** Export as a download: a status while it is prepared, the file's name once saved, or why it failed. */
export function useExport(personId: string) {
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'done' | 'failed'; text: string }>({
    kind: 'idle',
  });
  const start = async () => {
    setState({ kind: 'busy' });
    try {
      const file = await exportPerson(personId);
      saveFile(file.blob, file.filename);
      setState({ kind: 'done', text: `Exported ${file.filename}` });
    } catch (err) {
      setState({ kind: 'failed', text: refusalText(err) });
    }
  };
  return { state, start, reset: () => setState({ kind: 'idle' }) };
}
