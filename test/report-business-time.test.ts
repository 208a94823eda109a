// Business time for speed to lead (worker/reports/business-time.ts): the clock runs only while the club is open,
// in its own time zone, across midnight, clock changes and closed dates.
import { describe, expect, it } from 'vitest';
import type { OpeningHours } from '../worker/clubs/hours';
import { OpenIntervals } from '../worker/reports/business-time';
import { percentile } from '../worker/reports/stats';
import { instantOf } from '../worker/reports/zone';

const MIN = 60_000;
const every = (intervals: [string, string][]): OpeningHours => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
  sat: intervals,
  sun: intervals,
});
const utc = (iso: string) => Date.parse(`${iso}Z`);

describe('business time', () => {
  const london = (hours: OpeningHours | null, closedDates: string[] = []) =>
    new OpenIntervals({ hours, closedDates, timeZone: 'Europe/London' });

  it.each([
    ['inside one day', '2026-03-02T10:00:00', '2026-03-02T10:30:00', 30 * MIN],
    ['across the night', '2026-03-02T21:55:00', '2026-03-03T06:05:00', 10 * MIN],
    ['written while closed', '2026-03-02T23:00:00', '2026-03-03T06:03:00', 3 * MIN],
    ['over a whole open day', '2026-03-02T05:00:00', '2026-03-03T05:00:00', 16 * 60 * MIN],
  ])('06:00-22:00, %s', (_name, from, to, expected) => {
    expect(london(every([['06:00', '22:00']])).openMs(utc(from), utc(to))).toBe(expected);
  });

  it('hours that run past midnight count on both sides of it', () => {
    // Open 18:00-02:00: from 23:00 to 01:30 is all open.
    expect(london(every([['18:00', '02:00']])).openMs(utc('2026-03-02T23:00:00'), utc('2026-03-03T01:30:00'))).toBe(
      150 * MIN,
    );
  });

  it('after the clocks go forward, 06:00 is 05:00 UTC', () => {
    // 29 March 2026: BST starts. Written Sat 21:50 GMT (10 min before 22:00), answered Sun 05:10 UTC = 06:10 BST.
    expect(london(every([['06:00', '22:00']])).openMs(utc('2026-03-28T21:50:00'), utc('2026-03-29T05:10:00'))).toBe(
      20 * MIN,
    );
  });

  it('a closed date stops the clock all day', () => {
    const club = london(every([['06:00', '22:00']]), ['2026-12-25']);
    expect(club.openMs(utc('2026-12-24T21:00:00'), utc('2026-12-26T07:00:00'))).toBe(2 * 60 * MIN);
  });

  it('a club without hours is always open', () => {
    expect(london(null).openMs(utc('2026-03-02T23:00:00'), utc('2026-03-03T00:04:00'))).toBe(64 * MIN);
  });

  it('local midnight as an instant, either side of a clock change', () => {
    expect(instantOf('2026-03-29', 0, 'Europe/London')).toBe(utc('2026-03-29T00:00:00'));
    expect(instantOf('2026-03-30', 0, 'Europe/London')).toBe(utc('2026-03-29T23:00:00'));
    expect(instantOf('2026-03-30', 0, 'Asia/Kolkata')).toBe(utc('2026-03-29T18:30:00'));
  });
});

describe('percentiles (nearest rank)', () => {
  it.each([
    [[], 0.5, null],
    [[7], 0.9, 7],
    [[2, 7, 9, 30], 0.5, 7],
    [[2, 7, 9, 30], 0.9, 30],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
  ])('%j at %d is %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});
