// A lead's owner from the app: staff claim an unowned lead or release their own, managers assign anyone or
// nobody, and a claim someone else won first says so.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import { logInAs } from '../../pages/Settings/test-me';
import { testPerson } from '../../test-people';

const setOwner = vi.fn<(personId: string, owner: string | null) => Promise<unknown>>();
vi.mock('../../lib/api/owners', () => ({
  listOwners: async () => ({
    collection: [
      { id: 'usr_me', name: 'Alex Admin' },
      { id: 'usr_sam', name: 'Sam Sales' },
    ],
  }),
  setOwner: (personId: string, owner: string | null) => setOwner(personId, owner),
}));
const { OwnerControl, OwnerLabel, forgetOwners } = await import('./owner-control');

beforeEach(() => {
  setOwner.mockReset();
  forgetOwners();
});

const control = (ownerId: string | null, onChanged = vi.fn()) => {
  render(
    <>
      <OwnerLabel ownerId={ownerId} />
      <OwnerControl personId="per_1" ownerId={ownerId} onChanged={onChanged} />
    </>,
  );
  return onChanged;
};

describe('owner control', () => {
  it('staff: Claim on an unowned lead makes it theirs', async () => {
    logInAs('staff');
    setOwner.mockResolvedValue(testPerson({ owner_user_id: 'usr_me' }));
    const onChanged = control(null);
    expect(screen.getByTestId('owner-label').textContent).toBe('Unassigned');
    expect(screen.queryByRole('button', { name: 'Assign to…' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Claim' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('usr_me'));
    expect(setOwner).toHaveBeenCalledWith('per_1', 'usr_me');
  });

  it('staff: a claim someone else won first says so', async () => {
    logInAs('staff');
    setOwner.mockRejectedValue(new ApiFailure(409, 'already_owned', 'Someone else claimed this person first'));
    const onChanged = control(null);
    fireEvent.click(screen.getByRole('button', { name: 'Claim' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Someone else claimed this person first');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("staff: their own lead offers Release; someone else's offers nothing", async () => {
    logInAs('staff');
    const { unmount } = render(<OwnerControl personId="per_1" ownerId="usr_me" onChanged={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Release' })).toBeTruthy();
    unmount();
    control('usr_sam');
    expect(await screen.findByText('Sam Sales')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });

  it('manager: Assign to… lists the active users and Nobody', async () => {
    logInAs('manager');
    setOwner.mockResolvedValue(testPerson({ owner_user_id: 'usr_sam' }));
    const onChanged = control(null);
    fireEvent.click(screen.getByRole('button', { name: 'Assign to…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Assign to' });
    expect([...dialog.querySelectorAll('.owner-choice')].map((b) => b.textContent)).toEqual([
      'Alex Admin (you)',
      'Sam Sales',
      'Nobody',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Sam Sales' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('usr_sam'));
    expect(setOwner).toHaveBeenCalledWith('per_1', 'usr_sam');
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
