// The audit log's filters: what (a group of actions), who (a user, an API key, or ClubChat's own jobs) and
// which days. Days are the phone's own calendar days, sent to the server as times.
import { useEffect, useState } from 'preact/hooks';
import { type AuditFilters, listApiKeys, listUsers } from '../../lib/api/settings';
import { type AuditGroup, actionsOf, GROUP_LABELS } from './audit-words';

export interface FilterForm {
  group: AuditGroup | '';
  actorId: string;
  /** YYYY-MM-DD, or '' for no bound. */
  fromDay: string;
  toDay: string;
}

export const NO_FILTER: FilterForm = { group: '', actorId: '', fromDay: '', toDay: '' };

/** Changes no person asked for directly, by the actor ids the server gives them. */
const SYSTEM_ACTORS: { id: string; label: string }[] = [
  { id: 'meta', label: 'Meta (its webhooks)' },
  { id: 'template_sync', label: 'Hourly template sync' },
  { id: 'automations', label: 'ClubChat (automated items)' },
  { id: 'platform_admin', label: 'ClubChat operator' },
];

const startOfDay = (day: string): number => new Date(`${day}T00:00:00`).getTime();
const DAY_MS = 86_400_000;

/** The server's filters for a form, or the reason they cannot be asked for. */
export function filtersOf(form: FilterForm): { filters: AuditFilters } | { problem: string } {
  if (form.fromDay && form.toDay && form.toDay < form.fromDay)
    return { problem: 'The last day is before the first: nothing can match' };
  return {
    filters: {
      ...(form.group ? { actions: actionsOf(form.group) } : {}),
      ...(form.actorId ? { actorId: form.actorId } : {}),
      ...(form.fromDay ? { from: new Date(startOfDay(form.fromDay)).toISOString() } : {}),
      // Up to the end of the last day: the server's `to` is exclusive.
      ...(form.toDay ? { to: new Date(startOfDay(form.toDay) + DAY_MS).toISOString() } : {}),
    },
  };
}

interface Who {
  id: string;
  label: string;
}

/** The company's users and API keys, for the "Who" menu; a list that fails to load leaves the others. */
function usePeopleWhoAct(): { users: Who[]; keys: Who[] } {
  const [who, setWho] = useState<{ users: Who[]; keys: Who[] }>({ users: [], keys: [] });
  useEffect(() => {
    let current = true;
    void Promise.allSettled([listUsers(), listApiKeys()]).then(([users, keys]) => {
      if (!current) return;
      setWho({
        users: users.status === 'fulfilled' ? users.value.map((u) => ({ id: u.id, label: u.name })) : [],
        keys: keys.status === 'fulfilled' ? keys.value.map((k) => ({ id: k.id, label: `${k.name} (API key)` })) : [],
      });
    });
    return () => {
      current = false;
    };
  }, []);
  return who;
}

export function AuditFiltersForm(props: { form: FilterForm; onChange: (form: FilterForm) => void }) {
  const { form } = props;
  const { users, keys } = usePeopleWhoAct();
  const set = (patch: Partial<FilterForm>) => props.onChange({ ...form, ...patch });
  const filtering = form.group !== '' || form.actorId !== '' || form.fromDay !== '' || form.toDay !== '';
  return (
    <form class="audit-filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <label>
        What
        <select value={form.group} onChange={(e) => set({ group: e.currentTarget.value as FilterForm['group'] })}>
          <option value="">Every change</option>
          {(Object.keys(GROUP_LABELS) as AuditGroup[]).map((g) => (
            <option key={g} value={g}>
              {GROUP_LABELS[g]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Who
        <select value={form.actorId} onChange={(e) => set({ actorId: e.currentTarget.value })}>
          <option value="">Anyone</option>
          {users.length > 0 && (
            <optgroup label="Users">
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.label}
                </option>
              ))}
            </optgroup>
          )}
          {keys.length > 0 && (
            <optgroup label="API keys">
              {keys.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.label}
                </option>
              ))}
            </optgroup>
          )}
          <optgroup label="Automatic">
            {SYSTEM_ACTORS.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <div class="audit-days">
        <label>
          From
          <input type="date" value={form.fromDay} onInput={(e) => set({ fromDay: e.currentTarget.value })} />
        </label>
        <label>
          To
          <input type="date" value={form.toDay} onInput={(e) => set({ toDay: e.currentTarget.value })} />
        </label>
      </div>
      {filtering && (
        <button type="button" class="link" onClick={() => props.onChange(NO_FILTER)}>
          Clear filters
        </button>
      )}
    </form>
  );
}
