// The composer's 📎: a photo from the camera (`capture`: phones open the camera at once), one from the
// library, or a document. Each is a real file input inside its label, so it works with a keyboard and a screen
// reader, and a refusal is said before anything uploads (lib/attachment.ts).
import { useState } from 'preact/hooks';
import { type Attachment, attachFile, DOCUMENT_ACCEPT, PHOTO_ACCEPT } from '../../lib/attachment';
import './attach.css';

export function AttachButton(props: {
  disabled?: boolean;
  onAttach: (attachment: Attachment) => void;
  onRefuse: (words: string) => void;
}) {
  const [open, setOpen] = useState(false);
  const picked = (input: HTMLInputElement) => {
    const file = input.files?.[0];
    // The same file may be chosen again after a refusal.
    input.value = '';
    setOpen(false);
    if (!file) return;
    const result = attachFile(file);
    if ('refusal' in result) props.onRefuse(result.refusal);
    else props.onAttach(result);
  };
  const choice = (label: string, accept: string, capture?: 'environment') => (
    <label class="attach-choice">
      {label}
      <input
        type="file"
        class="visually-hidden"
        accept={accept}
        capture={capture}
        disabled={props.disabled}
        onChange={(e) => picked(e.currentTarget)}
      />
    </label>
  );
  return (
    <div class="attach">
      <button
        type="button"
        class="attach-toggle"
        aria-label="Attach a photo or file"
        aria-expanded={open}
        disabled={props.disabled}
        onClick={() => setOpen((o) => !o)}
      >
        📎
      </button>
      {open && (
        <fieldset class="attach-menu">
          <legend class="visually-hidden">Attach</legend>
          {choice('Take a photo', PHOTO_ACCEPT, 'environment')}
          {choice('Photo from library', PHOTO_ACCEPT)}
          {choice('Document (PDF…)', DOCUMENT_ACCEPT)}
        </fieldset>
      )}
    </div>
  );
}
