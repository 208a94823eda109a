// Mine / Unassigned / All: each tab shows how many of its chats are unread, and picking one asks the server for
// that view.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LocationProvider } from 'preact-iso';
import { describe, expect, it, vi } from 'vitest';
import type { InboxFilters } from '../../lib/api/inbox';
import { logInAs } from '../Settings/test-me';

const listConversations = vi.fn<(f: InboxFilters, cursor?: string) => Promise<unknown>>();
vi.mock('../../lib/api/inbox', async (real) => ({
  ...(await real<typeof import('../../lib/api/inbox')>()),
  listConversations: (f: InboxFilters, cursor?: string) => listConversations(f, cursor),
}));
const conversationCounts = vi.fn(async (_club?: string) => ({ mine: 2, unassigned: 0, all: 5, mentions: 1 }));
vi.mock('../../lib/api/owners', () => ({
  conversationCounts: (club?: string) => conversationCounts(club),
}));
vi.mock('../../lib/api/clubs', async () => ({
  loadClubs: async () => (await import('../../test-clubs')).TEST_CLUBS,
}));

const { InboxPage } = await import('./inbox-page');

describe('inbox views', () => {
  it('shows each view’s unread count and asks for the view picked', async () => {
    logInAs('staff');
    listConversations.mockResolvedValue({ collection: [], pagination: { next_cursor: null } });
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    expect((await screen.findByTestId('view-count-mine')).textContent).toBe('2 unread');
    expect(screen.getByTestId('view-count-all').textContent).toBe('5 unread');
    expect(screen.queryByTestId('view-count-unassigned')).toBeNull();
    expect(screen.getByRole('tab', { name: /^All/ }).getAttribute('aria-selected')).toBe('true');

    fireEvent.click(screen.getByRole('tab', { name: /^Mine/ }));
    await waitFor(() =>
      expect(listConversations).toHaveBeenLastCalledWith(expect.objectContaining({ owner: 'me' }), undefined),
    );
    expect(await screen.findByText(/No chats of yours yet/)).toBeTruthy();
    fireEvent.click(screen.getByRole('tab', { name: 'Unassigned' }));
    await waitFor(() =>
      expect(listConversations).toHaveBeenLastCalledWith(expect.objectContaining({ owner: 'none' }), undefined),
    );
  });

  it('offers Mentions, with how many chats mention me unread, and asks the server for them', async () => {
    logInAs('staff');
    listConversations.mockResolvedValue({ collection: [], pagination: { next_cursor: null } });
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    expect((await screen.findByTestId('view-count-mentions')).textContent).toBe('1 with unread mentions');
    fireEvent.click(screen.getByRole('tab', { name: /^Mentions/ }));
    await waitFor(() =>
      expect(listConversations).toHaveBeenLastCalledWith(
        expect.objectContaining({ mentions: true, owner: undefined }),
        undefined,
      ),
    );
    expect(await screen.findByText(/Nothing mentions you/)).toBeTruthy();
    expect(screen.getByRole('tab', { name: /^Mentions/ }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: /^All/ }).getAttribute('aria-selected')).toBe('false');
  });

  it('filters the chats and their counts by club, when there is more than one to see', async () => {
    logInAs('staff');
    listConversations.mockResolvedValue({ collection: [], pagination: { next_cursor: null } });
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    const filter = (await screen.findByTestId('club-filter')) as HTMLSelectElement;
    expect([...filter.options].map((o) => o.textContent)).toEqual(['All clubs', 'North', 'South']);
    fireEvent.change(filter, { target: { value: 'clb_south' } });
    await waitFor(() =>
      expect(listConversations).toHaveBeenLastCalledWith(expect.objectContaining({ club: 'clb_south' }), undefined),
    );
    await waitFor(() => expect(conversationCounts).toHaveBeenLastCalledWith('clb_south'));
  });

  it('offers no club filter to someone limited to one club', async () => {
    logInAs('staff', 'usr_me', ['clb_north']);
    listConversations.mockResolvedValue({ collection: [], pagination: { next_cursor: null } });
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    await screen.findByText(/No chats yet/);
    expect(screen.queryByTestId('club-filter')).toBeNull();
  });
});
