import { describe, expect, it } from 'vitest';
import type { Audience, AutomationTrigger } from '../../lib/api/automations';
import { audienceWords, automationSentence, listWords, timeZoneWords, triggerWords } from './sentence';

describe('triggerWords: every trigger kind, with its offset', () => {
  it.each<[AutomationTrigger, string]>([
    [{ event: 'person_created', offset_hours: 0 }, 'As soon as a person is added'],
    [{ event: 'person_created', offset_hours: 1 }, '1 hour after a person is added'],
    [{ event: 'person_created', offset_hours: 48 }, '48 hours after a person is added'],
    [{ event: 'membership_start', offset_days: 0 }, 'On the day a membership starts'],
    [{ event: 'membership_start', offset_days: 1 }, '1 day after a membership starts'],
    [{ event: 'membership_start', offset_days: -7 }, '7 days before a membership starts'],
    [{ event: 'membership_end', offset_days: 3 }, '3 days after a membership ends'],
    [{ event: 'membership_end', offset_days: -1 }, '1 day before a membership ends'],
    [{ event: 'membership_end', offset_days: 0 }, 'On the day a membership ends'],
    [{ event: 'date_of_birth' }, "On a person's birthday"],
    [
      { event: 'no_reply', offset_hours: 24 },
      "24 hours after a person's last message, if nobody has written to them since",
    ],
    [
      { event: 'no_reply', offset_hours: 1 },
      "1 hour after a person's last message, if nobody has written to them since",
    ],
  ])('%o -> %s', (trigger, words) => {
    expect(triggerWords(trigger)).toBe(words);
  });
});

describe('audienceWords: every audience', () => {
  it.each<[Audience | null, string]>([
    [null, 'everyone'],
    [{}, 'everyone'],
    [{ statuses: ['lead'] }, 'leads'],
    [{ statuses: ['member'] }, 'members'],
    [{ statuses: ['former_member'] }, 'former members'],
    [{ statuses: ['lead', 'member'] }, 'leads and members'],
    [{ statuses: ['lead', 'member', 'former_member'] }, 'everyone'],
    [{ sale_types: ['secondary'] }, 'everyone on Secondary Sales'],
    [{ statuses: ['lead'], sale_types: ['membership'] }, 'leads on Membership'],
    [{ statuses: ['former_member'], sale_types: ['membership', 'secondary'] }, 'former members'],
  ])('%o -> %s', (audience, words) => {
    expect(audienceWords(audience)).toBe(words);
  });
});

describe('audienceWords: stages and labels, any of each', () => {
  const stages = { stg_tour: 'Tour booked', stg_trial: 'Trial' };
  const labels = { lbl_student: 'Student', lbl_price: 'Price objection', lbl_x: 'X' };
  it.each<[Audience, string]>([
    [{ stage_ids: ['stg_tour'] }, 'everyone in Tour booked'],
    [{ statuses: ['lead'], stage_ids: ['stg_tour', 'stg_trial'] }, 'leads in Tour booked or Trial'],
    [{ label_ids: ['lbl_student'] }, 'everyone wearing Student'],
    [
      {
        statuses: ['lead'],
        sale_types: ['membership'],
        stage_ids: ['stg_trial'],
        label_ids: ['lbl_student', 'lbl_price', 'lbl_x'],
      },
      'leads on Membership in Trial wearing Student, Price objection or X',
    ],
    [{ stage_ids: ['stg_gone'], label_ids: ['lbl_gone'] }, 'everyone in a removed stage wearing a deleted label'],
    [{ statuses: ['lead'], source: 'ad' }, 'leads from an ad'],
    [{ label_ids: ['lbl_student'], ad_ids: ['ad_spring'] }, 'everyone wearing Student from the chosen ad'],
  ])('%o -> %s', (audience, words) => {
    expect(audienceWords(audience, stages, labels)).toBe(words);
  });
});

describe('timeZoneWords and listWords', () => {
  it.each([
    ['Europe/London', 'London time'],
    ['America/New_York', 'New York time'],
    ['America/Argentina/Buenos_Aires', 'Buenos Aires time'],
    ['UTC', 'UTC'],
  ])('%s -> %s', (zone, words) => {
    expect(timeZoneWords(zone)).toBe(words);
  });

  it('joins words the way a person writes a list', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('automationSentence', () => {
  it('reads a win-back item back as a manager would say it', () => {
    expect(
      automationSentence({
        trigger: { event: 'membership_end', offset_days: 3 },
        sendWindow: { start: '09:00', end: '20:00' },
        templateName: 'win_back',
        audience: { statuses: ['former_member'] },
        timeZone: 'Europe/London',
      }),
    ).toBe('3 days after a membership ends, at 09:00-20:00 London time, send win_back to former members');
  });

  it('says "within" the window for hour triggers, and names a template not chosen yet', () => {
    expect(
      automationSentence({
        trigger: { event: 'person_created', offset_hours: 2 },
        sendWindow: { start: '08:00', end: '21:00' },
        templateName: null,
        audience: null,
        timeZone: 'America/New_York',
      }),
    ).toBe(
      '2 hours after a person is added, within 08:00-21:00 New York time, send a template (not chosen yet) to everyone',
    );
  });
});
