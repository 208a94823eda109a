// The company's clubs: everyone sees them and their WhatsApp numbers; admins add clubs and change them. Numbers
// are connected by the ClubChat operator (each is a phone at Meta), so this screen only shows them.
import { useState } from 'preact/hooks';
import { LoadState } from '../../components/load-state/load-state';
import { type Club, createClub, listClubs, updateClub } from '../../lib/api/clubs';
import { businessNumber } from '../../lib/format';
import { can, me } from '../../lib/session';
import { useLoad } from '../../lib/use-load';
import { AppHeader } from '../app-header';
import { ClubForm } from './club-form';
import { formatDay, WEEKDAY_NAMES, WEEKDAYS } from './club-hours';
import { ClubHoursForm } from './club-hours-form';

/** "Mon 06:00-22:00 · ... · Sun closed · away reply on", or that it has no set hours. */
function hoursSummary(club: Club): string {
  const { hours } = club;
  if (!hours) return 'No set hours';
  const days = WEEKDAYS.map((d) => `${WEEKDAY_NAMES[d].slice(0, 3)} ${formatDay(hours[d]) || 'closed'}`).join(' · ');
  return `${days}${club.away_reply?.enabled ? ' · away reply on' : ''}`;
}

export function ClubsPage() {
  const { data, error, reload } = useLoad(listClubs);
  const [editing, setEditing] = useState<string | null>(null);
  const [hoursOf, setHoursOf] = useState<string | null>(null);
  const writer = can('clubs');
  const hoursWriter = can('club_hours');
  const defaultTimezone = me.value?.company.timezone ?? 'Europe/London';

  return (
    <div class="page">
      <AppHeader title="Clubs" back="/settings" />
      <main class="settings-main">
        <p class="pad small muted">
          Each club has its own leads and WhatsApp numbers. A message to a club’s number makes a lead of that club, and
          replies go from the number the person wrote to.
        </p>
        <section class="card" aria-labelledby="clubs-list-title">
          <h2 id="clubs-list-title" class="card-head">
            Clubs
          </h2>
          <LoadState data={data} error={error} what="Clubs" reload={reload}>
            {(clubs) => (
              <ul class="item-list" aria-label="Clubs">
                {clubs.map((club) =>
                  hoursOf === club.id ? (
                    <li key={club.id}>
                      <ClubHoursForm
                        club={club}
                        onCancel={() => setHoursOf(null)}
                        onSave={async (body) => {
                          await updateClub(club.id, body);
                          setHoursOf(null);
                          reload();
                        }}
                      />
                    </li>
                  ) : editing === club.id ? (
                    <li key={club.id}>
                      <ClubForm
                        initial={club}
                        defaultTimezone={defaultTimezone}
                        onCancel={() => setEditing(null)}
                        onSave={async (body) => {
                          await updateClub(club.id, body);
                          setEditing(null);
                          reload();
                        }}
                      />
                    </li>
                  ) : (
                    <li key={club.id} data-testid="club">
                      <div class="item-head">
                        <strong>{club.name}</strong>
                        <span class="row-buttons">
                          {hoursWriter && (
                            <button type="button" class="link" onClick={() => setHoursOf(club.id)}>
                              Hours<span class="visually-hidden"> of {club.name}</span>
                            </button>
                          )}
                          {writer && (
                            <button type="button" class="link" onClick={() => setEditing(club.id)}>
                              Edit<span class="visually-hidden"> {club.name}</span>
                            </button>
                          )}
                        </span>
                      </div>
                      <p class="small muted">
                        {[club.address, club.timezone].filter(Boolean).join(' · ')}
                        <br />
                        {club.assignment === 'round_robin'
                          ? 'Round-robin among staff on shift'
                          : 'Leads assigned by hand'}
                        <br />
                        {hoursSummary(club)}
                      </p>
                      <p class="small">
                        {club.numbers.length === 0
                          ? 'No WhatsApp number of its own: replies go from the company’s first number.'
                          : club.numbers
                              .map(
                                (n) =>
                                  `${n.display_phone_number ? businessNumber(n.display_phone_number) : n.phone_number_id}${n.enabled ? '' : ' (off)'}`,
                              )
                              .join(', ')}
                      </p>
                    </li>
                  ),
                )}
              </ul>
            )}
          </LoadState>
        </section>
        {writer && (
          <section class="card" aria-labelledby="club-new-title">
            <h2 id="club-new-title" class="card-head">
              New club
            </h2>
            <ClubForm
              defaultTimezone={defaultTimezone}
              onSave={async (body) => {
                await createClub(body);
                reload();
              }}
            />
          </section>
        )}
      </main>
    </div>
  );
}
