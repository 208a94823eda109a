// Add or change a quick reply. The shortcut follows the server's rule (lower-case letters, digits, "-" and "_",
// up to 32), checked here first so the mistake is named before the round trip.
import { useState } from 'preact/hooks';
import type { QuickReply, QuickReplyUpdate } from '../../lib/api/settings';
import { errorText } from '../../lib/use-load';
import { QuickReplyAttachmentField, type SavedAttachment } from './quick-reply-attachment';
import { buttonsProblem, quickReplyButtons } from './reply-buttons';

/** What the form saves: buttons (null: none) and the attachment as the API takes them, null to remove one. */
export type QuickReplySave = {
  shortcut: string;
  text: string;
  interactive?: QuickReplyUpdate['interactive'];
  attachment?: QuickReplyUpdate['attachment'];
};

const attachmentInput = (a: SavedAttachment | null): QuickReplyUpdate['attachment'] =>
  a === null
    ? null
    : {
        type: a.type,
        ...(a.id ? { id: a.id } : { link: a.link ?? '' }),
        ...(a.type === 'document' && a.filename ? { filename: a.filename } : {}),
      };

const NOT_BOTH = 'A quick reply asks with buttons or a list, or sends a file: not both';

const SHORTCUT = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export function shortcutProblem(shortcut: string): string | null {
  const s = shortcut.trim().replace(/^\//, '').toLowerCase();
  if (!s) return 'Give it a shortcut, e.g. prices';
  if (!SHORTCUT.test(s)) return 'Use lower-case letters, digits, "-" or "_" (up to 32), no spaces';
  return null;
}

export function QuickReplyForm(props: {
  initial?: QuickReply;
  onSave: (body: QuickReplySave) => Promise<void>;
  onCancel?: () => void;
}) {
  const [shortcut, setShortcut] = useState(props.initial?.shortcut ?? '');
  const [text, setText] = useState(props.initial?.text ?? '');
  const [attachment, setAttachment] = useState<SavedAttachment | null>(props.initial?.attachment ?? null);
  const [uploading, setUploading] = useState(false);
  const saved = props.initial?.interactive ?? null;
  const [buttons, setButtons] = useState(
    saved?.type === 'button' ? saved.action.buttons.map((b) => b.reply.title).join(' / ') : '',
  );
  const buttonsError = buttonsProblem(text, buttons);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idBase = props.initial ? `qr-${props.initial.id}` : 'qr-new';

  const submit = async (e: Event) => {
    e.preventDefault();
    // Buttons typed, or a list or link kept from the API, with a file: the server takes one or the other.
    const asks = buttons.trim() !== '' || (saved !== null && saved.type !== 'button');
    const problem =
      shortcutProblem(shortcut) ??
      (text.trim() ? null : 'Write the text to insert') ??
      buttonsError ??
      (asks && attachment ? NOT_BOTH : null);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // A list or link set through the API is kept (its text follows this one); typed titles replace buttons.
      const asked = quickReplyButtons(text, buttons);
      const interactive = asked ?? (saved && saved.type !== 'button' ? undefined : null);
      const changed = attachment !== (props.initial?.attachment ?? null);
      await props.onSave({
        shortcut: shortcut.trim().replace(/^\//, '').toLowerCase(),
        text: text.trim(),
        ...(interactive === undefined || (interactive === null && !saved) ? {} : { interactive }),
        ...(changed ? { attachment: attachmentInput(attachment) } : {}),
      });
      if (!props.initial) {
        setShortcut('');
        setText('');
        setAttachment(null);
        setButtons('');
      }
    } catch (err) {
      setError(errorText(err, 'The quick reply was not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="stack"
      onSubmit={(e) => void submit(e)}
      aria-label={props.initial ? 'Edit quick reply' : 'New quick reply'}
    >
      <label for={`${idBase}-shortcut`}>
        Shortcut (typed after “/”)
        <input
          id={`${idBase}-shortcut`}
          value={shortcut}
          autoCapitalize="none"
          autoCorrect="off"
          maxLength={33}
          placeholder="prices"
          onInput={(e) => setShortcut(e.currentTarget.value)}
        />
      </label>
      <label for={`${idBase}-text`}>
        Text
        <textarea
          id={`${idBase}-text`}
          rows={3}
          maxLength={4096}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
      </label>
      {saved && saved.type !== 'button' ? (
        <p class="muted small">Asks with {saved.type === 'list' ? 'a list' : 'a link button'} (set through the API).</p>
      ) : (
        <label for={`${idBase}-buttons`}>
          Reply buttons (optional: up to 3, split by “/”)
          <input
            id={`${idBase}-buttons`}
            value={buttons}
            placeholder="Mon / Tue / Wed"
            aria-invalid={buttonsError !== null}
            aria-describedby={buttonsError ? `${idBase}-buttons-problem` : undefined}
            onInput={(e) => setButtons(e.currentTarget.value)}
          />
        </label>
      )}
      {buttonsError && (
        <p class="error small" id={`${idBase}-buttons-problem`}>
          {buttonsError}
        </p>
      )}
      <QuickReplyAttachmentField id={idBase} value={attachment} onChange={setAttachment} onBusy={setUploading} />
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      <div class="row-buttons">
        <button type="submit" class="primary" disabled={busy || uploading}>
          {props.initial ? 'Save changes' : 'Add quick reply'}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
