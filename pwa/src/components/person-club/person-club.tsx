// A person's home club on their profile: a select of the clubs the user may see, which moves them at once. The
// server checks the move (a club of the company the user may see; an owner allowed there) and its refusal is
// shown in its words. With only one club to choose from there is nothing to show.
import type { Club } from '../../lib/api/clubs';
import { setClub } from '../../lib/api/people';
import { useSavedChoice } from '../../lib/use-saved-choice';

export function PersonClub(props: {
  personId: string;
  clubId: string | null;
  clubs: readonly Club[] | null;
  onChanged: () => void;
}) {
  const { shown, busy, error, choose } = useSavedChoice(
    props.clubId ?? '',
    async (clubId) => {
      await setClub(props.personId, clubId);
      props.onChanged();
    },
    'They were not moved',
  );
  if (!props.clubs || props.clubs.length < 2) return null;
  return (
    <>
      <dt>Club</dt>
      <dd>
        <label>
          <span class="visually-hidden">Club</span>
          <select
            value={shown}
            disabled={busy}
            data-testid="person-club"
            onChange={(e) => void choose(e.currentTarget.value)}
          >
            {props.clubs.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        {error && (
          <p role="alert" class="error small">
            {error}
          </p>
        )}
      </dd>
    </>
  );
}
