// The audit log (admins): who changed consent, opt-outs, phones, templates, automated items, users, API keys
// and WhatsApp settings, from where, newest first, 50 at a time ("Show older" follows the server's cursor).
// A filter change starts again from the newest.
import { useEffect, useState } from 'preact/hooks';
import { type AuditEntry, listAuditLog } from '../../lib/api/settings';
import { fullTime } from '../../lib/format';
import { errorText } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { AuditFiltersForm, type FilterForm, filtersOf, NO_FILTER } from './audit-filters';
import { targetOf, whatOf, whoOf } from './audit-words';

function Entry({ e }: { e: AuditEntry }) {
  const target = targetOf(e);
  return (
    <li data-testid="audit-entry" data-action={e.action}>
      <div class="item-head">
        <strong>{whatOf(e)}</strong>
        <time class="small muted" dateTime={e.at}>
          {fullTime(e.at)}
        </time>
      </div>
      {e.target.type === 'person' && e.target.label ? (
        <a href={`/people/${e.target.id}`}>{target}</a>
      ) : (
        <span>{target}</span>
      )}
      <span class="small muted">{whoOf(e)}</span>
    </li>
  );
}

export function AuditLogPage() {
  const [form, setForm] = useState<FilterForm>(NO_FILTER);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [round, setRound] = useState(0);
  const asked = filtersOf(form);

  useEffect(() => {
    const asked = filtersOf(form);
    if ('problem' in asked) return;
    let stale = false;
    setEntries(null);
    setError(null);
    listAuditLog(asked.filters)
      .then((page) => {
        if (stale) return;
        setEntries(page.collection);
        setNext(page.pagination.next_cursor ?? null);
      })
      .catch((err: unknown) => !stale && setError(errorText(err, 'Could not load the audit log')));
    // An answer for filters since changed must not replace the newer one.
    return () => {
      stale = true;
    };
  }, [form, round]);

  const showOlder = () => {
    if (!next || loadingMore || 'problem' in asked) return;
    setLoadingMore(true);
    listAuditLog(asked.filters, next)
      .then((page) => {
        setEntries((shown) => {
          const seen = new Set((shown ?? []).map((e) => e.id));
          return [...(shown ?? []), ...page.collection.filter((e) => !seen.has(e.id))];
        });
        setNext(page.pagination.next_cursor ?? null);
      })
      .catch((err: unknown) => setError(errorText(err, 'Could not load older entries')))
      .finally(() => setLoadingMore(false));
  };

  return (
    <div class="page">
      <AppHeader title="Audit log" back="/settings" />
      <main class="settings-main">
        <section class="card" aria-label="Filters">
          <AuditFiltersForm form={form} onChange={setForm} />
        </section>
        <section class="card" aria-labelledby="audit-title">
          <h2 id="audit-title" class="card-head">
            Changes, newest first
          </h2>
          {'problem' in asked ? (
            <p role="alert" class="error">
              {asked.problem}
            </p>
          ) : error && entries === null ? (
            <div class="center">
              <p role="alert" class="error">
                {error}
              </p>
              <button type="button" onClick={() => setRound((n) => n + 1)}>
                Try again
              </button>
            </div>
          ) : entries === null ? (
            <p class="center muted" aria-busy="true">
              Loading the audit log…
            </p>
          ) : entries.length === 0 ? (
            <p class="center muted" role="status">
              No changes match these filters.
            </p>
          ) : (
            <>
              <ul class="item-list" aria-label="Audit entries">
                {entries.map((e) => (
                  <Entry key={e.id} e={e} />
                ))}
              </ul>
              {error && (
                <p role="alert" class="error small">
                  {error}
                </p>
              )}
              {next && (
                <button type="button" class="show-more" onClick={showOlder} aria-busy={loadingMore}>
                  {loadingMore ? 'Loading…' : 'Show older'}
                </button>
              )}
            </>
          )}
          <p class="small muted">Entries are kept for two years and cannot be changed by anyone.</p>
        </section>
      </main>
    </div>
  );
}
