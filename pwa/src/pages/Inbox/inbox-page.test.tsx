// The inbox a page at a time: the newest conversations first, "Show older chats" while the server says there
// are more (its `next_cursor`), each page asked for once.
import { fireEvent, render, screen } from '@testing-library/preact';
import { LocationProvider } from 'preact-iso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Conversation, InboxFilters } from '../../lib/api/inbox';

const listConversations = vi.fn<(f: InboxFilters, cursor?: string) => Promise<unknown>>();
vi.mock('../../lib/api/inbox', async (real) => ({
  ...(await real<typeof import('../../lib/api/inbox')>()),
  listConversations: (f: InboxFilters, cursor?: string) => listConversations(f, cursor),
}));
vi.mock('../../lib/api/clubs', async () => ({
  loadClubs: async () => (await import('../../test-clubs')).TEST_CLUBS,
}));
vi.mock('../../lib/api/owners', () => ({
  conversationCounts: async () => ({ mine: 0, unassigned: 0, all: 0, mentions: 0 }),
}));
const { InboxPage } = await import('./inbox-page');

const conversation = (n: number): Conversation => ({
  person_id: `per_${n}`,
  name: `Person ${n}`,
  phone: `+4474000000${String(n).padStart(2, '0')}`,
  last_message: null,
  last_message_at: null,
  unread_count: 0,
  window_open: false,
  window_expires_at: null,
  opted_out: false,
  last_failed: false,
  owner_user_id: null,
  club_id: 'clb_demo',
  mentions_unread: 0,
});

const page = (from: number, to: number, next: string | null) => ({
  collection: Array.from({ length: to - from }, (_, i) => conversation(from + i)),
  pagination: { next_cursor: next },
});

beforeEach(() => listConversations.mockReset());

describe('inbox pages', () => {
  it('shows older chats page by page until the server says there are no more', async () => {
    listConversations.mockImplementation(async (_f, cursor) =>
      cursor === undefined ? page(0, 50, 'c1') : cursor === 'c1' ? page(50, 100, 'c2') : page(100, 120, null),
    );
    render(
      <LocationProvider>
        <InboxPage />
      </LocationProvider>,
    );
    await screen.findByText('Person 49');
    fireEvent.click(screen.getByRole('button', { name: 'Show older chats' }));
    await screen.findByText('Person 99');
    fireEvent.click(screen.getByRole('button', { name: 'Show older chats' }));
    await screen.findByText('Person 119');
    expect(screen.getAllByTestId('conversation-row')).toHaveLength(120);
    expect(screen.queryByRole('button', { name: 'Show older chats' })).toBeNull();
    expect(listConversations.mock.calls.map(([, cursor]) => cursor)).toEqual([undefined, 'c1', 'c2']);
  });
});
