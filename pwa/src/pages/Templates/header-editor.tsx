// The template form's header: none or text (with at most one variable), or a photo, video or document whose
// sample Meta reviews. The sample is checked by the API's own rules (common/templates/header-media.ts) as soon
// as it is picked, so a wrong type or size is said in words before anything is uploaded.

import { formatBytes } from '#common/media';
import { HEADER_SAMPLE_RULES, type MediaHeaderFormat } from '#common/templates/header-media';
import { LIMITS } from '#common/templates/template-rules';
import { Counter, FieldErrors, invalidProps } from './field-errors';
import type { Draft, HeaderFormat } from './template-draft';

const FORMATS: { value: HeaderFormat; label: string }[] = [
  { value: 'TEXT', label: 'Text' },
  { value: 'IMAGE', label: 'Photo' },
  { value: 'VIDEO', label: 'Video' },
  { value: 'DOCUMENT', label: 'Document' },
];

const ACCEPT: Record<MediaHeaderFormat, string> = {
  IMAGE: 'image/jpeg,image/png',
  VIDEO: 'video/mp4',
  DOCUMENT: 'application/pdf',
};

export const formatLabel = (f: string): string => FORMATS.find((x) => x.value === f)?.label ?? f;

export function HeaderEditor(props: {
  draft: Draft;
  problems: string[] | undefined;
  onEdit: (patch: Partial<Draft>) => void;
  onTouch: () => void;
}) {
  const { draft, problems, onEdit, onTouch } = props;
  const media = draft.headerFormat === 'TEXT' ? null : draft.headerFormat;
  return (
    <fieldset class="tpl-header-editor stack">
      <legend>Header (optional)</legend>
      <label>
        Header type
        <select
          value={draft.headerFormat}
          onChange={(e) => {
            const value = FORMATS.find((f) => f.value === e.currentTarget.value)?.value ?? 'TEXT';
            onEdit({ headerFormat: value, headerFile: null });
          }}
        >
          {FORMATS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {media === null ? (
        <label>
          <span>
            Header text <Counter length={draft.header.length} max={LIMITS.header} />
          </span>
          <input
            value={draft.header}
            {...invalidProps('header', problems)}
            onInput={(e) => onEdit({ header: e.currentTarget.value })}
            onBlur={onTouch}
          />
        </label>
      ) : (
        <>
          <label>
            Sample {formatLabel(media).toLowerCase()}
            <input
              type="file"
              accept={ACCEPT[media]}
              {...invalidProps('header', problems)}
              onChange={(e) => {
                onEdit({ headerFile: e.currentTarget.files?.[0] ?? null });
                onTouch();
              }}
            />
          </label>
          <p class="muted small tpl-hint">
            {HEADER_SAMPLE_RULES[media].words}. Meta reviews the template with it, and it is the{' '}
            {formatLabel(media).toLowerCase()} sent when a message names no other.
          </p>
          {draft.headerFile && (
            <p class="small" data-testid="header-file">
              {draft.headerFile.name} · {formatBytes(draft.headerFile.size)}
            </p>
          )}
        </>
      )}
      <FieldErrors field="header" problems={problems} />
    </fieldset>
  );
}
