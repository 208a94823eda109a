// How much of a stretch of time a club was open: speed to lead "counted inside business hours" stops the clock
// while the club is shut (a lead who writes at 21:55 and is answered at 06:05 after a 22:00 close waited 10
// minutes of business time). Pure: the club's hours (clubs/hours.ts's shape), its closed dates and time zone.
import type { OpeningHours } from '../clubs/hours';
import { WEEKDAYS } from '../clubs/hours';
import { addDays, dateAt, daysBetween, instantOf } from './zone';

export interface ClubHours {
  hours: OpeningHours | null;
  closedDates: readonly string[];
  timeZone: string;
}

/** Past this many days a wait is counted whole: nobody reads a business-hours figure for a lead a season old. */
const MAX_DAYS = 120;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The weekday of a date, Monday first as the hours name them. */
function weekdayOf(date: string) {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(day + 6) % 7] ?? 'mon';
}

/** One date's opening intervals as instants, memoised per club: many leads share the same days. */
export class OpenIntervals {
  readonly #days = new Map<string, [number, number][]>();
  constructor(readonly club: ClubHours) {}

  on(date: string): [number, number][] {
    let out = this.#days.get(date);
    if (out) return out;
    const { hours, closedDates, timeZone } = this.club;
    out = [];
    if (hours && !closedDates.includes(date)) {
      for (const [s, e] of hours[weekdayOf(date)]) {
        const start = minutesOf(s);
        const end = minutesOf(e) > start ? minutesOf(e) : minutesOf(e) + 24 * 60; // runs past midnight
        out.push([instantOf(date, start, timeZone), instantOf(date, end, timeZone)]);
      }
    }
    this.#days.set(date, out);
    return out;
  }

  /** Milliseconds of [from, to) during which the club was open; a club without hours is always open. */
  openMs(from: number, to: number): number {
    if (to <= from) return 0;
    const { hours, timeZone } = this.club;
    if (!hours) return to - from;
    const first = addDays(dateAt(from, timeZone), -1); // yesterday's late hours may run into today
    const last = dateAt(to, timeZone);
    const days = Math.min(daysBetween(first, last), MAX_DAYS);
    const spans: [number, number][] = [];
    for (let d = 0; d <= days; d++) spans.push(...this.on(addDays(first, d)));
    spans.sort((a, b) => a[0] - b[0]);
    let total = 0;
    let reached = from; // merged: overlapping intervals (a late run and the next morning's) count once
    for (const [s, e] of spans) {
      const start = Math.max(s, reached);
      const end = Math.min(e, to);
      if (end > start) {
        total += end - start;
        reached = end;
      }
    }
    return total;
  }
}
