// The company's quick replies: everyone sees them (to learn the shortcuts); managers and admins add, change
// and delete them.
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../../components/dialog/confirm-dialog';
import { LoadState } from '../../components/load-state/load-state';
import {
  createQuickReply,
  deleteQuickReply,
  listQuickReplies,
  type QuickReply,
  updateQuickReply,
} from '../../lib/api/settings';
import { can } from '../../lib/session';
import { errorText, useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { QuickReplyForm } from './quick-reply-form';
import { askedWith } from './reply-buttons';

export function QuickRepliesPage() {
  const { data, error, reload } = useLoad(listQuickReplies);
  const [editing, setEditing] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<QuickReply | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const writer = can('quick_replies');

  const remove = async (r: QuickReply) => {
    setBusy(true);
    setDeleteError(null);
    try {
      await deleteQuickReply(r.id);
      setDeleting(null);
      reload();
    } catch (err) {
      setDeleteError(errorText(err, 'The quick reply was not deleted'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page">
      <AppHeader title="Quick replies" back="/settings" />
      <main class="settings-main">
        <p class="pad small muted">
          In a chat, type “/” at the start of a message to pick one; its text goes into the message, ready to send or
          change. Only while the 24-hour reply window is open.
        </p>
        {writer && (
          <section class="card" aria-labelledby="qr-new-title">
            <h2 id="qr-new-title" class="card-head">
              New quick reply
            </h2>
            <QuickReplyForm
              onSave={async (body) => {
                await createQuickReply({ ...body, attachment: body.attachment ?? undefined });
                reload();
              }}
            />
          </section>
        )}
        <section class="card" aria-labelledby="qr-list-title">
          <h2 id="qr-list-title" class="card-head">
            Saved
          </h2>
          <LoadState data={data} error={error} what="Quick replies" reload={reload}>
            {(replies) =>
              replies.length === 0 ? (
                <p class="muted">No quick replies yet.{writer ? '' : ' A manager can add them.'}</p>
              ) : (
                <ul class="item-list" aria-label="Quick replies">
                  {replies.map((r) =>
                    editing === r.id ? (
                      <li key={r.id}>
                        <QuickReplyForm
                          initial={r}
                          onCancel={() => setEditing(null)}
                          onSave={async (body) => {
                            await updateQuickReply(r.id, body);
                            setEditing(null);
                            reload();
                          }}
                        />
                      </li>
                    ) : (
                      <li key={r.id} data-testid="quick-reply">
                        <div class="item-head">
                          <strong>/{r.shortcut}</strong>
                          {writer && (
                            <span class="row-buttons">
                              <button type="button" class="link" onClick={() => setEditing(r.id)}>
                                Edit<span class="visually-hidden"> /{r.shortcut}</span>
                              </button>
                              <button
                                type="button"
                                class="link"
                                onClick={() => {
                                  setDeleteError(null);
                                  setDeleting(r);
                                }}
                              >
                                Delete<span class="visually-hidden"> /{r.shortcut}</span>
                              </button>
                            </span>
                          )}
                        </div>
                        <p class="item-text">{r.text}</p>
                        {r.interactive && <p class="muted small">Asks with: {askedWith(r.interactive)}</p>}
                        {r.attachment && (
                          <p class="small muted">With file: {r.attachment.filename ?? r.attachment.type}</p>
                        )}
                      </li>
                    ),
                  )}
                </ul>
              )
            }
          </LoadState>
        </section>
      </main>
      {deleting && (
        <ConfirmDialog
          title={`Delete /${deleting.shortcut}?`}
          confirmLabel="Delete"
          busy={busy}
          error={deleteError}
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        >
          <p>Nobody will be able to insert it any more. Messages already sent with it stay as they are.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
