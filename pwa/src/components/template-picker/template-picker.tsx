import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import type { TemplateSend } from '../../lib/api/people';
import { type HeaderChoice, HeaderFile } from './header-file';
import {
  type PersonFacts,
  paramsComplete,
  pickableTemplates,
  prefillParams,
  renderPreview,
  type Template,
  variablesOf,
} from './templates';

export interface TemplatePickerProps {
  /** null while loading. */
  templates: readonly Template[] | null;
  loadError?: string | null;
  person: PersonFacts & { whatsapp_marketing_stopped?: boolean };
  busy?: boolean;
  onSend: (template: TemplateSend) => void;
  /** The server's values for this person (the templates API's preview), by variable name. */
  loadPreview?: (t: Template) => Promise<Record<string, string>>;
  /** Uploads a header file picked instead of the template's own: its media id. Without it, the default goes. */
  uploadHeader?: (file: File) => Promise<string>;
}

export function TemplatePicker({
  templates,
  loadError,
  person,
  busy,
  onSend,
  loadPreview,
  uploadHeader,
}: TemplatePickerProps) {
  const choices = useMemo(
    () => pickableTemplates(templates ?? [], { marketingStopped: person.whatsapp_marketing_stopped === true }),
    [templates, person.whatsapp_marketing_stopped],
  );
  const [selectedId, setSelectedId] = useState<string>('');
  const selected = choices.find((t) => t.id === selectedId) ?? null;
  const [params, setParams] = useState<string[]>([]);
  const [header, setHeader] = useState<HeaderChoice>({ file: null, problem: null });
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const uid = useId();

  // Prefill at once from what we know, then from the server's preview (its variable map) when it answers.
  useEffect(() => {
    if (!selected) return setParams([]);
    setParams(prefillParams(selected, person));
    if (!loadPreview) return;
    let stale = false;
    loadPreview(selected)
      .then((values) => !stale && setParams(prefillParams(selected, person, values)))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [selected?.id, person.first_name]);

  if (loadError)
    return (
      <p role="alert" class="error">
        Templates could not be loaded: {loadError}
      </p>
    );
  if (templates === null)
    return (
      <p class="muted" aria-busy="true">
        Loading templates…
      </p>
    );
  if (choices.length === 0) return <p class="muted">No approved templates yet: ask a manager to add one.</p>;

  const headerReady = !selected?.header || header.problem === null;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!selected || !paramsComplete(params) || !headerReady) return;
    const send = { name: selected.name, language: selected.language, params: params.map((p) => p.trim()) };
    if (!selected.header || !header.file || !uploadHeader) return onSend(send);
    // The picked header file goes up first (for this person's number), then the template by its id.
    setUploading(true);
    setUploadError(null);
    try {
      onSend({ ...send, header_media: { id: await uploadHeader(header.file) } });
    } catch (err) {
      setUploadError(err instanceof Error ? err.message : 'The file did not upload: try again');
    } finally {
      setUploading(false);
    }
  };

  return (
    <form class="template-picker" onSubmit={(e) => void submit(e)} aria-label="Send a template">
      <label for={`${uid}-template`}>Template</label>
      <select id={`${uid}-template`} value={selectedId} onChange={(e) => setSelectedId(e.currentTarget.value)}>
        <option value="">Choose an approved template…</option>
        {choices.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.language})
          </option>
        ))}
      </select>
      {selected && (
        <>
          {params.map((value, i) => (
            <label key={`${selected.id}-${i}`}>
              <span>{`Variable {{${variablesOf(selected)[i] ?? i + 1}}}`}</span>
              <input
                value={value}
                required
                onInput={(e) => {
                  const next = [...params];
                  next[i] = e.currentTarget.value;
                  setParams(next);
                }}
              />
            </label>
          ))}
          {selected.header && (
            <HeaderFile key={selected.id} header={selected.header} idPrefix={uid} onChange={setHeader} />
          )}
          <div class="preview" role="status" aria-label="Preview">
            {renderPreview(selected, params)}
          </div>
          {uploadError && (
            <p role="alert" class="error small">
              {uploadError}
            </p>
          )}
          <button type="submit" class="primary" disabled={busy || uploading || !paramsComplete(params) || !headerReady}>
            {uploading ? 'Uploading…' : 'Send template'}
          </button>
        </>
      )}
    </form>
  );
}
