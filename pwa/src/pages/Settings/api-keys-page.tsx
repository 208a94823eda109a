// API keys (admins): the company's own integrations (a CRM, the website's join form). Created here and shown
// once; revoked keys answer 401 from their next request and stay listed, so it is clear what was cut off.
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { LoadState } from '../../components/load-state/load-state';
import { type ApiKey, type ApiKeyCreated, createApiKey, listApiKeys, revokeApiKey } from '../../lib/api/settings';
import { fullTime } from '../../lib/format';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { ApiKeyShownOnce } from './api-key-shown-once';

export function ApiKeysPage() {
  const { data, error, reload } = useLoad(listApiKeys);
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const create = async (e: Event) => {
    e.preventDefault();
    if (!name.trim()) {
      setCreateError('Give the key a name, e.g. the system that will use it');
      return;
    }
    setCreating(true);
    setCreateError(null);
    try {
      setCreated(await createApiKey(name.trim()));
      setName('');
      reload();
    } catch (err) {
      setCreateError(errorText(err, 'The key was not created'));
    } finally {
      setCreating(false);
    }
  };

  const revoke = async (key: ApiKey) => {
    setBusy(true);
    setRevokeError(null);
    try {
      await revokeApiKey(key.id);
      setRevoking(null);
      reload();
    } catch (err) {
      setRevokeError(errorText(err, 'The key was not revoked'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <AppHeader title="API keys" back="/settings" />
      <main class="settings-main">
        {created && <ApiKeyShownOnce created={created} onDone={() => setCreated(null)} />}
        <section class="card" aria-labelledby="key-new-title">
          <h2 id="key-new-title" class="card-head">
            New API key
          </h2>
          <form class="stack" onSubmit={(e) => void create(e)}>
            <label>
              Name (what will use it)
              <input value={name} maxLength={100} placeholder="CRM" onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            {createError && (
              <p role="alert" class="error small">
                {createError}
              </p>
            )}
            <button type="submit" class="primary" disabled={creating}>
              Create key
            </button>
          </form>
        </section>
        <section class="card" aria-labelledby="key-list-title">
          <h2 id="key-list-title" class="card-head">
            Keys
          </h2>
          <LoadState data={data} error={error} what="API keys" reload={reload}>
            {(keys) =>
              keys.length === 0 ? (
                <p class="muted">No API keys yet.</p>
              ) : (
                <ul class="item-list" aria-label="API keys">
                  {keys.map((k) => (
                    <li key={k.id} data-testid="api-key">
                      <div class="item-head">
                        <strong>{k.name}</strong>
                        {k.revoked_at ? (
                          <span class="chip chip-danger">Revoked</span>
                        ) : (
                          <button
                            type="button"
                            class="link"
                            onClick={() => {
                              setRevokeError(null);
                              setRevoking(k);
                            }}
                          >
                            Revoke<span class="visually-hidden"> {k.name}</span>
                          </button>
                        )}
                      </div>
                      <span class="small muted">
                        <code>{k.prefix}…</code> · created {fullTime(k.created_at)}
                        {k.revoked_at && ` · revoked ${fullTime(k.revoked_at)}`}
                      </span>
                    </li>
                  ))}
                </ul>
              )
            }
          </LoadState>
        </section>
      </main>
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke"
          busy={busy}
          error={revokeError}
          onCancel={() => setRevoking(null)}
          onConfirm={() => void revoke(revoking)}
        >
          <p>
            Anything using this key is refused from its next request. This cannot be undone: make a new key if it is
            still needed.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
