import { describe, expect, it } from 'vitest';
import { formatDay, parseDates, parseDay } from './club-hours';

describe('opening hours as typed', () => {
  it('reads intervals, pads times, and lets a late night run past midnight', () => {
    expect(parseDay('6:00-22:00')).toEqual({ intervals: [['06:00', '22:00']] });
    expect(parseDay('06:00 – 12:00, 18:00-02:00')).toEqual({
      intervals: [
        ['06:00', '12:00'],
        ['18:00', '02:00'],
      ],
    });
    expect(parseDay('  ')).toEqual({ intervals: [] });
    expect(parseDay('06:00-24:00')).toEqual({ intervals: [['06:00', '24:00']] });
  });

  it('names what it cannot read', () => {
    expect(parseDay('6am-10pm')).toEqual({ error: '“6am-10pm” is not opening-closing, e.g. 06:00-22:00' });
    expect(parseDay('09:00-09:00')).toEqual({ error: '“09:00-09:00” opens and closes at the same time' });
    expect(parseDay('25:00-26:00')).toHaveProperty('error');
  });

  it('writes intervals back as they are typed', () => {
    expect(
      formatDay([
        ['06:00', '12:00'],
        ['18:00', '02:00'],
      ]),
    ).toBe('06:00-12:00, 18:00-02:00');
  });

  it('reads closed dates separated by commas or lines', () => {
    expect(parseDates('2026-12-25,\n2026-12-26')).toEqual({ dates: ['2026-12-25', '2026-12-26'] });
    expect(parseDates('25/12/2026')).toEqual({ error: '“25/12/2026” is not a date like 2026-12-25' });
  });
});
