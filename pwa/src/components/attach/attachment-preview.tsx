// What is about to go: a photo's thumbnail (from the device, nothing uploaded yet) or a document's name and size,
// the upload's progress while it goes, and a way to take it off.
import { useEffect, useState } from 'preact/hooks';
import { formatBytes } from '#common/media';
import { type Attachment, attachmentName, attachmentSize } from '../../lib/attachment';
import { PaperclipIcon } from './attach-button';
import './attach.css';

function useObjectUrl(file: File | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file || typeof URL.createObjectURL !== 'function') return;
    const made = URL.createObjectURL(file);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [file]);
  return url;
}

export function AttachmentPreview(props: {
  attachment: Attachment;
  /** 0 to 1 while uploading; null before. */
  progress: number | null;
  onRemove: () => void;
}) {
  const { attachment: a, progress } = props;
  const local = useObjectUrl(a.kind === 'file' && a.type === 'image' ? a.file : null);
  const thumb = a.type === 'image' ? (local ?? (a.kind === 'saved' && a.id ? a.url : null)) : null;
  const size = attachmentSize(a);
  const name = attachmentName(a);
  const percent = progress === null ? null : Math.round(progress * 100);
  return (
    <div class="attachment-preview" data-testid="attachment-preview">
      {thumb ? (
        <img src={thumb} alt={`To send: ${name}`} />
      ) : (
        <span class="file-icon" aria-hidden="true">
          <PaperclipIcon />
        </span>
      )}
      <span class="attachment-name">
        <span>{name}</span>
        {size !== null && <span class="small muted">{formatBytes(size)}</span>}
      </span>
      {percent !== null ? (
        <span class="attachment-progress">
          <progress max={100} value={percent} aria-label={`Uploading ${name}`} />
          <span class="small muted" aria-live="polite">
            {percent < 100 ? `Uploading ${percent}%` : 'Sending…'}
          </span>
        </span>
      ) : (
        <button type="button" class="link" aria-label={`Remove ${name}`} onClick={props.onRemove}>
          ✕
        </button>
      )}
    </div>
  );
}
