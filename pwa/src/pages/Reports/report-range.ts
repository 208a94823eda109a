// The range a report covers, as the server counts it: whole days in the company's time zone. Presets end today
// (there) and reach back 7, 30 or 90 days, today included; a custom range is two dates.

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];

export interface Range {
  from: string;
  to: string;
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(now: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export function presetRange(days: Preset, now: number, timeZone: string): Range {
  const to = todayIn(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/** The range in words: "3 Mar – 9 Mar 2026". */
export function rangeLabel(r: Range): string {
  const d = (iso: string, year: boolean) =>
    new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      ...(year ? { year: 'numeric' } : {}),
      timeZone: 'UTC',
    });
  return r.from === r.to ? d(r.to, true) : `${d(r.from, r.from.slice(0, 4) !== r.to.slice(0, 4))} – ${d(r.to, true)}`;
}

/** A wait in words, short enough for a phone: "45 s", "12 min", "8 h 10 min", "3 d 4 h"; null: "–". */
export function waitText(ms: number | null): string {
  if (ms === null) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** A share 0..1 as a whole percentage; null: "–". */
export const percentText = (share: number | null): string => (share === null ? '–' : `${Math.round(share * 100)}%`);
