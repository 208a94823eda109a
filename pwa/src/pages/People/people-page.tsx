// The people directory: everyone in the gym's book the user may see (a salesperson: their own people and unowned
// leads; a user limited to clubs: those clubs'), newest first, found by name, phone or email and filtered by
// status, sale type, "never messaged" (the leads nobody has written to yet), owner, club, stage and label. A row opens the client profile,
// where Send WhatsApp offers what the rules allow.
import { useState } from 'preact/hooks';
import { AdFilter } from '../../components/ad-filter/ad-filter';
import { ClubFilter } from '../../components/club-filter/club-filter';
import { LeadFilter } from '../../components/lead-filter/lead-filter';
import { PersonRow } from '../../components/person-row/person-row';
import type { PeopleFilters, PersonStatus, SaleType } from '../../lib/api/directory';
import { useClubs } from '../../lib/use-clubs';
import { usePeopleList } from '../../lib/use-people-list';
import { AppHeader } from '../app-header';
import './people.css';

const STATUSES: { value: PersonStatus; label: string }[] = [
  { value: 'lead', label: 'Leads' },
  { value: 'member', label: 'Members' },
  { value: 'former_member', label: 'Former members' },
];

const SALE_TYPES: { value: SaleType; label: string }[] = [
  { value: 'membership', label: 'Membership' },
  { value: 'secondary', label: 'Secondary Sales' },
];

/** Toggles: tapping the chosen one again shows everyone. */
function Chip(props: { label: string; pressed: boolean; onToggle: () => void }) {
  return (
    <button type="button" class="filter" aria-pressed={props.pressed} onClick={props.onToggle}>
      {props.label}
    </button>
  );
}

const OWNERS: { value: NonNullable<PeopleFilters['owner']>; label: string }[] = [
  { value: 'me', label: 'Mine' },
  { value: 'none', label: 'Unassigned' },
];

export function PeoplePage() {
  const [filters, setFilters] = useState<PeopleFilters>({});
  const list = usePeopleList(filters);
  const clubs = useClubs();
  const set = (change: Partial<PeopleFilters>) => setFilters((f) => ({ ...f, ...change }));
  const filtering =
    list.searching ||
    Boolean(
      filters.status ||
        filters.sale_type ||
        filters.never_messaged ||
        filters.club ||
        filters.owner ||
        filters.stage ||
        filters.label ||
        filters.source ||
        filters.ad,
    );

  return (
    <div class="page people">
      <AppHeader title="People" />
      <div class="people-tools">
        <input
          type="search"
          aria-label="Search people by name, phone or email"
          placeholder="Search name, phone or email"
          value={filters.q ?? ''}
          onInput={(e) => set({ q: e.currentTarget.value })}
        />
        <fieldset class="filters">
          <legend class="visually-hidden">Status</legend>
          {STATUSES.map((s) => (
            <Chip
              key={s.value}
              label={s.label}
              pressed={filters.status === s.value}
              onToggle={() => set({ status: filters.status === s.value ? undefined : s.value })}
            />
          ))}
        </fieldset>
        <fieldset class="filters">
          <legend class="visually-hidden">Owner and club</legend>
          {OWNERS.map((o) => (
            <Chip
              key={o.value}
              label={o.label}
              pressed={filters.owner === o.value}
              onToggle={() => set({ owner: filters.owner === o.value ? undefined : o.value })}
            />
          ))}
          <ClubFilter clubs={clubs} value={filters.club} onChange={(club) => set({ club })} />
          <LeadFilter
            multiple={false}
            value={{ stages: filters.stage ? [filters.stage] : [], labels: filters.label ? [filters.label] : [] }}
            onChange={(v) => set({ stage: v.stages[0], label: v.labels[0] })}
          />
          <AdFilter value={filters} onChange={({ source, ad }) => set({ source, ad })} />
        </fieldset>
        <fieldset class="filters">
          <legend class="visually-hidden">Sale type and messages</legend>
          <Chip
            label="Never messaged"
            pressed={filters.never_messaged === true}
            onToggle={() => set({ never_messaged: !filters.never_messaged })}
          />
          {SALE_TYPES.map((s) => (
            <Chip
              key={s.value}
              label={s.label}
              pressed={filters.sale_type === s.value}
              onToggle={() => set({ sale_type: filters.sale_type === s.value ? undefined : s.value })}
            />
          ))}
        </fieldset>
      </div>
      <main>
        {list.error ? (
          <div class="center">
            <p role="alert" class="error">
              {list.error}
            </p>
            <button type="button" onClick={list.retry}>
              Try again
            </button>
          </div>
        ) : list.rows === null ? (
          <p class="center muted" aria-busy="true">
            Loading people…
          </p>
        ) : list.rows.length === 0 ? (
          <p class="center muted">{filtering ? 'No one matches.' : 'No people yet.'}</p>
        ) : (
          <>
            <ul class="people-list" aria-label="People">
              {list.rows.map((p) => (
                <PersonRow key={p.id} person={p} href={`/people/${p.id}?from=people`} />
              ))}
            </ul>
            {list.next && (
              <button type="button" class="show-more" onClick={list.showMore} aria-busy={list.loadingMore}>
                {list.loadingMore ? 'Loading…' : 'Show more'}
              </button>
            )}
          </>
        )}
      </main>
    </div>
  );
}
