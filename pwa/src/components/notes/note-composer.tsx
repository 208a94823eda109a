// Writing an internal note: a yellow text box whose "@" opens the users who may see this person (the server's
// list: GET /people/{id}/mentionable), filtered as you type. Arrows move, Enter or Tab chooses, Escape closes; a
// tap chooses too. The box shows "@Ben Carter"; what is sent carries the user's id (#common/mentions).
import { useRef, useState } from 'preact/hooks';
import { type MentionRef, NOTE_MAX_CHARS, tokenizeMentions } from '#common/mentions';
import { addNote, listMentionable, type MentionableUser } from '../../lib/api/notes';
import type { HistoryNote } from '../../lib/api/people';
import { errorText } from '../../lib/use-load';
import { insertMention, type MentionQuery, matchUsers, mentionQueryAt } from './mention-query';
import './notes.css';

export interface NoteComposerProps {
  personId: string;
  onAdded: (note: HistoryNote) => void;
  autoFocus?: boolean;
  /** Tests hand in their own (default: the API). */
  loadUsers?: (personId: string) => Promise<{ collection: MentionableUser[] }>;
  save?: (personId: string, text: string) => Promise<HistoryNote>;
}

const LIST_ID = 'mention-list';
const optionId = (id: string) => `mention-${id}`;

export function NoteComposer(props: NoteComposerProps) {
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<MentionRef[]>([]);
  const [at, setAt] = useState<MentionQuery | null>(null);
  const [closed, setClosed] = useState(false);
  const [active, setActive] = useState(0);
  const [users, setUsers] = useState<MentionableUser[] | null>(null);
  const [usersError, setUsersError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const loading = useRef(false);

  const open = at !== null && !closed;
  const matches = open && users ? matchUsers(users, at.query) : null;
  const current = matches?.[Math.min(active, matches.length - 1)];

  // Asked for once, on the first "@": most notes mention nobody.
  const loadUsers = () => {
    if (loading.current) return;
    loading.current = true;
    (props.loadUsers ?? listMentionable)(props.personId)
      .then((page) => setUsers(page.collection))
      .catch((err: unknown) => {
        loading.current = false;
        setUsersError(errorText(err, 'Could not load the team'));
      });
  };

  const follow = (value: string, caret: number) => {
    const q = mentionQueryAt(value, caret);
    setAt(q);
    setActive(0);
    if (q === null) setClosed(false);
    else loadUsers();
  };

  const choose = (user: MentionableUser) => {
    if (!at) return;
    const next = insertMention(text, at, user);
    setText(next.text);
    setPicked((p) => (p.some((u) => u.id === user.id) ? p : [...p, { id: user.id, name: user.name }]));
    setAt(null);
    const el = box.current;
    el?.focus();
    // The caret goes after the name, ready to go on typing.
    requestAnimationFrame(() => el?.setSelectionRange(next.caret, next.caret));
  };

  const submit = async () => {
    const trimmed = text.trim();
    if (!trimmed || busy) return;
    setBusy(true);
    setError(null);
    try {
      const note = await (props.save ?? addNote)(props.personId, tokenizeMentions(trimmed, picked));
      setText('');
      setPicked([]);
      setAt(null);
      props.onAdded(note);
    } catch (err) {
      setError(errorText(err, 'The note was not added'));
    } finally {
      setBusy(false);
    }
  };

  /** Keys the open list takes; true when the key was for it. */
  const listKey = (e: KeyboardEvent): boolean => {
    if (!open) return false;
    if (e.key === 'Escape') {
      setClosed(true);
      return true;
    }
    if (!matches || matches.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (Math.min(i, matches.length - 1) + step + matches.length) % matches.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      if (current) choose(current);
      return true;
    }
    return false;
  };

  let status: string | null = null;
  if (open) {
    if (usersError) status = `The team could not be loaded: ${usersError}`;
    else if (matches === null) status = 'Loading the team…';
    else if (users?.length === 0) status = 'Nobody else may see this person.';
    else if (matches.length === 0) status = `Nobody called “${at.query}” may see this person.`;
  }

  return (
    <form
      class="note-composer"
      aria-label="Add note"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {error && (
        <p role="alert" class="error small">
          Not added: {error}
        </p>
      )}
      {open && (
        <div class="mention-picker" data-testid="mention-picker">
          {status ? (
            <p class={usersError ? 'error small' : 'muted small'} role="status">
              {status}
            </p>
          ) : (
            <div id={LIST_ID} role="listbox" aria-label="People to mention">
              {matches?.map((u) => (
                // The text box keeps the keyboard; a tap chooses without taking focus from it.
                // biome-ignore lint/a11y/useKeyWithClickEvents: arrows, Enter and Tab are handled by the text box that owns this list
                <div
                  key={u.id}
                  id={optionId(u.id)}
                  role="option"
                  tabIndex={-1}
                  aria-selected={u.id === current?.id}
                  onMouseDown={(e) => e.preventDefault()}
                  onClick={() => choose(u)}
                >
                  <span>{u.name}</span>
                  <span class="muted small">{u.role}</span>
                </div>
              ))}
            </div>
          )}
        </div>
      )}
      <textarea
        ref={box}
        aria-label="Note"
        placeholder="Internal note, never sent (@ to mention)"
        rows={2}
        maxLength={NOTE_MAX_CHARS}
        value={text}
        // biome-ignore lint/a11y/noAutofocus: switching the chat to Note means writing one now
        autoFocus={props.autoFocus}
        aria-autocomplete="list"
        aria-controls={open && matches?.length ? LIST_ID : undefined}
        aria-activedescendant={open && current ? optionId(current.id) : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          follow(e.currentTarget.value, e.currentTarget.selectionStart ?? e.currentTarget.value.length);
        }}
        onClick={(e) => follow(e.currentTarget.value, e.currentTarget.selectionStart ?? 0)}
        onKeyDown={(e) => {
          if (listKey(e)) {
            e.preventDefault();
            return;
          }
          // Enter adds the note on a desktop keyboard; Shift+Enter is a new line, as in the message box.
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            void submit();
          }
        }}
      />
      <div class="note-composer-row">
        <span class="muted small">Only your team sees notes.</span>
        <button type="submit" class="primary" disabled={busy || !text.trim()} aria-busy={busy}>
          Add note
        </button>
      </div>
    </form>
  );
}
