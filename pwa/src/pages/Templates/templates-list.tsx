// Every template of the gym with Meta's verdict on it; sync with Meta; delete with a confirmation.
import { signal } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { ApiFailure } from '../../lib/api/client';
import { deleteTemplate, listAllTemplates, syncTemplates, type TemplateRecord } from '../../lib/api/templates';
import { AppHeader } from '../app-header';
import { reasonText, StatusBadge } from './template-status';

/** A line for the list to show once, after another screen sent the user here ("Submitted to Meta..."). */
export const listNotice = signal<string | null>(null);

// Meta reviews most templates within minutes: while one waits, look again now and then.
const PENDING_POLL_MS = 15_000;

const errorText = (err: unknown) => (err instanceof ApiFailure ? err.message : 'Something went wrong: try again');

function syncSummary(c: { imported: number; updated: number; deleted: number; unchanged: number }): string {
  const parts = [
    c.imported && `${c.imported} imported`,
    c.updated && `${c.updated} updated`,
    c.deleted && `${c.deleted} gone from Meta`,
  ].filter(Boolean);
  return parts.length > 0 ? `Synced with Meta: ${parts.join(', ')}.` : 'Synced with Meta: nothing changed.';
}

function Row({ t, onDelete }: { t: TemplateRecord; onDelete: (t: TemplateRecord) => void }) {
  const reason = reasonText(t.rejected_reason);
  return (
    <li class="card tpl-row" data-testid="template-row" data-name={t.name}>
      <div class="card-head">
        <a class="tpl-name" href={`/templates/${t.id}`}>
          {t.name}
        </a>
        <StatusBadge status={t.status} />
      </div>
      <p class="muted small tpl-facts">
        {t.language} · {t.category.charAt(0) + t.category.slice(1).toLowerCase()}
      </p>
      {reason && (
        <p class="tpl-reason small">
          <strong>{t.status.toUpperCase() === 'REJECTED' ? 'Rejected: ' : 'Meta says: '}</strong>
          {reason}
        </p>
      )}
      <div class="row-buttons">
        <button type="button" class="danger-outline" onClick={() => onDelete(t)} aria-label={`Delete ${t.name}`}>
          Delete
        </button>
      </div>
    </li>
  );
}

export function TemplatesList() {
  const [rows, setRows] = useState<TemplateRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [syncing, setSyncing] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(
    listNotice.value ? { ok: true, text: listNotice.value } : null,
  );
  const [doomed, setDoomed] = useState<TemplateRecord | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  useEffect(() => {
    listNotice.value = null;
  }, []);

  useEffect(() => {
    let stale = false;
    listAllTemplates()
      .then((r) => {
        if (stale) return;
        setRows(r);
        setError(null);
      })
      .catch((err: unknown) => !stale && setError(errorText(err)));
    return () => {
      stale = true;
    };
  }, [version]);

  const waiting = rows?.some((t) => t.status.toUpperCase() === 'PENDING') === true;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') setVersion((v) => v + 1);
    }, PENDING_POLL_MS);
    return () => clearInterval(timer);
  }, [waiting]);

  const sync = async () => {
    setSyncing(true);
    setNotice(null);
    try {
      setNotice({ ok: true, text: syncSummary(await syncTemplates()) });
      setVersion((v) => v + 1);
    } catch (err) {
      setNotice({ ok: false, text: `Sync failed: ${errorText(err)}` });
    } finally {
      setSyncing(false);
    }
  };

  const confirmDelete = async () => {
    if (!doomed) return;
    setDeleting(true);
    setDeleteError(null);
    try {
      await deleteTemplate(doomed.id);
      const gone = doomed.id;
      setRows((r) => r?.filter((t) => t.id !== gone) ?? null);
      setNotice({ ok: true, text: `Deleted ${doomed.name}.` });
      setDoomed(null);
      setVersion((v) => v + 1);
    } catch (err) {
      setDeleteError(errorText(err));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <div class="page">
      <AppHeader title="Templates" back="/" />
      <main class="tpl-main">
        <div class="tpl-toolbar">
          <a class="button primary" href="/templates/new">
            New template
          </a>
          <button type="button" disabled={syncing} onClick={() => void sync()}>
            {syncing ? 'Syncing…' : 'Sync from Meta'}
          </button>
        </div>
        {notice && (
          <p role={notice.ok ? 'status' : 'alert'} class={`pad small ${notice.ok ? 'ok' : 'error'}`}>
            {notice.text}
          </p>
        )}
        {error && (
          <div class="center">
            <p role="alert" class="error">
              Templates could not be loaded: {error}
            </p>
            <button type="button" onClick={() => setVersion((v) => v + 1)}>
              Try again
            </button>
          </div>
        )}
        {!error && rows === null && (
          <p class="center muted" aria-busy="true">
            Loading templates…
          </p>
        )}
        {rows?.length === 0 && (
          <p class="center muted">No templates yet. Create one, or sync the ones already made in WhatsApp Manager.</p>
        )}
        {rows && rows.length > 0 && (
          <ul class="tpl-list" aria-label="Templates">
            {rows.map((t) => (
              <Row
                key={t.id}
                t={t}
                onDelete={(x) => {
                  setDeleteError(null);
                  setDoomed(x);
                }}
              />
            ))}
          </ul>
        )}
      </main>
      {doomed && (
        <ConfirmDialog
          title={`Delete ${doomed.name}?`}
          confirmLabel="Delete"
          busy={deleting}
          error={deleteError}
          onConfirm={() => void confirmDelete()}
          onCancel={() => setDoomed(null)}
        >
          <p>
            It is deleted at Meta as well ({doomed.language}). Automated items that send it stop working, and Meta does
            not let an approved name be used again for 30 days.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
