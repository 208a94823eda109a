// Which clubs a user may see: every club (null), or only those ticked. The server checks each is a club of the
// company (422 unknown_club) and, for an admin limited to clubs, one of theirs.
import type { Club } from '../../lib/api/clubs';

/** "Every club", or the names of the clubs in the list, for a one-line summary. */
export function clubsSummary(clubs: readonly Club[], value: readonly string[] | null): string {
  if (value === null) return 'Every club';
  const names = clubs.filter((c) => value.includes(c.id)).map((c) => c.name);
  return names.length > 0 ? names.join(', ') : 'No club chosen';
}

export function ClubsPicker(props: {
  clubs: readonly Club[];
  value: readonly string[] | null;
  disabled?: boolean;
  onChange: (value: string[] | null) => void;
  /** Names the fieldset for screen readers, e.g. "Clubs Sam sees". */
  label: string;
}) {
  const { value } = props;
  const toggle = (id: string, on: boolean) => {
    const now = value ?? [];
    props.onChange(on ? [...now, id] : now.filter((c) => c !== id));
  };
  return (
    <fieldset class="clubs-picker" disabled={props.disabled}>
      <legend class="visually-hidden">{props.label}</legend>
      <label class="inline">
        <input
          type="checkbox"
          checked={value === null}
          onChange={(e) => props.onChange(e.currentTarget.checked ? null : [])}
        />{' '}
        Every club
      </label>
      {value !== null &&
        props.clubs.map((c) => (
          <label key={c.id} class="inline">
            <input
              type="checkbox"
              checked={value.includes(c.id)}
              onChange={(e) => toggle(c.id, e.currentTarget.checked)}
            />{' '}
            {c.name}
          </label>
        ))}
    </fieldset>
  );
}
