// A template with a photo, video or document header, chosen in the composer: keep the template's own file or
// pick another, checked by the header's rules (common/templates/header-media.ts) in words before any upload.
import { useEffect, useState } from 'preact/hooks';
import { HEADER_SAMPLE_RULES, headerSampleRefusal, type MediaHeaderFormat } from '#common/templates/header-media';

const NOUN: Record<MediaHeaderFormat, string> = { IMAGE: 'photo', VIDEO: 'video', DOCUMENT: 'document' };
const ACCEPT: Record<MediaHeaderFormat, string> = {
  IMAGE: 'image/jpeg,image/png',
  VIDEO: 'video/mp4',
  DOCUMENT: 'application/pdf',
};

export interface HeaderChoice {
  /** The file picked instead of the template's own; null keeps the template's. */
  file: File | null;
  /** Why the pick cannot go (or why nothing can go without one), in words; null when the send may go. */
  problem: string | null;
}

export function headerChoice(format: MediaHeaderFormat, hasDefault: boolean, file: File | null): HeaderChoice {
  if (file)
    return { file, problem: headerSampleRefusal(format, { mime: file.type, size: file.size, name: file.name }) };
  return {
    file: null,
    problem: hasDefault ? null : `This template needs a ${NOUN[format]} for its header: choose one to send`,
  };
}

export function HeaderFile(props: {
  header: { format: MediaHeaderFormat; defaultUrl: string | null; defaultName: string | null };
  idPrefix: string;
  onChange: (choice: HeaderChoice) => void;
}) {
  const { format, defaultUrl, defaultName } = props.header;
  const noun = NOUN[format];
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const choice = headerChoice(format, defaultUrl !== null, file);

  useEffect(() => props.onChange(choice), [file, format, defaultUrl]);
  // A picked photo is shown from a blob: URL, let go when it changes.
  useEffect(() => {
    if (!file || format !== 'IMAGE') return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file, format]);

  const shown = preview ?? (format === 'IMAGE' ? defaultUrl : null);
  return (
    <fieldset class="header-file">
      <legend>Header {noun}</legend>
      {shown && <img class="header-file-img" src={shown} alt={file ? file.name : `The template's ${noun}`} />}
      <p class="small" data-testid="header-file-choice">
        {file
          ? `Sending ${file.name} instead of the template's ${noun}.`
          : defaultUrl
            ? `Sending the template's ${noun}${defaultName ? ` (${defaultName})` : ''}.`
            : `No ${noun} yet.`}
      </p>
      <label for={`${props.idPrefix}-header-file`} class="link">
        {file ? `Choose another ${noun}` : `Choose a different ${noun}`}
      </label>
      <input
        id={`${props.idPrefix}-header-file`}
        type="file"
        class="visually-hidden"
        accept={ACCEPT[format]}
        aria-describedby={`${props.idPrefix}-header-hint`}
        onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
      />
      {file && (
        <button type="button" class="link" onClick={() => setFile(null)}>
          {defaultUrl ? `Keep the template's ${noun}` : 'Remove'}
        </button>
      )}
      <p id={`${props.idPrefix}-header-hint`} class="muted small">
        {HEADER_SAMPLE_RULES[format].words}
      </p>
      {choice.problem && (
        <p role="alert" class="error small">
          {choice.problem}
        </p>
      )}
    </fieldset>
  );
}
