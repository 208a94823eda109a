// A club's opening hours, closed dates and away reply (managers and admins). Typed as text per weekday, read by
// club-hours.ts, which names the first thing it cannot read before anything goes to the server.
import { useState } from 'preact/hooks';
import type { Club, ClubUpdate } from '../../lib/api/clubs';
import { errorText } from '../../lib/use-load';
import { formatDay, type Hours, parseDates, parseDay, WEEKDAY_NAMES, WEEKDAYS, type Weekday } from './club-hours';
import { buttonsProblem, buttonTitles } from './reply-buttons';

const DEFAULT_TEXT = 'Hi {{first_name}}, thanks for your message! We are closed right now and open at {{opens_at}}.';

export function ClubHoursForm(props: {
  club: Club;
  onSave: (body: ClubUpdate) => Promise<void>;
  onCancel: () => void;
}) {
  const { club } = props;
  const [always, setAlways] = useState(club.hours === null);
  const [days, setDays] = useState<Record<Weekday, string>>(
    Object.fromEntries(WEEKDAYS.map((d) => [d, club.hours ? formatDay(club.hours[d]) : '06:00-22:00'])) as Record<
      Weekday,
      string
    >,
  );
  const [closed, setClosed] = useState(club.closed_dates.join(', '));
  const [awayOn, setAwayOn] = useState(club.away_reply?.enabled ?? false);
  const [awayText, setAwayText] = useState(club.away_reply?.text ?? DEFAULT_TEXT);
  const [awayButtons, setAwayButtons] = useState((club.away_reply?.buttons ?? []).join(' / '));
  const buttonsError = awayOn ? buttonsProblem(awayText, awayButtons) : null;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idBase = `hours-${club.id}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    let hours: Hours | null = null;
    if (!always) {
      const read: Partial<Hours> = {};
      for (const d of WEEKDAYS) {
        const day = parseDay(days[d]);
        if ('error' in day) {
          setError(`${WEEKDAY_NAMES[d]}: ${day.error}`);
          return;
        }
        read[d] = day.intervals;
      }
      hours = read as Hours;
    }
    const dates = parseDates(closed);
    if ('error' in dates) {
      setError(`Closed dates: ${dates.error}`);
      return;
    }
    if (awayOn && !awayText.trim()) {
      setError('Write the away reply, or switch it off');
      return;
    }
    if (buttonsError) {
      setError(`Away reply buttons: ${buttonsError}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const buttons = buttonTitles(awayButtons);
      await props.onSave({
        hours,
        closed_dates: dates.dates,
        away_reply: { enabled: awayOn, text: awayText.trim() || DEFAULT_TEXT, ...(buttons.length ? { buttons } : {}) },
      });
    } catch (err) {
      setError(errorText(err, 'The hours were not saved'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-label={`Hours of ${club.name}`}>
      <p class="small muted">
        Local times in {club.timezone}. Leave a day empty when closed; 18:00-02:00 runs past midnight.
      </p>
      <label class="check">
        <input type="checkbox" checked={always} onChange={(e) => setAlways(e.currentTarget.checked)} />
        No set hours (always open: no away reply goes)
      </label>
      {!always &&
        WEEKDAYS.map((d) => (
          <label key={d} for={`${idBase}-${d}`} class="hours-day">
            {WEEKDAY_NAMES[d]}
            <input
              id={`${idBase}-${d}`}
              value={days[d]}
              inputMode="numeric"
              placeholder="closed"
              onInput={(e) => setDays({ ...days, [d]: e.currentTarget.value })}
            />
          </label>
        ))}
      <label for={`${idBase}-closed`}>
        Closed dates (bank holidays)
        <input
          id={`${idBase}-closed`}
          value={closed}
          placeholder="2026-12-25, 2026-12-26"
          onInput={(e) => setClosed(e.currentTarget.value)}
        />
      </label>
      <label class="check">
        <input type="checkbox" checked={awayOn} onChange={(e) => setAwayOn(e.currentTarget.checked)} />
        Away reply outside these hours (once per person every 12 hours)
      </label>
      {awayOn && (
        <>
          <label for={`${idBase}-away`}>
            Away reply
            <textarea
              id={`${idBase}-away`}
              rows={3}
              maxLength={1024}
              value={awayText}
              aria-describedby={`${idBase}-away-hint`}
              onInput={(e) => setAwayText(e.currentTarget.value)}
            />
          </label>
          <p id={`${idBase}-away-hint`} class="small muted">
            {'{{first_name}}'} is their first name, {'{{opens_at}}'} e.g. “06:00 tomorrow”.
          </p>
          <label for={`${idBase}-away-buttons`}>
            Ask with reply buttons (optional: up to 3, split by “/”)
            <input
              id={`${idBase}-away-buttons`}
              value={awayButtons}
              placeholder="Call me back / Book a tour"
              aria-invalid={buttonsError !== null}
              onInput={(e) => setAwayButtons(e.currentTarget.value)}
            />
          </label>
          {buttonsError && <p class="error small">{buttonsError}</p>}
        </>
      )}
      {error && (
        <p role="alert" class="error small">
          {error}
        </p>
      )}
      <div class="row-buttons">
        <button type="submit" class="primary" disabled={busy}>
          Save hours
        </button>
        <button type="button" onClick={props.onCancel} disabled={busy}>
          Cancel
        </button>
      </div>
    </form>
  );
}
