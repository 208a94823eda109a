import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import type { CompanyUser } from '../../lib/api/settings';
import * as api from '../../lib/api/settings';
import { logInAs } from './test-me';
import { UsersPage } from './users-page';

vi.mock('../../lib/api/settings', () => ({ listUsers: vi.fn(), createUser: vi.fn(), updateUser: vi.fn() }));
vi.mock('../../lib/api/clubs', async () => ({
  loadClubs: async () => (await import('../../test-clubs')).TEST_CLUBS,
}));

const user = (id: string, name: string, role: CompanyUser['role'], active = true): CompanyUser => ({
  id,
  name,
  email: `${name.split(' ')[0]?.toLowerCase()}@demo.gym`,
  role,
  club_ids: null,
  active,
  deactivated_at: active ? null : '2026-11-20T10:00:00Z',
  created_at: '2026-11-01T00:00:00Z',
});

let users: CompanyUser[];

beforeEach(() => {
  logInAs('admin', 'usr_me');
  users = [user('usr_me', 'Alex Admin', 'admin'), user('usr_sam', 'Sam Staff', 'staff')];
  vi.mocked(api.listUsers).mockImplementation(async () => users.map((u) => ({ ...u })));
  vi.mocked(api.updateUser).mockImplementation(async (id, patch) => {
    users = users.map((u) =>
      u.id === id
        ? {
            ...u,
            ...(patch.role ? { role: patch.role } : {}),
            ...(patch.active === false ? { active: false } : {}),
            ...(patch.club_ids !== undefined ? { club_ids: patch.club_ids } : {}),
          }
        : u,
    );
    return users.find((u) => u.id === id) as CompanyUser;
  });
});

const row = (name: string) => screen.getAllByTestId('user').find((li) => li.textContent?.includes(name)) as HTMLElement;

describe('users in Settings', () => {
  it('an admin cannot deactivate themselves; another user is deactivated after confirming', async () => {
    render(<UsersPage />);
    await screen.findAllByTestId('user');
    expect(within(row('Alex Admin')).queryByRole('button', { name: /Deactivate/ })).toBeNull();
    fireEvent.click(within(row('Sam Staff')).getByRole('button', { name: 'Deactivate Sam Staff' }));
    const dialog = screen.getByRole('dialog', { name: 'Deactivate Sam Staff?' });
    expect(dialog.textContent).toContain('logged out everywhere at once');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
    await waitFor(() => expect(row('Sam Staff').textContent).toContain('Deactivated'));
    expect(api.updateUser).toHaveBeenCalledWith('usr_sam', { active: false });
    expect(within(row('Sam Staff')).getByRole('button', { name: 'Restore Sam Staff' })).toBeTruthy();
  });

  it('a refused role change goes back and says why', async () => {
    vi.mocked(api.updateUser).mockRejectedValueOnce(
      new ApiFailure(409, 'last_admin', 'The company needs at least one active admin'),
    );
    render(<UsersPage />);
    await screen.findAllByTestId('user');
    const select = within(row('Alex Admin')).getByLabelText('Role for Alex Admin') as HTMLSelectElement;
    fireEvent.change(select, { target: { value: 'staff' } });
    await waitFor(() =>
      expect(within(row('Alex Admin')).getByRole('alert').textContent).toBe(
        'The company needs at least one active admin',
      ),
    );
    expect(select.value).toBe('admin');
  });

  it('a new user needs a password of 10 characters before anything is sent', async () => {
    render(<UsersPage />);
    const form = screen.getByRole('form', { name: 'New user' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Jo Coach' } });
    fireEvent.input(within(form).getByLabelText('Email (they log in with it)'), { target: { value: 'jo@demo.gym' } });
    fireEvent.input(within(form).getByLabelText('First password (at least 10 characters)'), {
      target: { value: 'short' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    expect(within(form).getByRole('alert').textContent).toBe('The first password needs at least 10 characters');
    expect(api.createUser).not.toHaveBeenCalled();
  });

  it('limits a user to clubs, and makes a salesperson limited to one', async () => {
    vi.mocked(api.createUser).mockImplementation(async (body) => ({
      ...user('usr_new', body.name, body.role),
      club_ids: body.club_ids ?? null,
    }));
    render(<UsersPage />);
    await screen.findAllByTestId('user');
    const sam = row('Sam Staff');
    expect((await within(sam).findByTestId('user-clubs')).textContent).toBe('Every club');
    fireEvent.click(within(sam).getByLabelText('Every club'));
    fireEvent.click(await within(sam).findByLabelText('South'));
    fireEvent.click(within(sam).getByRole('button', { name: 'Save clubs for Sam Staff' }));
    await waitFor(() => expect(within(row('Sam Staff')).getByTestId('user-clubs').textContent).toBe('South'));
    expect(api.updateUser).toHaveBeenCalledWith('usr_sam', { club_ids: ['clb_south'] });

    const form = screen.getByRole('form', { name: 'New user' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Sally Sales' } });
    fireEvent.input(within(form).getByLabelText('Email (they log in with it)'), {
      target: { value: 'sally@demo.gym' },
    });
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'salesperson' } });
    fireEvent.input(within(form).getByLabelText('First password (at least 10 characters)'), {
      target: { value: 'long enough password' },
    });
    fireEvent.click(await within(form).findByLabelText('Every club'));
    await within(form).findByLabelText('North');
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    expect((await within(form).findByRole('alert')).textContent).toBe('Tick the clubs they see, or Every club');
    fireEvent.click(await within(form).findByLabelText('North'));
    fireEvent.click(within(form).getByRole('button', { name: 'Create user' }));
    await waitFor(() =>
      expect(api.createUser).toHaveBeenCalledWith({
        name: 'Sally Sales',
        email: 'sally@demo.gym',
        role: 'salesperson',
        password: 'long enough password',
        club_ids: ['clb_north'],
      }),
    );
  });
});
