// The People screen: everyone newest first, found by search and narrowed by status, sale type and "never
// messaged", each choice sent to the server (which serves each from an index), "Show more" by cursor.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeopleFilters, Person } from '../../lib/api/directory';
import { testPerson } from '../../test-people';

const listPeople = vi.fn<(f: PeopleFilters, cursor?: string, perPage?: number) => Promise<unknown>>();
vi.mock('../../lib/api/directory', () => ({
  listPeople: (f: PeopleFilters, cursor?: string, perPage?: number) => listPeople(f, cursor, perPage),
}));
vi.mock('../../lib/api/clubs', async () => ({
  loadClubs: async () => (await import('../../test-clubs')).TEST_CLUBS,
}));
const { PeoplePage } = await import('./people-page');

const person = (n: number, over: Partial<Person> = {}): Person =>
  testPerson({
    id: `per_${n}`,
    first_name: `Person ${n}`,
    phone: `+4474123456${String(n).padStart(2, '0')}`,
    ...over,
  });

const page = (people: Person[], next: string | null = null) => ({
  collection: people,
  pagination: { next_cursor: next },
});
const lastFilters = () => listPeople.mock.calls.at(-1)?.[0];

beforeEach(() => {
  listPeople.mockReset();
  listPeople.mockImplementation(async () => page([]));
});

describe('the People screen', () => {
  it('filters by owner (Mine, Unassigned) and by club', async () => {
    render(<PeoplePage />);
    await screen.findByText('No people yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Mine' }));
    await waitFor(() => expect(lastFilters()).toMatchObject({ owner: 'me' }));
    fireEvent.click(screen.getByRole('button', { name: 'Unassigned' }));
    await waitFor(() => expect(lastFilters()).toMatchObject({ owner: 'none' }));
    fireEvent.change(await screen.findByTestId('club-filter'), { target: { value: 'clb_north' } });
    await waitFor(() => expect(lastFilters()).toMatchObject({ owner: 'none', club: 'clb_north' }));
    expect(await screen.findByText('No one matches.')).toBeTruthy();
  });

  it('lists people newest first; a row says who was never messaged and opens the profile', async () => {
    listPeople.mockResolvedValue(
      page([
        person(2, { first_name: 'Alex', last_name: 'Former', status: 'former_member', has_conversation: false }),
        person(1, { first_name: 'Olivia', status: 'member', sale_type: 'secondary', whatsapp_opted_out: true }),
      ]),
    );
    render(<PeoplePage />);
    const rows = await screen.findAllByTestId('person-row');
    expect(rows.map((r) => r.querySelector('.person-name')?.textContent)).toEqual(['Alex Former', 'Olivia']);
    expect(rows[0]?.textContent).toContain('+447412345602 · Former member · Membership');
    expect(within(rows[0] as HTMLElement).getByText('Never messaged')).toBeTruthy();
    expect(within(rows[1] as HTMLElement).queryByText('Never messaged')).toBeNull();
    expect(within(rows[1] as HTMLElement).getByText('Opted out')).toBeTruthy();
    expect(rows[1]?.textContent).toContain('Member · Secondary Sales');
    expect(rows[0]?.getAttribute('href')).toBe('/people/per_2?from=people');
  });

  it('sends each filter to the server, and a second tap on a chip takes it off', async () => {
    render(<PeoplePage />);
    await screen.findByText('No people yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Leads' }));
    await waitFor(() => expect(lastFilters()).toMatchObject({ status: 'lead' }));
    expect(screen.getByRole('button', { name: 'Leads' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Never messaged' }));
    await waitFor(() => expect(lastFilters()).toMatchObject({ status: 'lead', never_messaged: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Secondary Sales' }));
    await waitFor(() =>
      expect(lastFilters()).toMatchObject({ status: 'lead', never_messaged: true, sale_type: 'secondary' }),
    );
    // Members instead of leads: one status at a time.
    fireEvent.click(screen.getByRole('button', { name: 'Members' }));
    await waitFor(() => expect(lastFilters()).toMatchObject({ status: 'member' }));
    expect(screen.getByRole('button', { name: 'Leads' }).getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(screen.getByRole('button', { name: 'Members' }));
    fireEvent.click(screen.getByRole('button', { name: 'Never messaged' }));
    fireEvent.click(screen.getByRole('button', { name: 'Secondary Sales' }));
    await waitFor(() =>
      expect(lastFilters()).toMatchObject({ status: undefined, never_messaged: false, sale_type: undefined }),
    );
    await screen.findByText('No people yet.');
  });

  it('searches from two characters, after a pause in typing, and says when no one matches', async () => {
    render(<PeoplePage />);
    await screen.findByText('No people yet.');
    const box = screen.getByRole('searchbox', { name: 'Search people by name, phone or email' });
    fireEvent.input(box, { target: { value: 'a' } });
    fireEvent.input(box, { target: { value: 'al' } });
    fireEvent.input(box, { target: { value: 'alex' } });
    await waitFor(() => expect(lastFilters()).toMatchObject({ q: 'alex' }));
    await screen.findByText('No one matches.');
    // One request for the whole word, none for "a" or "al".
    expect(listPeople.mock.calls.map(([f]) => f.q)).toEqual(['', 'alex']);
  });

  it('shows more, a page at a time by cursor, until the server says there are no more', async () => {
    listPeople.mockImplementation(async (_f, cursor) =>
      cursor === undefined ? page([person(3), person(2)], 'c1') : cursor === 'c1' ? page([person(1)], null) : page([]),
    );
    render(<PeoplePage />);
    await screen.findByText('Person 2');
    fireEvent.click(screen.getByRole('button', { name: 'Show more' }));
    await screen.findByText('Person 1');
    expect(screen.getAllByTestId('person-row')).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();
    expect(listPeople.mock.calls.map(([, cursor]) => cursor)).toEqual([undefined, 'c1']);
  });

  it('says what went wrong, and tries again', async () => {
    listPeople.mockRejectedValueOnce(new Error('Cannot reach ClubChat: check your connection and try again'));
    listPeople.mockResolvedValueOnce(page([person(1)]));
    render(<PeoplePage />);
    expect((await screen.findByRole('alert')).textContent).toContain('Cannot reach ClubChat');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByText('Person 1');
  });
});
