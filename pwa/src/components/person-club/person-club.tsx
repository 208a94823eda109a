// A person's home club on their profile: a select of the clubs the user may see, which moves them at once. The
// server checks the move (a club of the company the user may see; an owner allowed there) and its refusal is
// shown in its words. With only one club to choose from there is nothing to show.
import { useState } from 'preact/hooks';
import type { Club } from '../../lib/api/clubs';
import { setClub } from '../../lib/api/people';
import { errorText } from '../../lib/use-load';

export function PersonClub(props: {
  personId: string;
  clubId: string | null;
  clubs: readonly Club[] | null;
  onChanged: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(props.clubId);
  if (!props.clubs || props.clubs.length < 2) return null;
  const move = async (clubId: string) => {
    setBusy(true);
    setError(null);
    setShown(clubId);
    try {
      await setClub(props.personId, clubId);
      props.onChanged();
    } catch (err) {
      setShown(props.clubId);
      setError(errorText(err, 'They were not moved'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <dt>Club</dt>
      <dd>
        <label>
          <span class="visually-hidden">Club</span>
          <select
            value={shown ?? ''}
            disabled={busy}
            data-testid="person-club"
            onChange={(e) => void move(e.currentTarget.value)}
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
