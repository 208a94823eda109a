import { render, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { ActivityTracker } from './activity-tracker';
import { counterRows } from './counters';

const COUNTERS = { membership: { sent: 3, received: 5 }, secondary: { sent: 1, received: 0 } };

describe('counterRows', () => {
  it('one row per sale type, Membership first', () => {
    expect(counterRows(COUNTERS)).toEqual([
      { saleType: 'membership', label: 'Membership', sent: 3, received: 5 },
      { saleType: 'secondary', label: 'Secondary Sales', sent: 1, received: 0 },
    ]);
  });
});

describe('ActivityTracker', () => {
  it('shows WhatsApp sent and received per sale type, whatever the WhatsApp setting', () => {
    render(<ActivityTracker counters={COUNTERS} />);
    const table = screen.getByRole('table');
    const membership = within(table).getByRole('row', { name: /Membership/ });
    expect(
      within(membership)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['3', '5']);
    const secondary = within(table).getByRole('row', { name: /Secondary Sales/ });
    expect(
      within(secondary)
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['1', '0']);
  });
});
