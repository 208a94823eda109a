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
      hours: null,
      closed_dates: [],
      away_reply: null,
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
      hours: null,
      closed_dates: [],
      away_reply: null,
      numbers: [],
      created_at: at,
      updated_at: at,
    };
    rows = [...rows, row];
    return row;
  });
  vi.mocked(api.updateClub).mockImplementation(async (id, body) => {
    rows = rows.map((r) =>
      r.id === id
        ? {
            ...r,
            ...body,
            address: body.address === undefined ? r.address : body.address,
            hours: body.hours === undefined ? r.hours : body.hours,
            closed_dates: body.closed_dates ?? r.closed_dates,
            away_reply: body.away_reply === undefined ? r.away_reply : body.away_reply,
          }
        : r,
    );
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

  it('a manager sets the hours and an away reply (not the rest); a day they cannot read is named', async () => {
    logInAs('manager');
    render(<ClubsPage />);
    await waitFor(() => expect(clubs()).toHaveLength(1));
    expect(screen.queryByRole('button', { name: 'Edit Demo Gym' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Hours of Demo Gym' }));
    const form = screen.getByRole('form', { name: 'Hours of Demo Gym' });
    fireEvent.click(within(form).getByLabelText('No set hours (always open: no away reply goes)'));
    fireEvent.input(within(form).getByLabelText('Sunday'), { target: { value: 'noon till late' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save hours' }));
    expect(within(form).getByRole('alert').textContent).toBe(
      'Sunday: “noon till late” is not opening-closing, e.g. 06:00-22:00',
    );
    fireEvent.input(within(form).getByLabelText('Sunday'), { target: { value: '' } });
    fireEvent.input(within(form).getByLabelText('Friday'), { target: { value: '06:00-02:00' } });
    fireEvent.input(within(form).getByLabelText('Closed dates (bank holidays)'), { target: { value: '2026-12-25' } });
    fireEvent.click(within(form).getByLabelText('Away reply outside these hours (once per person every 12 hours)'));
    fireEvent.click(within(form).getByRole('button', { name: 'Save hours' }));
    await waitFor(() => expect(clubs()[0]).toContain('Fri 06:00-02:00'));
    expect(clubs()[0]).toContain('Sun closed · away reply on');
    expect(api.updateClub).toHaveBeenCalledWith(
      'clb_1',
      expect.objectContaining({
        closed_dates: ['2026-12-25'],
        away_reply: expect.objectContaining({ enabled: true }),
        hours: expect.objectContaining({ sun: [], fri: [['06:00', '02:00']], mon: [['06:00', '22:00']] }),
      }),
    );
  });
});
