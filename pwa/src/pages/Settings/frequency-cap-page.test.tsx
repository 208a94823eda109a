import { fireEvent, render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../lib/api/broadcasts';
import { ApiFailure } from '../../lib/api/client';
import { FrequencyCapPage } from './frequency-cap-page';

vi.mock('../../lib/api/broadcasts', () => ({ getFrequencyCap: vi.fn(), setFrequencyCap: vi.fn() }));

beforeEach(() => {
  vi.mocked(api.getFrequencyCap).mockResolvedValue({ max: 2, days: 7 });
  vi.mocked(api.setFrequencyCap).mockReset();
});

async function open() {
  render(<FrequencyCapPage />);
  await screen.findByTestId('cap-sentence');
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('the marketing frequency cap screen', () => {
  it('shows the cap in words, saves a new one and says what now holds', async () => {
    vi.mocked(api.setFrequencyCap).mockImplementation(async (cap) => cap);
    await open();
    expect(screen.getByTestId('cap-sentence').textContent).toBe(
      'At most 2 marketing templates per person in any 7 days.',
    );
    type('At most (templates)', '1');
    type('In any (days)', '14');
    fireEvent.click(screen.getByRole('button', { name: 'Save cap' }));
    expect(
      (await screen.findByText('Saved. At most 1 marketing template per person in any 14 days.')).getAttribute('role'),
    ).toBe('status');
    expect(api.setFrequencyCap).toHaveBeenCalledWith({ max: 1, days: 14 });
    expect(screen.getByTestId('cap-sentence').textContent).toContain('in any 14 days');
  });

  it('refuses a cap out of bounds in words, sending nothing', async () => {
    await open();
    type('At most (templates)', '0');
    type('In any (days)', '31');
    fireEvent.click(screen.getByRole('button', { name: 'Save cap' }));
    expect(await screen.findByText('A whole number of templates from 1 to 50')).toBeTruthy();
    expect(screen.getByText('A whole number of days from 1 to 30')).toBeTruthy();
    expect(screen.getByLabelText('At most (templates)').getAttribute('aria-invalid')).toBe('true');
    type('At most (templates)', '');
    fireEvent.click(screen.getByRole('button', { name: 'Save cap' }));
    expect(await screen.findByText('A whole number of templates from 1 to 50')).toBeTruthy();
    expect(api.setFrequencyCap).not.toHaveBeenCalled();
  });

  it("shows the server's refusal in its words", async () => {
    vi.mocked(api.setFrequencyCap).mockRejectedValue(
      new ApiFailure(403, 'forbidden', 'Your role does not allow this; ask an admin'),
    );
    await open();
    type('At most (templates)', '3');
    fireEvent.click(screen.getByRole('button', { name: 'Save cap' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your role does not allow this; ask an admin');
    expect(screen.getByTestId('cap-sentence').textContent).toContain('At most 2');
  });
});
