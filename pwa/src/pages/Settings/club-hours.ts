// Opening hours as staff type them on a phone: "06:00-22:00" per weekday, several separated by commas, empty for
// closed; a close not after the open runs past midnight ("18:00-02:00"). Pure, so the form and its tests agree.
import type { Club } from '../../lib/api/clubs';

export type Hours = NonNullable<Club['hours']>;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** "6:00" -> "06:00"; null when it is no time of day. */
function time(raw: string): string | null {
  const t = raw.trim().replace('.', ':');
  if (!TIME.test(t)) return null;
  return t.padStart(5, '0');
}

export const formatDay = (intervals: readonly (readonly string[])[]): string =>
  intervals.map(([s, e]) => `${s}-${e}`).join(', ');

/** One weekday's text as intervals, or the reason it is not. */
export function parseDay(text: string): { intervals: string[][] } | { error: string } {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const intervals: string[][] = [];
  for (const part of parts) {
    const [a, b, ...rest] = part.split(/\s*[-–]\s*/);
    const start = a === undefined ? null : time(a);
    const end = b === undefined ? null : time(b);
    if (rest.length > 0 || !start || !end || start === '24:00')
      return { error: `“${part}” is not opening-closing, e.g. 06:00-22:00` };
    if (start === end) return { error: `“${part}” opens and closes at the same time` };
    intervals.push([start, end]);
  }
  if (intervals.length > 4) return { error: 'At most four openings a day' };
  return { intervals };
}

/** Closed dates as typed ("2026-12-25, 2026-12-26" or one a line), or the first that is not a date. */
export function parseDates(text: string): { dates: string[] } | { error: string } {
  const dates = text
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);
  const bad = dates.find((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)));
  return bad ? { error: `“${bad}” is not a date like 2026-12-25` } : { dates };
}
