import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso';
import { LeadSourceCards } from '../../components/ad-card/lead-source-cards';
import { PersonComposer } from '../../components/composer/person-composer';
import { ActivityTracker } from '../../components/counters/activity-tracker';
import { Modal } from '../../components/dialog/confirm-dialog';
import { HistoryNotes } from '../../components/history/history-notes';
import { NoteComposer } from '../../components/notes/note-composer';
import { OptOutControl } from '../../components/opt-out/opt-out-control';
import { OwnerButtons, OwnerLabel, useOwnerChoice } from '../../components/owner/owner-control';
import { PersonClub } from '../../components/person-club/person-club';
import { PersonLabels } from '../../components/person-labels/person-labels';
import { PersonStage } from '../../components/person-stage/person-stage';
import {
  erasePerson,
  getHistory,
  getPerson,
  type HistoryFilter,
  type HistoryNote,
  optOut,
  type PersonDetail,
} from '../../lib/api/people';
import { fullTime, personName } from '../../lib/format';
import { inboxVersion } from '../../lib/live';
import { addedBy } from '../../lib/person-labels';
import { forgetSavedAnswers } from '../../lib/saved-answers';
import { can, whatsappEnabled } from '../../lib/session';
import { useClubs } from '../../lib/use-clubs';
import { refusalText, useWhatsappSend } from '../../lib/use-whatsapp-send';
import { AppHeader } from '../app-header';
import { ErasedNotice, ErasePersonDialog, useExport } from './data-requests';
import './profile.css';

function NewWhatsappDialog(props: { person: PersonDetail; onClose: () => void; onSent: () => void }) {
  const { person } = props;
  const { send, sendMedia } = useWhatsappSend(person.id, () => {
    props.onSent();
    props.onClose();
  });
  return (
    <Modal title="New WhatsApp" onClose={props.onClose}>
      <p class="muted small">To {personName(person)}</p>
      <PersonComposer person={person} onSend={send} onSendMedia={sendMedia} />
    </Modal>
  );
}

export function ProfilePage() {
  const { params, query } = useRoute();
  const { route } = useLocation();
  const id = params.id ?? '';
  // Opened from the People screen, back goes there; else to the chat, whence the profile usually opens.
  const fromPeople = query.from === 'people';
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<HistoryFilter>('all');
  const [notes, setNotes] = useState<HistoryNote[] | null>(null);
  const [notesError, setNotesError] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [composing, setComposing] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [reloads, setReloads] = useState(0);
  const exported = useExport(id);
  const owner = useOwnerChoice(id, person?.owner_user_id ?? null, person?.club_id ?? null, () =>
    setReloads((n) => n + 1),
  );
  const version = inboxVersion.value;
  const clubs = useClubs();

  useEffect(() => {
    getPerson(id)
      .then((p) => {
        setPerson(p);
        setError(null);
      })
      .catch((err: unknown) => setError(err instanceof Error ? err.message : 'Could not load'));
  }, [id, version, reloads]);

  // A new person or filter shows "loading"; a live refresh keeps the list on screen until the new one comes.
  // An answer overtaken by a later request (the filter changed meanwhile) is dropped, never shown.
  useEffect(() => setNotes(null), [id, filter]);
  useEffect(() => {
    let stale = false;
    getHistory(id, filter)
      .then((page) => {
        if (stale) return;
        setNotes(page.collection);
        setNotesError(null);
      })
      .catch((err: unknown) => {
        if (!stale) setNotesError(err instanceof Error ? err.message : 'Could not load history');
      });
    return () => {
      stale = true;
    };
  }, [id, filter, version, reloads]);

  if (error)
    return (
      <div class="page">
        <AppHeader title="Client" back={fromPeople ? '/people' : '/'} />
        <p role="alert" class="error center">
          {error}
        </p>
      </div>
    );
  if (!person)
    return (
      <div class="page">
        <AppHeader title="Client" back={fromPeople ? '/people' : '/'} />
        <p class="center muted" aria-busy="true">
          Loading…
        </p>
      </div>
    );

  const enabled = whatsappEnabled.value;
  const canMessage = enabled && !person.whatsapp_opted_out;
  const dataRequests = can('person_data');
  const windowOpen = person.whatsapp.conversation === 'active';
  const pick = (action: () => void) => () => {
    setMenuOpen(false);
    action();
  };

  return (
    <div class="page profile">
      <AppHeader title={personName(person)} back={fromPeople ? '/people' : `/c/${id}`} />
      <main class="profile-main">
        <section class="card" aria-label="Client">
          <div class="card-head">
            <div>
              <h2>{personName(person)}</h2>
              <p class="muted small">
                {person.status.replace('_', ' ')} ·{' '}
                {person.sale_type === 'secondary' ? 'Secondary Sales' : 'Membership'}
              </p>
            </div>
            <div class="menu">
              <button
                type="button"
                aria-haspopup="menu"
                aria-expanded={menuOpen}
                onClick={() => setMenuOpen(!menuOpen)}
              >
                Action ▾
              </button>
              {menuOpen && (
                <div class="menu-list" role="menu">
                  {canMessage && (
                    <button type="button" role="menuitem" class="link" onClick={pick(() => setComposing(true))}>
                      Send WhatsApp
                    </button>
                  )}
                  <OwnerButtons menu choice={owner} onPick={() => setMenuOpen(false)} />
                  {dataRequests && (
                    <>
                      <button
                        type="button"
                        role="menuitem"
                        class="link"
                        disabled={exported.state.kind === 'busy'}
                        onClick={pick(() => void exported.start())}
                      >
                        Export data
                      </button>
                      <button type="button" role="menuitem" class="link danger" onClick={pick(() => setErasing(true))}>
                        Erase person…
                      </button>
                    </>
                  )}
                </div>
              )}
            </div>
          </div>
          {owner.panel}
          <LeadSourceCards personId={person.id} source={person.lead_source} />
          <dl class="facts">
            <dt>Phone</dt>
            <dd>
              {person.phone ? (
                <>
                  <a href={`tel:${person.phone}`}>{person.phone}</a>
                  {enabled && (
                    // The WhatsApp link opens the chat here, where the rules are enforced, not on a personal phone.
                    <a class="wa-link" href={`/c/${id}`} aria-label={`WhatsApp ${personName(person)}`}>
                      WhatsApp
                    </a>
                  )}
                </>
              ) : (
                <span class="muted">No phone number</span>
              )}
            </dd>
            <dt>Owner</dt>
            <dd>
              <OwnerLabel ownerId={person.owner_user_id} />
            </dd>
            <PersonClub
              key={`${person.id}:${person.club_id}`}
              personId={person.id}
              clubId={person.club_id}
              clubs={clubs}
              onChanged={() => setReloads((n) => n + 1)}
            />
            <PersonStage
              key={`${person.id}:stage:${person.stage_id}`}
              personId={person.id}
              stageId={person.stage_id}
              onChanged={() => setReloads((n) => n + 1)}
            />
            <PersonLabels key={`${person.id}:labels`} personId={person.id} />
            <dt>Email</dt>
            <dd>{person.email ?? <span class="muted">None</span>}</dd>
            <dt>Added</dt>
            <dd>
              {fullTime(person.created_at)}
              {person.created_by && <> by {addedBy(person.created_by)}</>}
            </dd>
          </dl>
          <ErasedNotice person={person} />
          {exported.state.kind === 'busy' && (
            <p class="export-status muted" role="status" aria-busy="true">
              Preparing the export…
            </p>
          )}
          {exported.state.kind === 'done' && (
            <p class="export-status muted" role="status">
              {exported.state.text}
            </p>
          )}
          {exported.state.kind === 'failed' && (
            <p class="export-status error" role="alert">
              {exported.state.text}
            </p>
          )}
        </section>
        <ActivityTracker counters={person.counters.whatsapp}>
          <OptOutControl
            name={person.first_name}
            optedOut={person.whatsapp_opted_out}
            whatsappEnabled={enabled}
            onOptOut={async () => {
              try {
                await optOut(id);
              } catch (err) {
                throw new Error(refusalText(err));
              }
              setReloads((n) => n + 1);
            }}
          />
        </ActivityTracker>
        <section class="card" aria-labelledby="add-note-title">
          <h2 id="add-note-title">Add note</h2>
          <NoteComposer personId={id} onAdded={() => setReloads((n) => n + 1)} />
        </section>
        <HistoryNotes
          erasedAt={person.erased_at}
          notes={notes}
          error={notesError}
          filter={filter}
          whatsappEnabled={enabled}
          onFilter={setFilter}
          onShow={(n) => route(`/c/${id}?m=${encodeURIComponent(n.id)}`)}
          onReply={() => route(`/c/${id}?reply=1${windowOpen ? '' : '&template=1'}`)}
        />
      </main>
      {erasing && (
        <ErasePersonDialog
          person={person}
          onErase={async () => {
            await erasePerson(id);
            exported.reset();
            // Copies of this person's answers saved on this phone for offline reading go too.
            await forgetSavedAnswers();
            setReloads((n) => n + 1);
          }}
          onClose={() => setErasing(false)}
        />
      )}
      {composing && (
        <NewWhatsappDialog
          person={person}
          onClose={() => setComposing(false)}
          onSent={() => setReloads((n) => n + 1)}
        />
      )}
    </div>
  );
}
