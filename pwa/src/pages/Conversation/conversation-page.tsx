import { Fragment } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { AdCard } from '../../components/ad-card/ad-card';
import { PersonComposer, personComposerMode } from '../../components/composer/person-composer';
import { NoteCard } from '../../components/notes/note-card';
import { NoteComposer } from '../../components/notes/note-composer';
import { OwnerControl, OwnerLabel } from '../../components/owner/owner-control';
import { PersonStage } from '../../components/person-stage/person-stage';
import { WindowChip } from '../../components/window-chip/window-chip';
import { getConversation, type InboxMessage, listMessages, markRead, markUnread } from '../../lib/api/inbox';
import { getPerson, type HistoryNote, type PersonDetail } from '../../lib/api/people';
import { sandboxExpireWindow } from '../../lib/api/sandbox';
import { now } from '../../lib/clock';
import { personName } from '../../lib/format';
import { inboxVersion, lastEventPerson } from '../../lib/live';
import { ownerOf } from '../../lib/outbox/owner';
import { onOutboxSettled } from '../../lib/outbox/replay';
import { type OutboxItem, outbox, ownedBy, removeFromOutbox } from '../../lib/outbox/store';
import { me } from '../../lib/session';
import { useWhatsappSend } from '../../lib/use-whatsapp-send';
import { AppHeader } from '../app-header';
import { Bubble, PendingBubble } from './bubble';
import { OutboxBubble } from './outbox-bubble';
import './conversation.css';

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** Whether a reply of this device was refused as outside the window, after the person's last message. */
function refusedForWindow(waiting: readonly OutboxItem[], person: PersonDetail): boolean {
  const expires = person.whatsapp.window_expires_at;
  const lastInbound = expires === null ? null : Date.parse(expires) - WINDOW_MS;
  return waiting.some(
    (i) =>
      i.state === 'refused' &&
      i.refusalCode === 'window_closed' &&
      (lastInbound === null || Date.parse(i.triedAt ?? i.createdAt) >= lastInbound),
  );
}

const windowClosed = (person: PersonDetail): PersonDetail => ({
  ...person,
  whatsapp: { ...person.whatsapp, window_expires_at: null },
});

export function ConversationPage() {
  const { params, query } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [messages, setMessages] = useState<InboxMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  // What the box at the bottom writes: a WhatsApp reply, or an internal note that is never sent.
  const [writing, setWriting] = useState<'reply' | 'note'>('reply');
  const listRef = useRef<HTMLOListElement>(null);
  const reading = useRef<Promise<unknown>>(Promise.resolve());
  const version = inboxVersion.value;
  const about = lastEventPerson.peek();
  const owner = ownerOf(me.value);
  // Replies kept on this device for this person: waiting, sending, or refused when they went.
  const waiting = owner ? outbox.value.filter((i) => i.personId === id && ownedBy(i, owner)) : [];

  // Refetch on open, after a send, and on live events about this person (or a reset).
  const seenVersion = useRef(version);
  useEffect(() => {
    const liveOnly = seenVersion.current !== version;
    seenVersion.current = version;
    // A live event about someone else changes nothing here.
    if (liveOnly && about !== id && about !== '*' && messages !== null) return;
    let stale = false;
    Promise.all([getPerson(id), listMessages(id), getConversation(id)])
      .then(([p, page, row]) => {
        if (stale) return;
        setPerson(p);
        setMessages([...page.collection].reverse());
        setError(null);
        // Opening the conversation reads it: the badge clears and the person sees blue ticks, and notes mentioning
        // me count as seen. Only when something is unread, so the read event this causes does not start another round.
        if ((row.unread_count > 0 || row.mentions_unread > 0) && document.visibilityState === 'visible')
          reading.current = markRead(id).catch(() => undefined);
      })
      .catch((err: unknown) => !stale && setError(err instanceof Error ? err.message : 'Could not load'));
    return () => {
      stale = true;
    };
  }, [id, version, reloads]);

  const highlight = query.m ?? null;
  useEffect(() => {
    if (!messages) return;
    const target = highlight ? document.getElementById(`m-${highlight}`) : null;
    if (target) target.scrollIntoView({ block: 'center' });
    else listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages?.length, waiting.length, highlight]);

  const showSent = (note: HistoryNote) => {
    // The stored message replaces the pending bubble at once; its status then follows over the live socket.
    setMessages((ms) =>
      ms && !ms.some((m) => m.id === note.id) ? [...ms, { ...note, media: null, quoted: null, reactions: [] }] : ms,
    );
    setReloads((n) => n + 1);
  };
  const { pending, send, sendMedia } = useWhatsappSend(id, showSent, { outbox: true });
  // A reply from the outbox that went meanwhile (connection back) shows as the real message; one refused
  // means the person's state moved on while offline (window closed, opted out): fetch it afresh.
  useEffect(
    () =>
      onOutboxSettled((personId, note) => {
        if (personId !== id) return;
        if (note) showSent(note);
        else setReloads((n) => n + 1);
      }),
    [id],
  );
  // A reply refused for the window since the person last wrote closes it here at once, whatever copy of the
  // person the page holds (a saved one may still say open): the server has just said so.
  const shown = person && refusedForWindow(waiting, person) ? windowClosed(person) : person;
  const mode = shown ? personComposerMode(shown) : null;

  const unread = async () => {
    // A read still on its way would undo this.
    await reading.current;
    await markUnread(id);
    route('/');
  };

  const title = person ? personName(person) : 'Chat';
  return (
    <div class="page conversation">
      <AppHeader title={title} back="/">
        {shown && <WindowChip expiresAt={shown.whatsapp.window_expires_at} now={now.value} />}
      </AppHeader>
      <nav class="subbar" aria-label="Chat actions">
        <a href={`/people/${id}`}>Profile</a>
        {me.value?.sandbox && mode?.kind === 'free_text' && (
          <button
            type="button"
            class="link"
            aria-label="Close the reply window (sandbox clock)"
            onClick={() => void sandboxExpireWindow(id).then(() => setReloads((n) => n + 1))}
          >
            Close window
          </button>
        )}
        <button type="button" class="link" onClick={() => void unread()}>
          Mark as unread
        </button>
      </nav>
      {person && (
        <section class="owner-bar" aria-label="Owner and stage">
          <span class="muted">
            Owner: <OwnerLabel ownerId={person.owner_user_id} />
          </span>
          <OwnerControl
            personId={id}
            ownerId={person.owner_user_id}
            clubId={person.club_id}
            onChanged={(owner) => setPerson((p) => (p ? { ...p, owner_user_id: owner } : p))}
          />
          <PersonStage
            key={`${id}:stage:${person.stage_id}`}
            inline
            personId={id}
            stageId={person.stage_id}
            onChanged={() => setReloads((n) => n + 1)}
          />
        </section>
      )}
      <main class="messages-wrap">
        {error ? (
          <p role="alert" class="error center">
            {error}
          </p>
        ) : messages === null ? (
          <p class="center muted" aria-busy="true">
            Loading messages…
          </p>
        ) : messages.length === 0 && pending.length === 0 && waiting.length === 0 ? (
          <p class="center muted">No messages yet.</p>
        ) : (
          <ol class="messages" ref={listRef} aria-label="Messages" aria-live="polite">
            {messages.map((m) =>
              m.type === 'note' ? (
                <NoteCard key={m.id} note={m} highlighted={m.id === highlight} />
              ) : (
                <Fragment key={m.id}>
                  {/* The ad a message was sent from, above it (a lead's first message, usually). */}
                  {m.referral && (
                    <li class="ad-card-item">
                      <AdCard personId={id} noteId={m.id} referral={m.referral} />
                    </li>
                  )}
                  <Bubble
                    m={m}
                    highlighted={m.id === highlight || m.wamid === highlight}
                    erasedAt={person?.erased_at}
                  />
                </Fragment>
              ),
            )}
            {pending.map((p) => (
              <PendingBubble key={p.key} p={p} />
            ))}
            {waiting.map((item) => (
              <OutboxBubble key={item.key} item={item} onDiscard={(key) => void removeFromOutbox(key)} />
            ))}
          </ol>
        )}
      </main>
      {shown && (
        <fieldset class="write-mode">
          <legend class="visually-hidden">Write</legend>
          <button type="button" aria-pressed={writing === 'reply'} onClick={() => setWriting('reply')}>
            WhatsApp
          </button>
          <button type="button" class="note-mode" aria-pressed={writing === 'note'} onClick={() => setWriting('note')}>
            Note
          </button>
        </fieldset>
      )}
      {shown && writing === 'note' && (
        <div class="note-composer-wrap">
          <NoteComposer personId={id} autoFocus onAdded={showSent} />
        </div>
      )}
      {shown && writing === 'reply' && (
        <PersonComposer person={shown} autoFocus={query.reply === '1'} onSend={send} onSendMedia={sendMedia} />
      )}
    </div>
  );
}
