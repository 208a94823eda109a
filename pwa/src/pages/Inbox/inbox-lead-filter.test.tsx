// The inbox and People by stage and label: what is ticked in the filter sheet is what the list asks the server
// for (the inbox any of several, People one of each), and an empty answer reads as "nothing matches".
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LocationProvider } from 'preact-iso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeopleFilters } from '../../lib/api/directory';
import type { InboxFilters } from '../../lib/api/inbox';
import { logInAs } from '../Settings/test-me';

const listConversations = vi.fn<(f: InboxFilters, cursor?: string) => Promise<unknown>>();
vi.mock('../../lib/api/inbox', async (real) => ({
  ...(await real<typeof import('../../lib/api/inbox')>()),
  listConversations: (f: InboxFilters, cursor?: string) => listConversations(f, cursor),
}));
const listPeople = vi.fn<(f: PeopleFilters) => Promise<unknown>>();
vi.mock('../../lib/api/directory', () => ({ listPeople: (f: PeopleFilters) => listPeople(f) }));
vi.mock('../../lib/api/owners', () => ({ conversationCounts: async () => ({ mine: 0, unassigned: 0, all: 0 }) }));
vi.mock('../../lib/api/clubs', async () => ({ loadClubs: async () => [] }));
vi.mock('../../lib/api/ads', () => ({ adsReport: async () => ({ collection: [] }) }));
vi.mock('../../lib/api/pipeline', () => ({
  loadStages: async () => [
    { id: 'stg_enq', name: 'Enquiry', position: 0, outcome: 'open' },
    { id: 'stg_tour', name: 'Tour booked', position: 1, outcome: 'open' },
    { id: 'stg_trial', name: 'Trial', position: 2, outcome: 'open' },
  ],
  listLabels: async () => [{ id: 'lbl_student', name: 'Student', color: 'blue' }],
}));

const { InboxPage } = await import('./inbox-page');
const { PeoplePage } = await import('../People/people-page');

const empty = { collection: [], pagination: { next_cursor: null } };
beforeEach(() => {
  listConversations.mockReset().mockResolvedValue(empty);
  listPeople.mockReset().mockResolvedValue(empty);
});

const press = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('filtering by stage and label', () => {
  it('the inbox asks for the chats in any of the stages ticked and wearing the label', async () => {
    logInAs('staff');
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    await screen.findByText(/No chats yet/);
    fireEvent.click(screen.getByTestId('lead-filter'));
    await screen.findByRole('button', { name: 'Tour booked' });
    press('Tour booked');
    press('Trial');
    press('Student');
    await waitFor(() =>
      expect(listConversations).toHaveBeenLastCalledWith(
        expect.objectContaining({ stages: ['stg_tour', 'stg_trial'], labels: ['lbl_student'] }),
        undefined,
      ),
    );
    press('Done');
    expect(screen.getByTestId('lead-filter').textContent).toBe('Tour booked +2');
    expect(await screen.findByText('No chats match.')).toBeTruthy();
  });

  it('People asks for one stage and one label', async () => {
    render(<PeoplePage />);
    await screen.findByText('No people yet.');
    fireEvent.click(screen.getByTestId('lead-filter'));
    await screen.findByRole('button', { name: 'Trial' });
    press('Tour booked');
    press('Trial');
    press('Student');
    await waitFor(() =>
      expect(listPeople).toHaveBeenLastCalledWith(
        expect.objectContaining({ stage: 'stg_trial', label: 'lbl_student' }),
      ),
    );
    expect(await screen.findByText('No one matches.')).toBeTruthy();
  });
});

describe('a link to the inbox filtered by an ad', () => {
  it('opens with that ad chosen and asks the server for its chats (Reports > Ads links here)', async () => {
    logInAs('manager');
    history.replaceState(null, '', '/?ad=ad_spring');
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    await waitFor(() => expect(listConversations).toHaveBeenCalled());
    expect(listConversations.mock.calls[0]?.[0]).toMatchObject({ ad: 'ad_spring' });
    expect((screen.getByTestId('ad-filter') as HTMLSelectElement).value).toBe('ad:ad_spring');
    history.replaceState(null, '', '/');
  });
});
