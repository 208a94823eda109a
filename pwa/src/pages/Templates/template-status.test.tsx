import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { reasonText, StatusBadge } from './template-status';

describe('StatusBadge', () => {
  it.each([
    ['APPROVED', 'Approved', 'tpl-status-ok'],
    ['PENDING', 'Pending review', 'tpl-status-wait'],
    ['REJECTED', 'Rejected', 'tpl-status-bad'],
    ['PAUSED', 'Paused', 'tpl-status-warn'],
    ['DISABLED', 'Disabled', 'tpl-status-bad'],
    ['DELETED', 'Deleted at Meta', 'tpl-status-gone'],
    ['approved', 'Approved', 'tpl-status-ok'],
    ['LIMIT_EXCEEDED', 'Limit exceeded', 'tpl-status-gone'],
  ])('%s reads "%s" in its colour', (status, label, tone) => {
    render(<StatusBadge status={status} />);
    const badge = screen.getByTestId('template-status');
    expect(badge.textContent).toBe(label);
    expect(badge.classList.contains(tone)).toBe(true);
  });
});

describe('reasonText', () => {
  it.each([
    ['INCORRECT_CATEGORY', 'The category does not fit the content: promotional wording needs the Marketing category.'],
    ['INVALID_FORMAT', 'The format is wrong: check the variables, their samples and the buttons.'],
    ['SOMETHING_NEW', 'Something new.'],
    ['Too many emojis!', 'Too many emojis!'],
    ['NONE', null],
    [null, null],
  ])('%s -> %s', (reason, text) => {
    expect(reasonText(reason)).toBe(text);
  });
});
