import { describe, expect, it } from 'vitest';
import type { TemplateOption } from '../../lib/api/automations';
import {
  checkBroadcastForm,
  emptyBroadcastForm,
  inputOfBroadcast,
  isoToZoned,
  zonedToIso,
} from './broadcast-form-state';

const TEMPLATE: TemplateOption = {
  name: 'class_reminder',
  language: 'en_GB',
  category: 'MARKETING',
  body: 'Hi {{1}}, {{2}} is on',
  variables: ['1', '2'],
  variableMap: {},
};

describe("the gym's clock", () => {
  it('reads a start typed in the gym timezone as that instant, across summer time', () => {
    expect(zonedToIso('2030-07-01T09:00', 'Europe/London')).toBe('2030-07-01T08:00:00.000Z');
    expect(zonedToIso('2030-01-01T09:00', 'Europe/London')).toBe('2030-01-01T09:00:00.000Z');
    expect(isoToZoned('2030-07-01T08:00:00.000Z', 'Europe/London')).toBe('2030-07-01T09:00');
    expect(zonedToIso('not a date', 'Europe/London')).toBeNull();
  });
});

describe('the broadcast form', () => {
  it('names each mistake under its field before anything is sent', () => {
    const v = {
      ...emptyBroadcastForm(Date.UTC(2030, 0, 1, 8, 20), 'Europe/London'),
      windowStart: '20:00',
      windowEnd: '09:00',
    };
    expect(checkBroadcastForm(v, [TEMPLATE])).toEqual({
      name: 'Give it a name',
      template: 'Choose an approved template',
      window: 'The send window must start before it ends',
    });
    const chosen = {
      ...v,
      name: 'Open day',
      template: 'class_reminder:en_GB',
      variables: { '1': { source: 'first_name' as const, text: '' }, '2': { source: 'text' as const, text: ' ' } },
      windowStart: '09:00',
      windowEnd: '20:00',
      lastBefore: '2030-01-01',
      lastAfter: '2030-02-01',
    };
    expect(checkBroadcastForm(chosen, [TEMPLATE])).toEqual({
      'variable:2': 'Type the words for {{2}}',
      lastContact: '"Last contact after" must be before "last contact before"',
    });
  });

  it('starts at the next hour on the gym clock, and asks for consent by default', () => {
    const v = emptyBroadcastForm(Date.UTC(2030, 6, 1, 8, 20), 'Europe/London');
    expect(v.startAt).toBe('2030-07-01T10:00');
    expect(v.consentRecorded).toBe(true);
  });

  it('becomes the request: variables by name, only the audience fields chosen, times as instants', () => {
    const v = {
      ...emptyBroadcastForm(0, 'Europe/London'),
      name: ' Open day ',
      template: 'class_reminder:en_GB',
      variables: { '1': { source: 'first_name' as const, text: '' }, '2': { source: 'text' as const, text: 'Spin' } },
      statuses: ['lead' as const],
      saleTypes: ['secondary' as const],
      lastBefore: '2030-06-01',
      startAt: '2030-07-01T09:00',
    };
    expect(inputOfBroadcast(v, 'Europe/London')).toEqual({
      name: 'Open day',
      template: { name: 'class_reminder', language: 'en_GB' },
      variables: { '1': 'first_name', '2': { text: 'Spin' } },
      sale_type: 'secondary',
      audience: {
        statuses: ['lead'],
        sale_types: ['secondary'],
        last_contact_before: '2030-06-01',
        consent_recorded: true,
      },
      start_at: '2030-07-01T08:00:00.000Z',
      send_window: { start: '09:00', end: '20:00' },
    });
  });

  it('asks for people from ads, or from one ad (that alone: it narrows more), and reads it back from a draft', () => {
    const base = { ...emptyBroadcastForm(0, 'Europe/London'), name: 'Ads', template: 'class_reminder:en_GB' };
    expect(inputOfBroadcast({ ...base, adSource: { source: 'ad' } }, 'UTC').audience).toEqual({
      source: 'ad',
      consent_recorded: true,
    });
    expect(inputOfBroadcast({ ...base, adSource: { ad: 'ad_spring' } }, 'UTC').audience).toEqual({
      ad_ids: ['ad_spring'],
      consent_recorded: true,
    });
    expect(inputOfBroadcast(base, 'UTC').audience).toEqual({ consent_recorded: true });
  });
});
