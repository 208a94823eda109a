// When automated items fall due: pure functions of the trigger, the company's timezone, the send window and
// `now`. No I/O, no clock. The sweep turns a Lookup into SQL; tests move `now` and read the answers.

import type { SendWindow, Trigger } from '../../db/column-types';
import { addDays, isLeapYear, localTime, minutesOf, zonedInstant } from './clock';

const HOUR_MS = 60 * 60 * 1000;

/** An occurrence that could not go (cron missed, night) goes at the next chance within this long... */
export const CATCH_UP_MS = 24 * HOUR_MS;
/** ...and one that fell due between this long and CATCH_UP_MS ago is recorded as skipped `too_late`. Anything
 * older is never looked at, so enabling an item never mails everyone whose membership ended years ago. */
export const TOO_LATE_LOOKBACK_MS = 2 * CATCH_UP_MS;

export const DEFAULT_SEND_WINDOW: SendWindow = { start: '08:00', end: '21:00' };

export type Band = 'due' | 'too_late';

export function bandOf(dueAt: number, now: number): Band | null {
  if (dueAt > now) return null;
  if (now - dueAt <= CATCH_UP_MS) return 'due';
  if (now - dueAt <= TOO_LATE_LOOKBACK_MS) return 'too_late';
  return null;
}

export const isTooLate = (dueAt: number, now: number): boolean => now - dueAt > CATCH_UP_MS;

/** Nothing goes out at night: is `now` inside the window, in the company's timezone? */
export function inSendWindow(now: number, timeZone: string, window: SendWindow = DEFAULT_SEND_WINDOW): boolean {
  const { minutes } = localTime(now, timeZone);
  return minutes >= minutesOf(window.start) && minutes < minutesOf(window.end);
}

/** A person's date field (or a birthday's MM-DD) that makes an occurrence fall due at `dueAt`. */
export interface DateMatch {
  band: Band;
  value: string;
  dueAt: number;
}

/** People whose `column` lies in [from, to) fall due at column + offsetMs. */
export interface RangeBand {
  band: Band;
  from: number;
  to: number;
}

export type Lookup =
  | { kind: 'date'; column: 'membership_start' | 'membership_end'; matches: DateMatch[] }
  | { kind: 'birthday'; matches: DateMatch[] }
  | {
      kind: 'hours';
      column: 'created_at' | 'whatsapp_last_inbound_at' | 'stage_changed_at';
      offsetMs: number;
      bands: RangeBand[];
      /** person_created: only people created after the item was. */
      createdAfter?: number;
      /** no_reply: only people sent nothing since their last message. */
      unanswered?: boolean;
      /** stage_changed: only people in this stage (still): a lead who moved on is not reminded of the last one. */
      stageId?: string;
    };

/** Local dates whose send-window start falls in the due or too-late band at `now`. */
function datesInBands(
  now: number,
  timeZone: string,
  window: SendWindow,
): { date: string; band: Band; dueAt: number }[] {
  const out: { date: string; band: Band; dueAt: number }[] = [];
  const first = addDays(localTime(now - TOO_LATE_LOOKBACK_MS, timeZone).date, -1);
  const last = addDays(localTime(now, timeZone).date, 1);
  for (let date = first; date <= last; date = addDays(date, 1)) {
    // A date trigger falls due at the start of the send window on its day, in the company's timezone.
    const dueAt = zonedInstant(date, minutesOf(window.start), timeZone);
    const band = bandOf(dueAt, now);
    if (band) out.push({ date, band, dueAt });
  }
  return out;
}

function hourBands(now: number, offsetMs: number): RangeBand[] {
  // due = base + offset; due in (now - 24h, now] goes, (now - 48h, now - 24h] is too late.
  return [
    { band: 'due', from: now - CATCH_UP_MS - offsetMs, to: now - offsetMs + 1 },
    { band: 'too_late', from: now - TOO_LATE_LOOKBACK_MS - offsetMs, to: now - CATCH_UP_MS - offsetMs },
  ];
}

export function lookupFor(
  trigger: Trigger,
  now: number,
  timeZone: string,
  window: SendWindow,
  itemCreatedAt: number,
): Lookup {
  switch (trigger.event) {
    case 'membership_start':
    case 'membership_end':
      return {
        kind: 'date',
        column: trigger.event,
        // offset_days -3 means three days before: due on D when the person's date is D + 3.
        matches: datesInBands(now, timeZone, window).map((d) => ({
          band: d.band,
          dueAt: d.dueAt,
          value: addDays(d.date, -trigger.offset_days),
        })),
      };
    case 'date_of_birth':
      return {
        kind: 'birthday',
        matches: datesInBands(now, timeZone, window).flatMap((d) => {
          const monthDay = d.date.slice(5);
          const match = { band: d.band, dueAt: d.dueAt, value: monthDay };
          // Born on 29 February: celebrated on the 28th when the year has no 29th.
          const leapling = monthDay === '02-28' && !isLeapYear(Number(d.date.slice(0, 4)));
          return leapling ? [match, { ...match, value: '02-29' }] : [match];
        }),
      };
    case 'person_created':
      return {
        kind: 'hours',
        column: 'created_at',
        offsetMs: trigger.offset_hours * HOUR_MS,
        bands: hourBands(now, trigger.offset_hours * HOUR_MS),
        createdAfter: itemCreatedAt,
      };
    case 'stage_changed':
      return {
        kind: 'hours',
        column: 'stage_changed_at',
        offsetMs: trigger.offset_hours * HOUR_MS,
        bands: hourBands(now, trigger.offset_hours * HOUR_MS),
        stageId: trigger.stage_id,
      };
    case 'no_reply':
      return {
        kind: 'hours',
        column: 'whatsapp_last_inbound_at',
        offsetMs: trigger.offset_hours * HOUR_MS,
        bands: hourBands(now, trigger.offset_hours * HOUR_MS),
        unanswered: true,
      };
  }
}
