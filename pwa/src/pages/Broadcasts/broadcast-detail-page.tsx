// /broadcasts/:id: the broadcast, its preview, the actions its state allows (start or resume, pause, cancel,
// with a confirm for what cannot be undone) and its report, refreshed while it sends.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { LoadState } from '../../components/load-state/load-state';
import {
  type Broadcast,
  type BroadcastAction,
  type BroadcastPreview,
  getBroadcast,
  moveBroadcast,
  previewBroadcast,
} from '../../lib/api/broadcasts';
import { me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { BroadcastFigures } from './broadcast-figures';
import { whenWords } from './broadcast-list-page';
import { BroadcastPreviewView } from './broadcast-preview';
import { actionLabel, actionsOf, STATE_CHIP, STATE_WORDS } from './broadcast-words';

/** While it may still send, the report is asked for again every few seconds. */
const REFRESH_MS = 5_000;

export function BroadcastDetail(props: { initial: Broadcast; timeZone: string }) {
  const [b, setB] = useState(props.initial);
  const [preview, setPreview] = useState<BroadcastPreview | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<BroadcastAction | null>(null);

  useEffect(() => {
    if (b.state !== 'running' && b.state !== 'scheduled') return;
    const timer = setInterval(() => {
      getBroadcast(b.id).then(setB, () => undefined);
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [b.id, b.state]);

  async function run(what: string, fn: () => Promise<void>) {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Something went wrong');
    } finally {
      setBusy(null);
    }
  }

  const act = (action: BroadcastAction) =>
    run(action, async () => {
      setConfirm(null);
      setB(await moveBroadcast(b.id, action));
    });

  return (
    <>
      <section class="card" aria-label="Broadcast">
        <div class="card-head">
          <h2>{b.name}</h2>
          <span class={`chip ${STATE_CHIP[b.state]}`} data-testid="broadcast-state">
            {STATE_WORDS[b.state]}
          </span>
        </div>
        <p class="muted small">
          {b.template.name} · starts {whenWords(b.start_at, props.timeZone)} · sends {b.send_window.start}–
          {b.send_window.end}
        </p>
        {b.paused_reason && <p class="paused-reason">Paused by ClubChat: {b.paused_reason}</p>}
        {error && (
          <p role="alert" class="error small">
            {error}
          </p>
        )}
        <div class="broadcast-actions">
          {b.state === 'draft' && <a href={`/broadcasts/${b.id}/edit`}>Edit</a>}
          {(b.state === 'draft' || b.state === 'paused' || b.state === 'scheduled') && (
            <button
              type="button"
              disabled={busy !== null}
              onClick={() => void run('preview', async () => setPreview(await previewBroadcast(b.id)))}
            >
              {busy === 'preview' ? 'Counting…' : 'Preview'}
            </button>
          )}
          {actionsOf(b.state).map((action) => (
            <button
              key={action}
              type="button"
              class={action === 'start' ? 'primary' : action === 'cancel' ? 'opt-out' : ''}
              disabled={busy !== null}
              onClick={() => (action === 'pause' ? void act(action) : setConfirm(action))}
            >
              {actionLabel(action, b.state)}
            </button>
          ))}
        </div>
      </section>
      {preview && <BroadcastPreviewView preview={preview} />}
      {b.report && (
        <section class="card" aria-label="Report">
          <h2>Report</h2>
          <BroadcastFigures report={b.report} />
        </section>
      )}
      {confirm && (
        <ConfirmDialog
          title={confirm === 'start' ? `${actionLabel('start', b.state)} this broadcast?` : 'Cancel this broadcast?'}
          confirmLabel={confirm === 'start' ? actionLabel('start', b.state) : 'Cancel broadcast'}
          busy={busy !== null}
          onConfirm={() => void act(confirm)}
          onCancel={() => setConfirm(null)}
        >
          <p>
            {confirm === 'start'
              ? `It goes to its audience from ${whenWords(b.start_at, props.timeZone)}, between ${b.send_window.start} and ${b.send_window.end}, each person once.`
              : 'Nobody still waiting will get it. This cannot be undone.'}
          </p>
        </ConfirmDialog>
      )}
    </>
  );
}

export function BroadcastDetailPage() {
  const { params } = useRoute();
  const id = params.id ?? '';
  const { data, error, reload } = useLoad(() => getBroadcast(id), [id]);
  const timeZone = me.value?.company.timezone ?? 'UTC';
  return (
    <div class="page">
      <AppHeader title="Broadcast" back="/broadcasts" />
      <main class="automations-main">
        <LoadState data={data} error={error} reload={reload}>
          {(data) => <BroadcastDetail key={data.id} initial={data} timeZone={timeZone} />}
        </LoadState>
      </main>
    </div>
  );
}
