import { describe, expect, it } from 'vitest';
import { askedWith, buttonsProblem, buttonTitles, quickReplyButtons } from './reply-buttons';

describe('reply buttons typed as one line', () => {
  it('"Mon / Tue / Wed" asks with three buttons under the text', () => {
    expect(buttonTitles(' Mon /Tue/ / Wed ')).toEqual(['Mon', 'Tue', 'Wed']);
    const asked = quickReplyButtons('Book a tour: which day?', 'Mon / Tue / Wed');
    expect(asked && askedWith(asked)).toBe('Mon / Tue / Wed');
    expect(quickReplyButtons('Hello', '  ')).toBeNull();
  });

  it("says which of Meta's rules a title breaks, in words", () => {
    expect(buttonsProblem('Which day?', 'Mon / Tue / Wed')).toBeNull();
    expect(buttonsProblem('Which day?', 'Mon / Tue / Wed / Thu')).toBe('Up to 3 buttons');
    expect(buttonsProblem('Which day?', 'Monday the fourteenth!')).toBe(
      '“Monday the fourteenth!”: at most 20 characters (22 given)',
    );
    expect(buttonsProblem('Which day?', 'Mon / Mon')).toBe(
      'the button title "Mon" is used twice: each must be different',
    );
  });
});
