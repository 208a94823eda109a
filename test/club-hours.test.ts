// Opening hours in a club's time zone, across midnight, closed dates and clock changes.
import { describe, expect, it } from 'vitest';
import { isOpen, nextOpening, type OpeningHours } from '../worker/clubs/hours';

const weekdays: OpeningHours = {
  mon: [['06:00', '22:00']],
  tue: [['06:00', '22:00']],
  wed: [['06:00', '22:00']],
  thu: [['06:00', '22:00']],
  // Late opening: Friday until 2 in the morning.
  fri: [['06:00', '02:00']],
  sat: [['08:00', '18:00']],
  sun: [],
};
const LONDON = 'Europe/London';
const at = (iso: string) => Date.parse(iso);

describe('opening hours', () => {
  it('is open inside an interval and closed outside it, in local time', () => {
    // Wednesday 2 December 2026, GMT (UTC+0).
    expect(isOpen(weekdays, [], LONDON, at('2026-12-02T05:59:00Z'))).toBe(false);
    expect(isOpen(weekdays, [], LONDON, at('2026-12-02T06:00:00Z'))).toBe(true);
    expect(isOpen(weekdays, [], LONDON, at('2026-12-02T21:59:00Z'))).toBe(true);
    expect(isOpen(weekdays, [], LONDON, at('2026-12-02T22:00:00Z'))).toBe(false);
    // Another zone reads the same instant on its own clock: 06:30 in London is 07:30 in Madrid.
    expect(isOpen({ ...weekdays, wed: [['07:00', '08:00']] }, [], 'Europe/Madrid', at('2026-12-02T06:30:00Z'))).toBe(
      true,
    );
  });

  it('runs past midnight: Friday until 02:00 is still open early on Saturday, not after', () => {
    expect(isOpen(weekdays, [], LONDON, at('2026-12-05T01:30:00Z'))).toBe(true);
    expect(isOpen(weekdays, [], LONDON, at('2026-12-05T02:00:00Z'))).toBe(false);
    // Sunday has no hours, and Saturday does not run past midnight.
    expect(isOpen(weekdays, [], LONDON, at('2026-12-06T00:30:00Z'))).toBe(false);
  });

  it('is closed all day on a closed date, including a late night that would start then', () => {
    expect(isOpen(weekdays, ['2026-12-25'], LONDON, at('2026-12-25T12:00:00Z'))).toBe(false);
    // Friday 25 December is closed, so its late opening does not spill into Saturday morning either.
    expect(isOpen(weekdays, ['2026-12-25'], LONDON, at('2026-12-26T01:00:00Z'))).toBe(false);
    expect(isOpen(weekdays, ['2026-12-25'], LONDON, at('2026-12-26T09:00:00Z'))).toBe(true);
  });

  it('follows the clock change: 06:00 is 06:00 local on both sides of it', () => {
    // Sunday 29 March 2026 the UK moves to BST (UTC+1). Monday 30 March 06:30 BST is 05:30 UTC: open.
    expect(isOpen(weekdays, [], LONDON, at('2026-03-30T05:30:00Z'))).toBe(true);
    // The Monday before, 05:30 UTC is 05:30 GMT: closed.
    expect(isOpen(weekdays, [], LONDON, at('2026-03-23T05:30:00Z'))).toBe(false);
  });

  it('says when it next opens, in words', () => {
    // Wednesday 05:00: today at 06:00.
    expect(nextOpening(weekdays, [], LONDON, at('2026-12-02T05:00:00Z'))).toBe('06:00 today');
    // Wednesday 23:00: tomorrow.
    expect(nextOpening(weekdays, [], LONDON, at('2026-12-02T23:00:00Z'))).toBe('06:00 tomorrow');
    // Saturday 19:00: Sunday is closed, so Monday.
    expect(nextOpening(weekdays, [], LONDON, at('2026-12-05T19:00:00Z'))).toBe('06:00 on Monday');
    // Christmas Eve (Thursday) 23:00, with 25 to 27 December closed: 08:00 would be Saturday 26th, closed too.
    const closed = ['2026-12-25', '2026-12-26', '2026-12-27'];
    expect(nextOpening(weekdays, closed, LONDON, at('2026-12-24T23:00:00Z'))).toBe('06:00 on Monday');
    expect(nextOpening({ ...weekdays, mon: [] }, [], LONDON, at('2026-12-05T19:00:00Z'))).toBe('06:00 on Tuesday');
    const never: OpeningHours = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(nextOpening(never, [], LONDON, at('2026-12-02T12:00:00Z'))).toBeNull();
  });
});
