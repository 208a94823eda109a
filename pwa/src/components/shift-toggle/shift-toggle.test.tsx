// "On shift" in the menu: it shows what the server holds, changes with the server's answer, and says so when a
// change is refused.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import { me } from '../../lib/session';
import { logInAs } from '../../pages/Settings/test-me';

const getShift = vi.fn<() => Promise<{ on_shift: boolean }>>();
const putShift = vi.fn<(on: boolean) => Promise<{ on_shift: boolean }>>();
vi.mock('../../lib/api/shift', () => ({
  getShift: () => getShift(),
  putShift: (on: boolean) => putShift(on),
}));
const { ShiftToggle } = await import('./shift-toggle');

beforeEach(() => {
  getShift.mockReset();
  putShift.mockReset();
  logInAs('staff');
});

const toggle = () => screen.getByRole('switch', { name: 'On shift' }) as HTMLInputElement;

describe('the On shift switch', () => {
  it('shows the state the server holds when the menu opens', async () => {
    getShift.mockResolvedValue({ on_shift: true });
    render(<ShiftToggle />);
    await waitFor(() => expect(toggle().checked).toBe(true));
    expect(me.value?.on_shift).toBe(true);
    expect(screen.getByText('New leads from round-robin clubs come to you in turn.')).toBeTruthy();
  });

  it('goes on and off shift with the server', async () => {
    getShift.mockResolvedValue({ on_shift: false });
    putShift.mockImplementation(async (on) => ({ on_shift: on }));
    render(<ShiftToggle />);
    await waitFor(() => expect(getShift).toHaveBeenCalled());
    fireEvent.click(toggle());
    await waitFor(() => expect(toggle().checked).toBe(true));
    expect(putShift).toHaveBeenLastCalledWith(true);
    expect(me.value?.on_shift).toBe(true);
    fireEvent.click(toggle());
    await waitFor(() => expect(toggle().checked).toBe(false));
    expect(putShift).toHaveBeenLastCalledWith(false);
    expect(screen.getByText('Round-robin gives you no new leads.')).toBeTruthy();
  });

  it('says why when the server refuses, and stays as it was', async () => {
    getShift.mockResolvedValue({ on_shift: false });
    putShift.mockRejectedValue(
      new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again'),
    );
    render(<ShiftToggle />);
    await waitFor(() => expect(getShift).toHaveBeenCalled());
    fireEvent.click(toggle());
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Cannot reach ClubChat: check your connection and try again',
    );
    expect(toggle().checked).toBe(false);
    expect(me.value?.on_shift).toBe(false);
  });
});
