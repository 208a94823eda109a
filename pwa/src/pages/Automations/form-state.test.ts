import { describe, expect, it } from 'vitest';
import type { Automation, TemplateOption } from '../../lib/api/automations';
import { ApiFailure } from '../../lib/api/client';
import { audienceOf, formOf, inputOf, serverErrors } from './form-state';

const TEMPLATE: TemplateOption = {
  name: 'class_reminder',
  language: 'en_GB',
  category: 'MARKETING',
  body: 'Hi {{1}}, your {{2}} class starts soon.',
  variables: ['1', '2'],
  variableMap: {},
};

const ITEM: Automation = {
  id: 'aut_1',
  name: 'Before it ends',
  enabled: false,
  paused_reason: 'Template class_reminder (en_GB) is PAUSED, not APPROVED',
  template: { name: 'class_reminder', language: 'en_GB' },
  variables: ['first_name', { text: 'spin' }],
  sale_type: 'membership',
  trigger: { event: 'membership_end', offset_days: -7 },
  audience: { statuses: ['member'] },
  send_window: { start: '09:00', end: '20:00' },
  header_media: null,
  created_at: '2026-11-01T09:00:00.000Z',
  updated_at: '2026-11-01T09:00:00.000Z',
};

describe('formOf and inputOf', () => {
  it('an item made over the API (positional variables) comes back unchanged, its variables by name', () => {
    const form = formOf(ITEM, [TEMPLATE]);
    expect(form.offset).toBe('7');
    expect(form.direction).toBe('before');
    expect(form.variables).toEqual({ '1': { source: 'first_name', text: '' }, '2': { source: 'text', text: 'spin' } });
    expect(inputOf(form)).toEqual({
      name: 'Before it ends',
      enabled: false,
      template: { name: 'class_reminder', language: 'en_GB' },
      variables: { '1': 'first_name', '2': { text: 'spin' } },
      sale_type: 'membership',
      trigger: { event: 'membership_end', offset_days: -7 },
      audience: { statuses: ['member'] },
      send_window: { start: '09:00', end: '20:00' },
    });
  });

  it('a birthday has no offset; nobody ticked is everyone (no audience)', () => {
    const form = formOf({ ...ITEM, trigger: { event: 'date_of_birth' }, audience: null }, [TEMPLATE]);
    expect(inputOf(form).trigger).toEqual({ event: 'date_of_birth' });
    expect(inputOf(form).audience).toBeNull();
  });
});

describe('serverErrors', () => {
  it('splits a 422 into its fields', () => {
    const failure = new ApiFailure(
      422,
      'validation_failed',
      'name: Too small: expected string to have >=1 characters; variables.2.text: Too big; send_window.start: a local time HH:MM; audience.statuses: Too small',
    );
    expect(serverErrors(failure)).toEqual({
      fields: {
        name: 'Too small: expected string to have >=1 characters',
        'variable:2': 'Too big',
        start: 'a local time HH:MM',
        audience: 'Too small',
      },
      form: null,
    });
  });

  it("anything else is the form's error, in the server's words", () => {
    expect(serverErrors(new ApiFailure(403, 'forbidden', 'Your role does not allow this; ask an admin'))).toEqual({
      fields: {},
      form: 'Your role does not allow this; ask an admin',
    });
    expect(
      serverErrors(new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again')),
    ).toEqual({ fields: {}, form: 'Cannot reach ClubChat: check your connection and try again' });
  });
});

describe('an audience by stage and label', () => {
  it('comes back from the item and goes out as it came; nothing ticked anywhere is everyone', () => {
    const form = formOf({ ...ITEM, audience: { stage_ids: ['stg_2'], label_ids: ['lbl_1', 'lbl_2'] } }, [TEMPLATE]);
    expect([form.stageIds, form.labelIds]).toEqual([['stg_2'], ['lbl_1', 'lbl_2']]);
    expect(inputOf(form).audience).toEqual({ stage_ids: ['stg_2'], label_ids: ['lbl_1', 'lbl_2'] });
    expect(audienceOf({ ...form, stageIds: [], labelIds: [] })).toBeNull();
  });
});

describe('an audience by lead source', () => {
  it('from ads or one ad comes back from the item and goes out as it came; any source adds nothing', () => {
    const fromAds = formOf({ ...ITEM, audience: { source: 'ad' } }, [TEMPLATE]);
    expect(fromAds.adSource).toEqual({ source: 'ad' });
    expect(inputOf(fromAds).audience).toEqual({ source: 'ad' });
    const oneAd = formOf({ ...ITEM, audience: { ad_ids: ['ad_spring'] } }, [TEMPLATE]);
    expect(oneAd.adSource).toEqual({ ad: 'ad_spring' });
    expect(inputOf(oneAd).audience).toEqual({ ad_ids: ['ad_spring'] });
    expect(audienceOf({ ...oneAd, adSource: {} })).toBeNull();
  });
});
