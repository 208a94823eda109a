// New chat, from the inbox: pick someone (the newest people first, or the People screen's search), or type a
// number to add them as a lead; either way their conversation opens, where the composer offers what the rules allow (a template unless
// they wrote within 24 hours).
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { me } from '../../lib/session';
import { usePeopleList } from '../../lib/use-people-list';
import { Modal } from '../dialog/confirm-dialog';
import { PersonRow } from '../person-row/person-row';
import { NewLeadForm } from './new-lead-form';
import './new-chat.css';

/** A phone number as staff type it: digits and the usual separators, enough digits to be a whole number. */
const PHONE_LIKE = /^[+\d\s().-]+$/;
const MIN_PHONE_DIGITS = 7;

export function looksLikePhone(text: string): boolean {
  const t = text.trim();
  return PHONE_LIKE.test(t) && t.replace(/\D/g, '').length >= MIN_PHONE_DIGITS;
}

export function NewChatSheet({ onClose }: { onClose: () => void }) {
  const { route } = useLocation();
  const [typed, setTyped] = useState('');
  const [leadPhone, setLeadPhone] = useState<string | null>(null);
  const list = usePeopleList({ q: typed }, 8);
  const open = (personId: string) => {
    onClose();
    route(`/c/${personId}`);
  };

  if (leadPhone !== null)
    return (
      <Modal title="New lead" onClose={onClose}>
        <NewLeadForm
          phone={leadPhone}
          gymName={me.value?.company.name ?? 'the gym'}
          onReady={open}
          onBack={() => setLeadPhone(null)}
        />
      </Modal>
    );

  const phone = looksLikePhone(typed);
  return (
    <Modal title="New chat" onClose={onClose}>
      <input
        type="search"
        class="new-chat-search"
        aria-label="Name, phone number or email"
        placeholder="Name, phone number or email"
        value={typed}
        onInput={(e) => setTyped(e.currentTarget.value)}
      />
      {phone && (
        <button type="button" class="new-chat-number" onClick={() => setLeadPhone(typed.trim())}>
          <span aria-hidden="true">＋</span> New chat with {typed.trim()}
        </button>
      )}
      {!list.searching && (
        <p class="muted small">Find someone, or type a phone number in any format to add them as a lead.</p>
      )}
      {list.error ? (
        <p role="alert" class="error">
          {list.error}
        </p>
      ) : list.rows === null ? (
        <p class="muted small" aria-busy="true">
          Loading…
        </p>
      ) : list.rows.length === 0 ? (
        <p class="muted small">
          {!list.searching
            ? 'No people yet.'
            : phone
              ? 'No one has this number yet.'
              : 'No one found. Type their number to add them.'}
        </p>
      ) : (
        <>
          {!list.searching && <h3 class="new-chat-heading">Newest</h3>}
          <ul class="people-list new-chat-results" aria-label={list.searching ? 'People found' : 'Newest people'}>
            {list.rows.map((p) => (
              <PersonRow key={p.id} person={p} href={`/c/${p.id}`} />
            ))}
          </ul>
        </>
      )}
    </Modal>
  );
}
