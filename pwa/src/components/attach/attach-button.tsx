// The composer's 📎: a photo from the camera (`capture`: phones open the camera at once), one from the
// library, or a document. Each is a real file input inside its label, so it works with a keyboard and a screen
// reader, and a refusal is said before anything uploads (lib/attachment.ts).
import { useState } from 'preact/hooks';
import { type Attachment, attachFile, DOCUMENT_ACCEPT, PHOTO_ACCEPT } from '../../lib/attachment';
import './attach.css';

/** Drawn, not an emoji: phones without an emoji font (and the test browser) would show a box. */
export function PaperclipIcon() {
  return (
    <svg
      width="22"
      height="22"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
    >
      <path d="M21 11.5l-8.5 8.5a5.5 5.5 0 01-7.8-7.8l9-9a3.7 3.7 0 015.2 5.2l-9 9a1.8 1.8 0 01-2.6-2.6l8.3-8.3" />
    </svg>
  );
}

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
        <PaperclipIcon />
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
