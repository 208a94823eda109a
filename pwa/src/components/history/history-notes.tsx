import type { HistoryFilter, HistoryNote } from '../../lib/api/people';
import { beforeErasure, ERASED_TEXT } from '../../lib/erased';
import { fullTime } from '../../lib/format';
import { NoteCard } from '../notes/note-card';
import { HISTORY_FILTERS, historyActions, matchesFilter } from './history-rules';

export interface HistoryNotesProps {
  /** null while loading. */
  notes: readonly HistoryNote[] | null;
  error?: string | null;
  filter: HistoryFilter;
  whatsappEnabled: boolean;
  /** The person's latest erasure (PersonDetail.erased_at): notes from before it have no text left. */
  erasedAt?: string | null;
  onFilter: (f: HistoryFilter) => void;
  onShow: (note: HistoryNote) => void;
  onReply: (note: HistoryNote) => void;
}

const TITLES: Record<HistoryNote['type'], string> = {
  whatsapp_sent: 'WhatsApp sent',
  whatsapp_received: 'WhatsApp received',
  whatsapp_opt_out: 'Opted out of WhatsApp',
  whatsapp_opt_in: 'Opted in to WhatsApp',
  whatsapp_event: 'WhatsApp',
  owner_changed: 'Owner',
  stage_changed: 'Stage',
  note: 'Note',
};

function summary(n: HistoryNote, erasedAt: string | null | undefined): string {
  if (n.body) return n.body;
  if (n.template) return `Template ${n.template.name}`;
  if (beforeErasure(n.occurred_at, erasedAt)) return ERASED_TEXT;
  if (n.message_type) return `[${n.message_type}]`;
  return '';
}

export function HistoryNotes(props: HistoryNotesProps) {
  const shown = props.notes?.filter((n) => matchesFilter(n, props.filter)) ?? null;
  return (
    <section class="card" aria-labelledby="history-title">
      <div class="card-head">
        <h2 id="history-title">History Notes</h2>
        <label class="inline">
          <span class="visually-hidden">Filter history</span>
          <select value={props.filter} onChange={(e) => props.onFilter(e.currentTarget.value as HistoryFilter)}>
            {HISTORY_FILTERS.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {props.error ? (
        <p role="alert" class="error">
          {props.error}
        </p>
      ) : shown === null ? (
        <p class="muted" aria-busy="true">
          Loading history…
        </p>
      ) : shown.length === 0 ? (
        <p class="muted">No notes here yet.</p>
      ) : (
        <ul class="notes">
          {shown.map((n) =>
            // A staff note is the same yellow card as in the chat, its mentions drawn as names.
            n.type === 'note' ? (
              <NoteCard key={n.id} note={n} />
            ) : (
              <li key={n.id} class="note" data-type={n.type}>
                <div class="note-head">
                  <strong>{TITLES[n.type]}</strong>
                  <time dateTime={n.occurred_at}>{fullTime(n.occurred_at)}</time>
                </div>
                <p class="note-body">{summary(n, props.erasedAt)}</p>
                {/* An owner note says who assigned in its own words ("Assigned to Sam by Alex"). */}
                {n.actor && n.type !== 'owner_changed' && <p class="muted small">by {n.actor.name}</p>}
                <div class="note-actions">
                  {historyActions(n, { whatsappEnabled: props.whatsappEnabled }).map((a) =>
                    a === 'show' ? (
                      <button key={a} type="button" class="link" onClick={() => props.onShow(n)}>
                        Show
                      </button>
                    ) : (
                      <button key={a} type="button" class="link" onClick={() => props.onReply(n)}>
                        Reply
                      </button>
                    ),
                  )}
                </div>
              </li>
            ),
          )}
        </ul>
      )}
    </section>
  );
}
