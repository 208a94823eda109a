import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Automation } from '../../lib/api/automations';
import { ApiFailure } from '../../lib/api/client';

// A plain function, not vi.fn: the server's refusal is the answer under test, not a failure of the test.
let answer: (enabled: boolean) => Promise<Automation> = async () => ITEM;
const calls: [string, boolean][] = [];
vi.mock('../../lib/api/automations', () => ({
  setAutomationEnabled: (id: string, enabled: boolean) => {
    calls.push([id, enabled]);
    return answer(enabled);
  },
}));
const { AutomationCard } = await import('./automation-list-page');

const ITEM: Automation = {
  id: 'aut_1',
  name: 'Come back',
  enabled: true,
  paused_reason: null,
  template: { name: 'win_back', language: 'en_GB' },
  variables: { '1': 'first_name' },
  sale_type: 'membership',
  trigger: { event: 'membership_end', offset_days: 3 },
  audience: { statuses: ['former_member'] },
  send_window: { start: '09:00', end: '20:00' },
  header_media: null,
  created_at: '2026-11-01T09:00:00.000Z',
  updated_at: '2026-11-01T09:00:00.000Z',
};

beforeEach(() => {
  calls.length = 0;
});

const card = (item: Automation) =>
  render(
    <ul>
      <AutomationCard item={item} timeZone="Europe/London" />
    </ul>,
  );

describe('an automated item in the list', () => {
  it('reads itself back, and switches off and on', async () => {
    answer = async (enabled) => ({ ...ITEM, enabled });
    card(ITEM);
    expect(screen.getByTestId('automation-sentence').textContent).toBe(
      '3 days after a membership ends, at 09:00-20:00 London time, send win_back to former members',
    );
    const toggle = screen.getByRole('switch', { name: 'Come back' });
    expect(toggle.getAttribute('aria-checked')).toBe('true');
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('false'));
    expect(calls).toEqual([['aut_1', false]]);
    fireEvent.click(toggle);
    await waitFor(() => expect(toggle.getAttribute('aria-checked')).toBe('true'));
  });

  it('says why ClubChat paused it, and why it cannot be switched on yet', async () => {
    answer = async () => {
      throw new ApiFailure(
        422,
        'template_not_approved',
        'Template win_back (en_GB) is PAUSED: only an APPROVED template can be enabled',
      );
    };
    card({ ...ITEM, enabled: false, paused_reason: 'Template win_back (en_GB) is PAUSED, not APPROVED' });
    expect(screen.getByTestId('paused-reason').textContent).toBe(
      'Paused by ClubChat: Template win_back (en_GB) is PAUSED, not APPROVED. Switch it on again once the template is approved.',
    );
    fireEvent.click(screen.getByRole('switch', { name: 'Come back' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Template win_back (en_GB) is PAUSED: only an APPROVED template can be enabled',
      ),
    );
    expect(screen.getByRole('switch', { name: 'Come back' }).getAttribute('aria-checked')).toBe('false');
  });
});
