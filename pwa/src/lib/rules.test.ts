import { describe, expect, it } from 'vitest';
import { bodyText, type TemplateComponent } from '#common/templates/components';
import { paramCount, prefillParams, renderPreview, variablesOf } from '../components/template-picker/templates';
import { failureText } from './failure-text';
import { backoffMs } from './live';
import { windowLabel } from './window';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const at = (ms: number) => new Date(NOW + ms).toISOString();

describe('windowLabel', () => {
  it.each([
    [at(5 * 3_600_000 + 12 * 60_000 + 59_000), '5h 12m left'],
    [at(23 * 3_600_000 + 59 * 60_000), '23h 59m left'],
    [at(3 * 60_000), '3m left'],
    [at(30_000), '<1m left'],
    [at(0), 'closed'],
    [at(-1), 'closed'],
    [null, 'closed'],
    ['not a date', 'closed'],
  ])('%s -> %s', (expiresAt, label) => {
    expect(windowLabel(expiresAt, NOW)).toBe(label);
  });
});

describe('templates', () => {
  it('counts variables, prefills the first from the person, previews with placeholders left visible', () => {
    const t = { id: 't', name: 'x', language: 'en', category: 'UTILITY', status: 'APPROVED', body: 'Hi {{1}}, {{2}}' };
    expect(paramCount(t.body)).toBe(2);
    expect(prefillParams(t, { first_name: 'Tom' })).toEqual(['Tom', '']);
    expect(renderPreview(t, ['Tom', ''])).toBe('Hi Tom, {{2}}');
  });

  it('named variables: person fields prefilled, the server preview wins, the preview fills by name', () => {
    const t = {
      ...{ id: 't', name: 'x', language: 'en', category: 'UTILITY', status: 'APPROVED' },
      body: 'Hi {{first_name}}, your {{class_name}} class is at {{time}}. Bye {{first_name}}!',
    };
    expect(variablesOf(t)).toEqual(['first_name', 'class_name', 'time']);
    expect(prefillParams(t, { first_name: 'Tom' })).toEqual(['Tom', '', '']);
    expect(prefillParams(t, { first_name: 'Tom' }, { class_name: 'Spin' })).toEqual(['Tom', 'Spin', '']);
    expect(renderPreview(t, ['Tom', 'Spin', '6pm'])).toBe('Hi Tom, your Spin class is at 6pm. Bye Tom!');
  });

  it('positional variables in number order, whatever order the text uses', () => {
    expect(variablesOf({ body: '{{2}} then {{1}}' })).toEqual(['1', '2']);
    expect(variablesOf({ body: 'x', variables: ['a'] })).toEqual(['a']);
  });

  it("an authentication template (Meta writes its body) offers its code as {{1}} and previews in Meta's words", () => {
    const components: TemplateComponent[] = [{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'OTP' }] }];
    const t = { body: bodyText(components) ?? '' };
    expect(variablesOf(t)).toEqual(['1']);
    expect(renderPreview(t, ['482913'])).toBe('482913 is your verification code.');
  });
});

describe('failureText', () => {
  it("puts Meta's and our own codes in words, else Meta's details", () => {
    expect(failureText({ code: 131047 })).toContain('send a template');
    expect(failureText({ code: 'opted_out' })).toBe('They opted out of WhatsApp messages');
    expect(failureText({ code: 999, details: 'Something odd' })).toBe('Something odd');
    expect(failureText(null)).toBe('Not delivered');
  });
});

describe('backoffMs', () => {
  it('grows from about half a second to at most 30 s', () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(30_000);
  });
});
