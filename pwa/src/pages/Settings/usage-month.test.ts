import { describe, expect, it } from 'vitest';
import { monthRange, usageSentence } from './usage-month';

const counts = (sent: number, delivered: number) => ({ sent, delivered });

describe('monthRange', () => {
  it("is the company's month, not the phone's: 23:30 UTC on 30 November is already December in Sydney", () => {
    const at = Date.parse('2026-11-30T23:30:00Z');
    expect(monthRange(at, 'Europe/London')).toEqual({ from: '2026-11-01', to: '2026-11-30', label: 'November 2026' });
    expect(monthRange(at, 'Australia/Sydney')).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
      label: 'December 2026',
    });
  });

  it('knows leap years', () => {
    expect(monthRange(Date.parse('2028-02-10T12:00:00Z'), 'UTC').to).toBe('2028-02-29');
  });
});

describe('usageSentence', () => {
  it('counts what was sent and how many delivered templates Meta bills (service is free)', () => {
    const totals = {
      marketing: counts(5, 4),
      utility: counts(3, 3),
      authentication: counts(0, 0),
      service: counts(20, 19),
    };
    expect(usageSentence(totals, 'November 2026')).toBe(
      '28 messages sent in November 2026; 7 billable template messages delivered. Service replies are free.',
    );
    const none = {
      marketing: counts(0, 0),
      utility: counts(0, 0),
      authentication: counts(0, 0),
      service: counts(0, 0),
    };
    expect(usageSentence(none, 'November 2026')).toBe('No WhatsApp messages sent in November 2026 yet.');
  });
});
