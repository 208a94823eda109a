// When automated items fall due: pure rules, table-tested with the clock moved.
import { describe, expect, it } from 'vitest';
import { zonedInstant } from '../worker/whatsapp/automations/clock';
import { bandOf, inSendWindow, lookupFor } from '../worker/whatsapp/automations/triggers';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const allDay = { start: '00:00', end: '24:00' };

describe('the send window, in the company’s timezone', () => {
  it.each([
    ['2026-06-10T06:59:00Z', 'Europe/London', undefined, false], // 07:59 BST
    ['2026-06-10T07:00:00Z', 'Europe/London', undefined, true], // 08:00 BST, default window opens
    ['2026-06-10T19:59:00Z', 'Europe/London', undefined, true], // 20:59 BST
    ['2026-06-10T20:00:00Z', 'Europe/London', undefined, false], // 21:00 BST, closed
    ['2026-01-10T08:00:00Z', 'Europe/London', undefined, true], // 08:00 GMT
    ['2026-01-10T07:59:00Z', 'Europe/London', undefined, false],
    ['2026-06-10T12:30:00Z', 'America/New_York', undefined, true], // 08:30 EDT
    ['2026-06-10T11:30:00Z', 'America/New_York', undefined, false], // 07:30 EDT
    ['2026-06-10T08:00:00Z', 'Europe/London', { start: '09:00', end: '20:00' }, true], // 09:00 BST
    ['2026-06-10T07:59:00Z', 'Europe/London', { start: '09:00', end: '20:00' }, false],
    ['2026-06-10T02:00:00Z', 'Europe/London', allDay, true],
  ])('%s in %s (%o): %s', (now, tz, window, open) => {
    expect(inSendWindow(at(now), tz, window)).toBe(open);
  });
});

describe('local times across daylight saving', () => {
  it.each([
    ['2026-01-10', 8 * 60, 'Europe/London', '2026-01-10T08:00:00.000Z'],
    ['2026-06-10', 8 * 60, 'Europe/London', '2026-06-10T07:00:00.000Z'],
    ['2026-03-29', 8 * 60, 'Europe/London', '2026-03-29T07:00:00.000Z'], // the day the clocks go forward
    ['2026-10-25', 8 * 60, 'Europe/London', '2026-10-25T08:00:00.000Z'], // and back
    ['2026-06-10', 9 * 60, 'Australia/Sydney', '2026-06-09T23:00:00.000Z'],
  ])('%s at minute %d in %s is %s', (date, minutes, tz, iso) => {
    expect(new Date(zonedInstant(date, minutes, tz)).toISOString()).toBe(iso);
  });
});

describe('the catch-up: 24 hours to go, then too late', () => {
  const now = at('2026-06-10T12:00:00Z');
  it.each([
    [now + 1, null],
    [now, 'due'],
    [now - 24 * HOUR, 'due'],
    [now - 24 * HOUR - 1, 'too_late'],
    [now - 48 * HOUR, 'too_late'],
    [now - 48 * HOUR - 1, null], // older than that is never looked at: enabling an item mails no one from years ago
  ])('due at %d: %s', (dueAt, band) => {
    expect(bandOf(dueAt, now)).toBe(band);
  });
});

describe('date triggers fall due at the start of the send window on their day', () => {
  const created = at('2026-01-01T00:00:00Z');
  it('membership_end + 3 days: today’s and yesterday’s (too late) matches, in local time', () => {
    const now = at('2026-06-10T07:30:00Z'); // 08:30 BST
    const lookup = lookupFor(
      { event: 'membership_end', offset_days: 3 },
      now,
      'Europe/London',
      { start: '08:00', end: '21:00' },
      created,
    );
    expect(lookup).toEqual({
      kind: 'date',
      column: 'membership_end',
      matches: [
        { band: 'too_late', value: '2026-06-06', dueAt: at('2026-06-09T07:00:00Z') },
        { band: 'due', value: '2026-06-07', dueAt: at('2026-06-10T07:00:00Z') },
      ],
    });
  });

  it('a negative offset is before the date; nothing is due before the window opens', () => {
    const early = at('2026-06-10T06:00:00Z'); // 07:00 BST: today's window has not opened
    const lookup = lookupFor(
      { event: 'membership_start', offset_days: -2 },
      early,
      'Europe/London',
      { start: '08:00', end: '21:00' },
      created,
    );
    expect(lookup.kind === 'date' && lookup.matches).toEqual([
      { band: 'too_late', value: '2026-06-10', dueAt: at('2026-06-08T07:00:00Z') },
      { band: 'due', value: '2026-06-11', dueAt: at('2026-06-09T07:00:00Z') },
    ]);
  });

  it('birthdays match month and day; 29 February is kept on the 28th in other years', () => {
    const now = at('2027-02-28T10:00:00Z');
    const lookup = lookupFor(
      { event: 'date_of_birth' },
      now,
      'Europe/London',
      { start: '09:00', end: '20:00' },
      created,
    );
    expect(lookup.kind === 'birthday' && lookup.matches.filter((m) => m.band === 'due').map((m) => m.value)).toEqual([
      '02-28',
      '02-29',
    ]);
  });
});

describe('hour triggers', () => {
  const now = at('2026-06-10T12:00:00Z');
  it('person_created + 2 hours: people created 2 to 26 hours ago are due, and only those created after the item', () => {
    const created = at('2026-06-01T00:00:00Z');
    expect(lookupFor({ event: 'person_created', offset_hours: 2 }, now, 'Europe/London', allDay, created)).toEqual({
      kind: 'hours',
      column: 'created_at',
      offsetMs: 2 * HOUR,
      createdAfter: created,
      bands: [
        { band: 'due', from: now - 26 * HOUR, to: now - 2 * HOUR + 1 },
        { band: 'too_late', from: now - 50 * HOUR, to: now - 26 * HOUR },
      ],
    });
  });

  it('no_reply counts from the last inbound message and needs nothing sent since', () => {
    const lookup = lookupFor({ event: 'no_reply', offset_hours: 4 }, now, 'Europe/London', allDay, 0);
    expect(lookup).toMatchObject({ kind: 'hours', column: 'whatsapp_last_inbound_at', unanswered: true });
  });
});
