// An internal note as staff see it: a yellow card "Note by Sam", apart from the WhatsApp bubbles (it was never
// sent), its mentions drawn as names. The same card in the chat and in the profile's history.
import { type MentionRef, noteSegments } from '#common/mentions';
import { ERASED_TEXT } from '../../lib/erased';
import { fullTime } from '../../lib/format';
import './notes.css';

export interface NoteLike {
  id: string;
  body: string | null;
  content?: unknown;
  actor: { name: string } | null;
  occurred_at: string;
}

/** The note's mentions ({id, name}), read defensively: content is a JSON column. */
export function mentionsOf(content: unknown): MentionRef[] {
  const list = typeof content === 'object' && content !== null ? (content as { mentions?: unknown }).mentions : null;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (m): m is MentionRef =>
      typeof m === 'object' && m !== null && typeof m.id === 'string' && typeof m.name === 'string',
  );
}

export function NoteCard({ note, highlighted }: { note: NoteLike; highlighted?: boolean }) {
  return (
    <li id={`m-${note.id}`} class={`note-card${highlighted ? ' highlighted' : ''}`} data-testid="note-card">
      <p class="note-card-head">
        <strong>Note by {note.actor?.name ?? 'someone'}</strong>
        <time dateTime={note.occurred_at}>{fullTime(note.occurred_at)}</time>
      </p>
      <p class="note-card-text">
        {note.body === null
          ? ERASED_TEXT
          : noteSegments(note.body, mentionsOf(note.content)).map((s, i) =>
              'text' in s ? (
                s.text
              ) : (
                <span key={i} class="mention">
                  @{s.mention.name}
                </span>
              ),
            )}
      </p>
    </li>
  );
}
