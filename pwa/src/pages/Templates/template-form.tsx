// Create a template: Meta's fields, the variables' samples and mapping, a live WhatsApp preview, and each
// field's problems in words, checked by the rules the API applies (common/templates/template-rules.ts) first.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { variablesIn } from '#common/templates/components';
import { LIMITS } from '#common/templates/template-rules';
import { TemplatePreview } from '../../components/template-preview/template-preview';
import { ApiFailure } from '../../lib/api/client';
import { uploadMedia } from '../../lib/api/media';
import { createTemplate } from '../../lib/api/templates';
import { AppHeader } from '../app-header';
import { ButtonsEditor } from './buttons-editor';
import { Counter, FieldErrors, invalidProps } from './field-errors';
import { HeaderEditor } from './header-editor';
import {
  type Draft,
  draftProblems,
  draftToInput,
  draftToRequest,
  draftVariables,
  emptyDraft,
  fieldOf,
  serverProblem,
} from './template-draft';
import { listNotice } from './templates-list';
import { VariablesEditor } from './variables-editor';

const LANGUAGES = ['en_GB', 'en_US', 'es', 'es_ES', 'fr', 'de', 'it', 'nl', 'pt_PT', 'pt_BR', 'pl', 'ar'];

/** A blob: URL for a picked file while it is shown; revoked when it changes or the form goes. */
function useObjectUrl(file: File | null): string | undefined {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!file) return setUrl(undefined);
    const next = URL.createObjectURL(file);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [file]);
  return url;
}

/** The next free positional variable, for the "Add a variable" button. */
function nextVariable(body: string): string {
  const numbers = variablesIn(body).map(Number).filter(Number.isInteger);
  return `{{${numbers.length === 0 ? 1 : Math.max(...numbers) + 1}}}`;
}

export function TemplateForm(props: { initial?: Draft }) {
  const { route } = useLocation();
  const [draft, setDraft] = useState<Draft>(props.initial ?? emptyDraft());
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [server, setServer] = useState<Record<string, string[]>>({});

  const input = useMemo(() => draftToInput(draft), [draft]);
  const variables = useMemo(() => draftVariables(draft), [draft]);
  const local = useMemo(() => draftProblems(draft), [draft]);
  const problems = (field: string): string[] | undefined => {
    const mine = submitted || touched.has(field) ? (local[field] ?? []) : [];
    const all = [...mine, ...(server[field] ?? [])];
    return all.length > 0 ? all : undefined;
  };
  const touch = (field: string) => setTouched((t) => (t.has(field) ? t : new Set([...t, field])));
  // The server's verdict was on the old draft: any edit retires it.
  const edit = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setServer({});
  };
  // The picked photo shown in the preview; its blob: URL is let go when the file changes.
  const headerPreview = useObjectUrl(draft.headerFormat === 'IMAGE' ? draft.headerFile : null);
  const localCount = Object.values(local).reduce((n, list) => n + list.length, 0);
  const serverCount = Object.values(server).reduce((n, list) => n + list.length, 0);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    if (localCount > 0) {
      // Take the user to the first field at fault.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.tpl-form [aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    try {
      // A media header's sample goes up first; the worker hands it to Meta's Resumable Upload API.
      const sample = draft.headerFormat !== 'TEXT' && draft.headerFile ? await uploadMedia(draft.headerFile) : null;
      const created = await createTemplate({
        ...draftToRequest(draft),
        ...(sample ? { header_sample: { media_id: sample.id } } : {}),
      });
      listNotice.value = `Submitted ${created.name} to Meta for review. Meta usually answers within minutes.`;
      route('/templates');
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'invalid_template') {
        const p = serverProblem(err.message);
        setServer({ [fieldOf(p.path, input.components)]: [p.message.charAt(0).toUpperCase() + p.message.slice(1)] });
      } else if (err instanceof ApiFailure && err.code === 'template_exists') setServer({ name: [err.message] });
      else if (err instanceof ApiFailure && err.code === 'invalid_media') setServer({ header: [err.message] });
      else setServer({ form: [err instanceof ApiFailure ? err.message : 'Something went wrong: try again'] });
    } finally {
      setBusy(false);
    }
  };

  const field = (name: 'name' | 'footer') => ({
    value: draft[name],
    ...invalidProps(name, problems(name)),
    onInput: (e: { currentTarget: HTMLInputElement }) => edit({ [name]: e.currentTarget.value }),
    onBlur: () => touch(name),
  });

  return (
    <div class="page">
      <AppHeader title="New template" back="/templates" />
      <form class="tpl-form stack pad" aria-label="New template" noValidate onSubmit={(e) => void submit(e)}>
        <label>
          Name
          <input {...field('name')} autoCapitalize="none" autoComplete="off" spellcheck={false} />
        </label>
        <p class="muted small tpl-hint">Lowercase letters, digits and underscores, e.g. membership_renewal.</p>
        <FieldErrors field="name" problems={problems('name')} />

        <div class="tpl-two">
          <label>
            Category
            <select
              value={draft.category}
              {...invalidProps('category', problems('category'))}
              onChange={(e) => edit({ category: e.currentTarget.value === 'MARKETING' ? 'MARKETING' : 'UTILITY' })}
            >
              <option value="UTILITY">Utility</option>
              <option value="MARKETING">Marketing</option>
            </select>
          </label>
          <label>
            Language
            <input
              list="tpl-languages"
              value={draft.language}
              {...invalidProps('language', problems('language'))}
              onInput={(e) => edit({ language: e.currentTarget.value })}
              onBlur={() => touch('language')}
            />
            <datalist id="tpl-languages">
              {LANGUAGES.map((l) => (
                <option key={l} value={l} />
              ))}
            </datalist>
          </label>
        </div>
        <FieldErrors field="category" problems={problems('category')} />
        <FieldErrors field="language" problems={problems('language')} />

        <HeaderEditor draft={draft} problems={problems('header')} onEdit={edit} onTouch={() => touch('header')} />

        <label>
          <span>
            Body <Counter length={draft.body.length} max={LIMITS.body} />
          </span>
          <textarea
            rows={5}
            value={draft.body}
            {...invalidProps('body', problems('body'))}
            onInput={(e) => edit({ body: e.currentTarget.value })}
            onBlur={() => touch('body')}
          />
        </label>
        <div class="tpl-hint-row">
          <p class="muted small tpl-hint">
            Variables: {'{{1}}, {{2}}…'} in order, or named like {'{{first_name}}'}.
          </p>
          <button type="button" class="link" onClick={() => edit({ body: `${draft.body}${nextVariable(draft.body)}` })}>
            Add a variable
          </button>
        </div>
        <FieldErrors field="body" problems={problems('body')} />

        <label>
          <span>
            Footer (optional) <Counter length={draft.footer.length} max={LIMITS.footer} />
          </span>
          <input {...field('footer')} />
        </label>
        <FieldErrors field="footer" problems={problems('footer')} />

        <ButtonsEditor
          buttons={draft.buttons}
          problems={problems}
          onChange={(buttons) => edit({ buttons })}
          onTouch={touch}
        />

        <VariablesEditor
          variables={variables}
          samples={draft.samples}
          mapping={draft.mapping}
          problems={problems}
          onSample={(name, value) => edit({ samples: { ...draft.samples, [name]: value } })}
          onMapping={(name, value) => edit({ mapping: { ...draft.mapping, [name]: value } })}
          onTouch={touch}
        />

        <TemplatePreview
          components={input.components}
          parameterFormat={input.parameter_format}
          headerMedia={headerPreview}
          values={draft.samples}
          caption="As the person sees it on WhatsApp, with the sample values"
        />

        {submitted && localCount > 0 && (
          <p role="alert" class="error">
            {localCount === 1 ? 'One thing to fix' : `${localCount} things to fix`} before Meta can review it: see the
            messages above.
          </p>
        )}
        {serverCount > 0 && (
          <p role="alert" class="error">
            Not submitted: {Object.values(server).flat().join(' ')}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Submitting…' : 'Submit to Meta for review'}
        </button>
      </form>
    </div>
  );
}
