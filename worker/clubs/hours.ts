// Opening hours in a club's time zone: whether it is open at an instant, and when it next opens, in words for an
// away reply ("06:00 tomorrow"). Pure, over wall-clock times read with Intl, so summer time needs no arithmetic:
// 06:00 is 06:00 local on both sides of a clock change.

import type { Interval, OpeningHours, Weekday } from '../db/column-types';

export type { OpeningHours };

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localTime(at: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: (parts.weekday ?? 'Mon').toLowerCase().slice(0, 3) as Weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The local date `days` after `date` (calendar arithmetic on the date alone, no time zone involved). */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const weekdayAfter = (day: Weekday, days: number): Weekday =>
  WEEKDAYS[(WEEKDAYS.indexOf(day) + days + 7 * 100) % 7] ?? 'mon';

/** Each interval as [start, end) minutes of its own day; a run past midnight ends after 1,440. */
function spans(intervals: readonly Interval[]): [number, number][] {
  return intervals.map(([s, e]) => {
    const start = minutesOf(s);
    const end = minutesOf(e);
    return [start, end > start ? end : end + 24 * 60];
  });
}

export function isOpen(hours: OpeningHours, closedDates: readonly string[], timeZone: string, at: number): boolean {
  const now = localTime(at, timeZone);
  const yesterday = addDays(now.date, -1);
  const today = closedDates.includes(now.date) ? [] : spans(hours[now.weekday]);
  // Yesterday's runs past midnight still hold this morning (unless yesterday was closed).
  const spill = closedDates.includes(yesterday) ? [] : spans(hours[weekdayAfter(now.weekday, -1)]);
  return (
    today.some(([s, e]) => now.minutes >= s && now.minutes < e) ||
    spill.some(([, e]) => e > 24 * 60 && now.minutes < e - 24 * 60)
  );
}

/**
 * When the club next opens, in words: "06:00 today", "06:00 tomorrow", "06:00 on Monday", or "06:00 on 27
 * December" a week or more away; null when it has no opening in the next 60 days.
 */
export function nextOpening(
  hours: OpeningHours,
  closedDates: readonly string[],
  timeZone: string,
  at: number,
): string | null {
  const now = localTime(at, timeZone);
  for (let d = 0; d < 60; d++) {
    const date = addDays(now.date, d);
    if (closedDates.includes(date)) continue;
    const day = weekdayAfter(now.weekday, d);
    const starts = hours[day]
      .map(([s]) => s)
      .filter((s) => d > 0 || minutesOf(s) > now.minutes)
      .sort();
    const first = starts[0];
    if (first === undefined) continue;
    if (d === 0) return `${first} today`;
    if (d === 1) return `${first} tomorrow`;
    const noon = new Date(`${date}T12:00:00Z`);
    if (d < 7) return `${first} on ${noon.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' })}`;
    return `${first} on ${noon.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'UTC' })}`;
  }
  return null;
}
