// A quick reply's file (the timetable): uploaded to Meta when chosen, with its progress, refused in words first
// when WhatsApp would not take it. Meta keeps an upload 30 days, so the date it lapses is said.
import { useState } from 'preact/hooks';
import { formatBytes } from '#common/media';
import { uploadMedia } from '../../lib/api/media';
import type { QuickReply } from '../../lib/api/settings';
import { attachFile, DOCUMENT_ACCEPT, PHOTO_ACCEPT } from '../../lib/attachment';
import { errorText } from '../../lib/use-load';

export type SavedAttachment = NonNullable<QuickReply['attachment']>;

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { day: 'numeric', month: 'long' });

export function QuickReplyAttachmentField(props: {
  id: string;
  value: SavedAttachment | null;
  onChange: (value: SavedAttachment | null) => void;
  onBusy: (busy: boolean) => void;
}) {
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const picked = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const result = attachFile(file);
    if ('refusal' in result) {
      setError(result.refusal);
      return;
    }
    if (result.kind !== 'file') return;
    setError(null);
    setProgress(0);
    props.onBusy(true);
    try {
      const up = await uploadMedia(result.file, { onProgress: setProgress });
      props.onChange({
        type: up.type,
        id: up.id,
        link: null,
        filename: up.filename,
        mime_type: up.mime_type,
        size: up.size,
        expires_at: new Date(Date.now() + 30 * 24 * 60 * 60 * 1000).toISOString(),
        url: `/api/v1/media/${encodeURIComponent(up.id)}`,
      });
    } catch (err) {
      setError(errorText(err, 'The file did not upload'));
    } finally {
      setProgress(null);
      props.onBusy(false);
    }
  };

  const { value } = props;
  return (
    <div class="stack small-gap">
      {value ? (
        <p class="attachment-line" data-testid="quick-reply-file">
          {value.filename ?? (value.type === 'image' ? 'Photo' : 'File')}
          {value.size !== null && <span class="muted"> · {formatBytes(value.size)}</span>}
          {value.expires_at && <span class="muted small"> · Meta keeps it until {day(value.expires_at)}</span>}{' '}
          <button type="button" class="link" onClick={() => props.onChange(null)}>
            Remove file
          </button>
        </p>
      ) : (
        <label for={`${props.id}-file`}>
          File to send with it (optional: a photo or a PDF, e.g. the timetable)
          <input
            id={`${props.id}-file`}
            type="file"
            accept={`${PHOTO_ACCEPT},${DOCUMENT_ACCEPT}`}
            disabled={progress !== null}
            onChange={(e) => void picked(e.currentTarget)}
          />
        </label>
      )}
      {progress !== null && <progress max={100} value={Math.round(progress * 100)} aria-label="Uploading the file" />}
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
    </div>
  );
}
