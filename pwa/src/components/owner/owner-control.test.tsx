// A lead's owner from the app: salespeople claim an unowned lead or release their own, staff and managers assign
// anyone allowed in the person's club or nobody, and a claim someone else won first says so.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import { logInAs } from '../../pages/Settings/test-me';
import { testPerson } from '../../test-people';

const setOwner = vi.fn<(personId: string, owner: string | null) => Promise<unknown>>();
vi.mock('../../lib/api/owners', () => ({
  listOwners: async () => ({
    collection: [
      { id: 'usr_me', name: 'Alex Admin', role: 'admin', club_ids: null },
      { id: 'usr_sam', name: 'Sam Sales', role: 'salesperson', club_ids: ['clb_north'] },
      { id: 'usr_sue', name: 'Sue South', role: 'staff', club_ids: ['clb_south'] },
    ],
  }),
  setOwner: (personId: string, owner: string | null) => setOwner(personId, owner),
}));
const { OwnerControl, OwnerLabel, forgetOwners } = await import('./owner-control');

beforeEach(() => {
  setOwner.mockReset();
  forgetOwners();
});

const control = (ownerId: string | null, onChanged = vi.fn(), clubId = 'clb_north') => {
  render(
    <>
      <OwnerLabel ownerId={ownerId} />
      <OwnerControl personId="per_1" ownerId={ownerId} clubId={clubId} onChanged={onChanged} />
    </>,
  );
  return onChanged;
};

describe('owner control', () => {
  it('salesperson: Claim on an unowned lead makes it theirs', async () => {
    logInAs('salesperson');
    setOwner.mockResolvedValue(testPerson({ owner_user_id: 'usr_me' }));
    const onChanged = control(null);
    expect(screen.getByTestId('owner-label').textContent).toBe('Unassigned');
    expect(screen.queryByRole('button', { name: 'Assign to…' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Claim' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledWith('usr_me'));
    expect(setOwner).toHaveBeenCalledWith('per_1', 'usr_me');
  });

  it('salesperson: a claim someone else won first says so', async () => {
    logInAs('salesperson');
    setOwner.mockRejectedValue(new ApiFailure(409, 'already_owned', 'Someone else claimed this person first'));
    const onChanged = control(null);
    fireEvent.click(screen.getByRole('button', { name: 'Claim' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Someone else claimed this person first');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it("salesperson: their own lead offers Release; someone else's offers nothing", async () => {
    logInAs('salesperson');
    const { unmount } = render(
      <OwnerControl personId="per_1" ownerId="usr_me" clubId="clb_north" onChanged={vi.fn()} />,
    );
    expect(screen.getByRole('button', { name: 'Release' })).toBeTruthy();
    unmount();
    control('usr_sam');
    expect(await screen.findByText('Sam Sales')).toBeTruthy();
    expect(screen.queryAllByRole('button')).toEqual([]);
  });

  it('staff, like managers: Assign to… lists the active users allowed in the person’s club, and Nobody', async () => {
    logInAs('staff');
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

  it('offers as owners only users whose clubs include the person’s', async () => {
    logInAs('manager');
    control(null, vi.fn(), 'clb_south');
    fireEvent.click(screen.getByRole('button', { name: 'Assign to…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Assign to' });
    expect([...dialog.querySelectorAll('.owner-choice')].map((b) => b.textContent)).toEqual([
      'Alex Admin (you)',
      'Sue South',
      'Nobody',
    ]);
  });
});
