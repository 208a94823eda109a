// Wall-clock times in a time zone as instants, and back: the days a report adds up and the hours a club is open
// are the company's and the club's own, on both sides of a clock change. Pure, over Intl (no tz data of our own).

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** How far the zone's clocks are ahead of UTC at this instant, in ms (a whole number of minutes). */
export function offsetAt(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0);
  return wall - Math.floor(at / 60_000) * 60_000;
}

/**
 * The instant a wall-clock time happens: `date` (YYYY-MM-DD) plus `minutes` after its midnight (more than 1,440 runs
 * into the next day). A time the clocks skip (spring forward) lands on the same time read with the summer offset.
 */
export function instantOf(date: string, minutes: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  // The offset at the first guess is right unless a clock change lies between the two (then this is the time
  // read with the offset in force after it).
  return wall - offsetAt(first, timeZone);
}

/** The local calendar date of an instant, YYYY-MM-DD. */
export function dateAt(at: number, timeZone: string): string {
  return new Date(at + offsetAt(at, timeZone)).toISOString().slice(0, 10);
}

/** The date `days` after `date` (calendar arithmetic, no zone involved). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (to - from). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
