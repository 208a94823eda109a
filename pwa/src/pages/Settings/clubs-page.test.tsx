import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Club } from '../../lib/api/clubs';
import * as api from '../../lib/api/clubs';
import { ClubsPage } from './clubs-page';
import { logInAs } from './test-me';

vi.mock('../../lib/api/clubs', () => ({ listClubs: vi.fn(), createClub: vi.fn(), updateClub: vi.fn() }));

const at = '2026-11-01T00:00:00Z';
let rows: Club[];

beforeEach(() => {
  rows = [
    {
      id: 'clb_1',
      name: 'Demo Gym',
      timezone: 'Europe/London',
      address: null,
      assignment: 'manual',
      numbers: [
        { id: 'wan_1', phone_number_id: '100000000000001', display_phone_number: '15550100001', enabled: true },
      ],
      created_at: at,
      updated_at: at,
    },
  ];
  vi.mocked(api.listClubs).mockImplementation(async () => rows.map((r) => ({ ...r })));
  vi.mocked(api.createClub).mockImplementation(async (body) => {
    const row: Club = {
      id: `clb_${rows.length + 1}`,
      name: body.name,
      timezone: body.timezone ?? 'Europe/London',
      address: body.address ?? null,
      assignment: body.assignment ?? 'manual',
      numbers: [],
      created_at: at,
      updated_at: at,
    };
    rows = [...rows, row];
    return row;
  });
  vi.mocked(api.updateClub).mockImplementation(async (id, body) => {
    rows = rows.map((r) => (r.id === id ? { ...r, ...body, address: body.address ?? r.address } : r));
    return rows.find((r) => r.id === id) as Club;
  });
});

const clubs = () => screen.queryAllByTestId('club').map((li) => li.textContent ?? '');

describe('clubs in Settings', () => {
  it('an admin adds a club, which has no number of its own yet, and switches it to round-robin', async () => {
    logInAs('admin');
    render(<ClubsPage />);
    await waitFor(() => expect(clubs()).toHaveLength(1));
    expect(clubs()[0]).toContain('+15550100001');
    const form = screen.getByRole('form', { name: 'New club' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Leeds Riverside' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add club' }));
    await waitFor(() => expect(clubs()).toHaveLength(2));
    expect(clubs()[1]).toContain('No WhatsApp number of its own');
    fireEvent.click(screen.getByRole('button', { name: 'Edit Leeds Riverside' }));
    const edit = screen.getByRole('form', { name: 'Edit club' });
    fireEvent.change(within(edit).getByLabelText('New leads'), { target: { value: 'round_robin' } });
    fireEvent.click(within(edit).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(clubs()[1]).toContain('Round-robin among staff on shift'));
    expect(api.updateClub).toHaveBeenCalledWith('clb_2', expect.objectContaining({ assignment: 'round_robin' }));
  });

  it('staff see the clubs and their numbers but cannot change them', async () => {
    logInAs('staff');
    render(<ClubsPage />);
    await waitFor(() => expect(clubs()).toHaveLength(1));
    expect(screen.queryByRole('form', { name: 'New club' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit/ })).toBeNull();
  });
});
