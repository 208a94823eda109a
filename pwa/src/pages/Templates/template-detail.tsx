// One template: Meta's verdict, the message as the person reads it (with its samples), its variables and
// where each comes from, the automated items that send it; delete with a confirmation.

import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { formatBytes } from '#common/media';
import { isPersonField, PERSON_FIELD_LABELS } from '#common/person-fields';
import type { TemplateComponent } from '#common/templates/components';
import { HEADER_SAMPLE_RULES, headerSampleRefusal, mediaHeaderFormat } from '#common/templates/header-media';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { TemplatePreview } from '../../components/template-preview/template-preview';
import { ApiFailure } from '../../lib/api/client';
import { uploadMedia } from '../../lib/api/media';
import { sandboxReviewTemplate } from '../../lib/api/sandbox';
import {
  type Automation,
  automationsUsing,
  deleteTemplate,
  getTemplate,
  setHeaderMedia,
  type TemplateRecord,
} from '../../lib/api/templates';
import { me } from '../../lib/session';
import { AppHeader } from '../app-header';
import { formatLabel } from './header-editor';
import { samplesOf } from './template-draft';
import { reasonText, StatusBadge } from './template-status';
import { listNotice } from './templates-list';
import { variableLabel } from './variables-editor';

const errorText = (err: unknown) => (err instanceof ApiFailure ? err.message : 'Something went wrong: try again');

const record = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

function sourceText(source: unknown): string {
  if (typeof source === 'string') return isPersonField(source) ? PERSON_FIELD_LABELS[source] : source;
  const text = record(source).text;
  return typeof text === 'string' ? `“${text}”` : 'Typed when sending';
}

function UsedBy({ items }: { items: Automation[] | null | string }) {
  if (typeof items === 'string') return <p class="error small">Could not load the automated items: {items}</p>;
  if (items === null) return <p class="muted small">Loading…</p>;
  if (items.length === 0)
    return <p class="muted small">No automated item sends it. Staff can send it from a conversation.</p>;
  return (
    <ul class="tpl-used">
      {items.map((a) => (
        <li key={a.id}>
          <a href="/automations">{a.name}</a> <span class="muted small">{a.enabled ? 'on' : 'off'}</span>
        </li>
      ))}
    </ul>
  );
}

/** Where the template's default header file is shown from: our media proxy for an upload, else its link. */
function headerMediaUrl(m: TemplateRecord['header_media']): string | undefined {
  if (!m) return undefined;
  return m.id ? `/api/v1/media/${encodeURIComponent(m.id)}` : m.link;
}

/**
 * A photo, video or document header: its kind, the file a send carries when it names none, and a way to change
 * that file (Meta keeps an upload 30 days). A new file is checked by the header's rules before it is uploaded.
 */
function HeaderFacts(props: { template: TemplateRecord; onChanged: (t: TemplateRecord) => void }) {
  const { template: t } = props;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const format = mediaHeaderFormat(t.components as TemplateComponent[]);
  if (!format) return null;
  const m = t.header_media;
  const file = m ? (m.filename ?? (m.id ? `upload ${m.id}` : m.link)) : null;
  const noun = formatLabel(format).toLowerCase();
  const change = async (picked: File | undefined) => {
    if (!picked) return;
    const refusal = headerSampleRefusal(format, { mime: picked.type, size: picked.size, name: picked.name });
    setProblem(refusal);
    if (refusal) return;
    setBusy(true);
    try {
      const upload = await uploadMedia(picked);
      props.onChanged(await setHeaderMedia(t.id, { id: upload.id }));
    } catch (err) {
      setProblem(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="tpl-header-facts">
      <h2 id="tpl-header-facts">Header</h2>
      <p class="small" data-testid="template-header">
        {formatLabel(format)} header.{' '}
        {file ? (
          <>
            Sent with <span class="tpl-file">{file}</span>
            {m?.size ? ` (${formatBytes(m.size)})` : ''} unless a message picks another.
          </>
        ) : (
          <span class="error">No default file: each message must pick one.</span>
        )}
      </p>
      <label class="small">
        {busy ? 'Uploading…' : `Change the default ${noun}`}
        <input
          type="file"
          accept={HEADER_SAMPLE_RULES[format].mimeTypes.join(',')}
          disabled={busy}
          onChange={(e) => void change(e.currentTarget.files?.[0])}
        />
      </label>
      {problem && (
        <p role="alert" class="error small">
          {problem}
        </p>
      )}
    </section>
  );
}

export function TemplateDetail() {
  const { params } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  const [t, setT] = useState<TemplateRecord | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [usedBy, setUsedBy] = useState<Automation[] | null | string>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const [reviewError, setReviewError] = useState<string | null>(null);

  useEffect(() => {
    let stale = false;
    getTemplate(id)
      .then((row) => {
        if (stale) return;
        setT(row);
        automationsUsing(row)
          .then((a) => !stale && setUsedBy(a))
          .catch((err: unknown) => !stale && setUsedBy(errorText(err)));
      })
      .catch((err: unknown) => !stale && setError(errorText(err)));
    return () => {
      stale = true;
    };
  }, [id]);

  const remove = async () => {
    if (!t) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteTemplate(t.id);
      listNotice.value = `Deleted ${t.name}.`;
      route('/templates');
    } catch (err) {
      setDeleteError(errorText(err));
      setDeleting(false);
    }
  };

  // Sandbox mode only: what Meta's reviewer would decide, so a pending template can be tried end to end.
  const review = async (event: 'APPROVED' | 'REJECTED') => {
    if (!t) return;
    setReviewing(true);
    setReviewError(null);
    try {
      await sandboxReviewTemplate(t, event);
      setT(await getTemplate(t.id));
    } catch (err) {
      setReviewError(errorText(err));
    } finally {
      setReviewing(false);
    }
  };

  if (error)
    return (
      <div class="page">
        <AppHeader title="Template" back="/templates" />
        <p role="alert" class="center error">
          This template could not be loaded: {error}
        </p>
      </div>
    );
  if (!t)
    return (
      <div class="page">
        <AppHeader title="Template" back="/templates" />
        <p class="center muted" aria-busy="true">
          Loading…
        </p>
      </div>
    );

  const components = t.components as TemplateComponent[];
  const reason = reasonText(t.rejected_reason);
  return (
    <div class="page">
      <AppHeader title={t.name} back="/templates" />
      <main class="tpl-main stack pad">
        <div class="card-head">
          <span class="muted">
            {t.language} · {t.category.charAt(0) + t.category.slice(1).toLowerCase()}
          </span>
          <StatusBadge status={t.status} />
        </div>
        {reason && (
          <p class="tpl-reason">
            <strong>{t.status.toUpperCase() === 'REJECTED' ? 'Rejected: ' : 'Meta says: '}</strong>
            {reason}
          </p>
        )}
        <TemplatePreview
          components={components}
          parameterFormat={t.parameter_format}
          values={samplesOf(components, t.parameter_format)}
          category={t.category}
          headerMedia={headerMediaUrl(t.header_media)}
          caption="As the person sees it, with the samples Meta reviewed"
        />
        <HeaderFacts template={t} onChanged={setT} />
        <section aria-labelledby="tpl-vars">
          <h2 id="tpl-vars">Variables</h2>
          {t.variables.length === 0 ? (
            <p class="muted small">None: everyone gets the same words.</p>
          ) : (
            <dl class="tpl-vars">
              {t.variables.map((v) => (
                <Fragment key={v}>
                  <dt>{variableLabel(v)}</dt>
                  <dd>{sourceText(t.variable_map[v])}</dd>
                </Fragment>
              ))}
            </dl>
          )}
        </section>
        {me.value?.sandbox && t.status.toUpperCase() === 'PENDING' && (
          <section aria-labelledby="tpl-review" class="tpl-review">
            <h2 id="tpl-review">Sandbox: Meta's review</h2>
            <p class="muted small">Meta reviews a new template within a day. In the sandbox, decide for it.</p>
            <div class="row-buttons">
              <button type="button" class="primary" disabled={reviewing} onClick={() => void review('APPROVED')}>
                Approve
              </button>
              <button type="button" class="danger-outline" disabled={reviewing} onClick={() => void review('REJECTED')}>
                Reject
              </button>
            </div>
            {reviewError && (
              <p role="alert" class="error small">
                {reviewError}
              </p>
            )}
          </section>
        )}
        <section aria-labelledby="tpl-used">
          <h2 id="tpl-used">Used by</h2>
          <UsedBy items={usedBy} />
        </section>
        <div class="row-buttons">
          <button type="button" class="danger-outline" onClick={() => setConfirming(true)}>
            Delete template
          </button>
        </div>
      </main>
      {confirming && (
        <ConfirmDialog
          title={`Delete ${t.name}?`}
          confirmLabel="Delete"
          busy={deleting}
          error={deleteError}
          onConfirm={() => void remove()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            It is deleted at Meta as well ({t.language}). Automated items that send it stop working, and Meta does not
            let an approved name be used again for 30 days.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
