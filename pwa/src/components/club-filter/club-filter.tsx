// "All clubs" or one of them, for the inbox and the People screen. Shown only when the user may see more than one
// club (lib/use-clubs.ts); the server narrows every list to the user's clubs anyway.
import type { Club } from '../../lib/api/clubs';

export function ClubFilter(props: {
  clubs: readonly Club[] | null;
  value: string | undefined;
  onChange: (club: string | undefined) => void;
}) {
  if (!props.clubs || props.clubs.length < 2) return null;
  return (
    <label class="club-filter">
      <span class="visually-hidden">Club</span>
      <select
        value={props.value ?? ''}
        data-testid="club-filter"
        onChange={(e) => props.onChange(e.currentTarget.value || undefined)}
      >
        <option value="">All clubs</option>
        {props.clubs.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  );
}
