// A person's data requests on the client profile: only admins see them; Export saves the server's file; Erase
// says what goes and what stays and waits for the person's name; an erased profile says so and sends nothing.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { LocationProvider, Route, Router } from 'preact-iso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import type { PersonDetail } from '../../lib/api/people';
import { testPerson } from '../../test-people';
import { logInAs } from '../Settings/test-me';

const api = vi.hoisted(() => ({
  getPerson: vi.fn<(id: string) => Promise<PersonDetail>>(),
  getHistory: vi.fn(async () => ({ collection: [], pagination: { next_cursor: null } })),
  exportPerson: vi.fn<(id: string) => Promise<{ blob: Blob; filename: string }>>(),
  erasePerson: vi.fn<(id: string) => Promise<unknown>>(),
}));
vi.mock('../../lib/api/people', async (real) => ({
  ...(await real<typeof import('../../lib/api/people')>()),
  ...api,
}));
vi.mock('../../lib/api/owners', () => ({
  listOwners: async () => ({ collection: [] }),
  setOwner: vi.fn(),
}));
const saveFile = vi.hoisted(() => vi.fn<(blob: Blob, filename: string) => void>());
vi.mock('../../lib/api/pipeline', () => ({
  loadStages: async () => [],
  getPersonLabels: async () => [],
  listLabels: async () => [],
  setPersonLabels: async () => [],
}));
vi.mock('../../lib/api/clubs', async () => ({
  loadClubs: async () => (await import('../../test-clubs')).TEST_CLUBS,
}));
vi.mock('../../lib/download', () => ({ saveFile }));
const { ProfilePage } = await import('./profile-page');
const { nameMatches } = await import('./data-requests');

const sheena: PersonDetail = {
  ...testPerson({ last_name: 'Nelson', email: 'sheena@example.com', status: 'member' }),
  whatsapp: { conversation: 'inactive', window_expires_at: null, wa_id: null },
  counters: { whatsapp: { membership: { sent: 1, received: 2 }, secondary: { sent: 0, received: 0 } } },
};

const erased: PersonDetail = {
  ...sheena,
  first_name: 'Erased person',
  last_name: null,
  email: null,
  whatsapp_opted_out: true,
  sms_opted_out: true,
  erased_at: '2026-12-02T09:00:00Z',
};

function renderProfile() {
  history.replaceState(null, '', '/people/per_1');
  return render(
    <LocationProvider>
      <Router>
        <Route path="/people/:id" component={ProfilePage} />
        <Route default component={() => <p>Not this page</p>} />
      </Router>
    </LocationProvider>,
  );
}

async function openMenu() {
  fireEvent.click(await screen.findByRole('button', { name: 'Action ▾' }));
  return screen.getByRole('menu');
}

beforeEach(() => {
  vi.clearAllMocks();
  api.getPerson.mockResolvedValue(sheena);
});

describe('data requests on the client profile', () => {
  it('admins get Export data and Erase person…; managers and staff do not', async () => {
    logInAs('admin');
    renderProfile();
    const menu = await openMenu();
    expect(
      within(menu)
        .getAllByRole('menuitem')
        .map((b) => b.textContent),
    ).toEqual(['Send WhatsApp', 'Claim', 'Assign to…', 'Export data', 'Erase person…']);
    // The owner actions in between are each role's own (owner-control.test.tsx).
    const dataItems = ['Export data', 'Erase person…'];
    for (const role of ['manager', 'staff'] as const) {
      document.body.innerHTML = '';
      logInAs(role);
      renderProfile();
      const items = within(await openMenu()).getAllByRole('menuitem');
      expect(items.map((b) => b.textContent).filter((t) => dataItems.includes(t ?? ''))).toEqual([]);
    }
  });

  it('Export data saves the file the server named, and says so', async () => {
    logInAs('admin');
    const blob = new Blob(['{"history":[]}'], { type: 'application/json' });
    api.exportPerson.mockResolvedValue({ blob, filename: 'clubchat-person-per_1-2026-12-02.json' });
    renderProfile();
    fireEvent.click(within(await openMenu()).getByRole('menuitem', { name: 'Export data' }));
    await screen.findByText('Exported clubchat-person-per_1-2026-12-02.json');
    expect(api.exportPerson).toHaveBeenCalledWith('per_1');
    expect(saveFile).toHaveBeenCalledWith(blob, 'clubchat-person-per_1-2026-12-02.json');
  });

  it('a refused export says why and saves nothing', async () => {
    logInAs('admin');
    api.exportPerson.mockRejectedValue(new ApiFailure(403, 'forbidden', 'Your role does not allow this; ask an admin'));
    renderProfile();
    fireEvent.click(within(await openMenu()).getByRole('menuitem', { name: 'Export data' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your role does not allow this; ask an admin');
    expect(saveFile).not.toHaveBeenCalled();
  });

  it('Erase says what goes and what stays, and erases only once the name is typed', async () => {
    logInAs('admin');
    api.erasePerson.mockImplementation(async () => {
      api.getPerson.mockResolvedValue(erased);
      return erased;
    });
    renderProfile();
    fireEvent.click(within(await openMenu()).getByRole('menuitem', { name: 'Erase person…' }));
    const dialog = screen.getByRole('dialog', { name: 'Erase Sheena Nelson?' });
    expect(dialog.textContent).toContain('This cannot be undone');
    expect(dialog.textContent).toContain('Removed: their name, email');
    expect(dialog.textContent).toContain('Kept: their phone number, so it stays blocked');
    const erase = within(dialog).getByRole('button', { name: 'Erase' }) as HTMLButtonElement;
    expect(erase.disabled).toBe(true);
    const input = within(dialog).getByLabelText('Type Sheena Nelson to confirm');
    fireEvent.input(input, { target: { value: 'Sheena' } });
    expect(erase.disabled).toBe(true);
    fireEvent.input(input, { target: { value: '  sheena nelson ' } });
    expect(erase.disabled).toBe(false);
    fireEvent.click(erase);

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.erasePerson).toHaveBeenCalledWith('per_1');
    const notice = await screen.findByTestId('erased-notice');
    expect(notice.textContent).toContain('Data erased at their request');
    expect(notice.textContent).toContain('No messages can be sent to their number until they give consent again');
    expect(screen.getByRole('heading', { level: 2, name: 'Erased person' })).toBeTruthy();
    // Opted out by the erasure: nothing to send from the Action menu.
    const items = within(await openMenu()).getAllByRole('menuitem');
    expect(items.map((b) => b.textContent)).toEqual(['Claim', 'Assign to…', 'Export data', 'Erase person…']);
  });

  it('Cancel erases nothing; a refusal keeps the dialog open with the reason', async () => {
    logInAs('admin');
    renderProfile();
    fireEvent.click(within(await openMenu()).getByRole('menuitem', { name: 'Erase person…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.erasePerson).not.toHaveBeenCalled();

    api.erasePerson.mockRejectedValue(
      new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again'),
    );
    fireEvent.click(within(await openMenu()).getByRole('menuitem', { name: 'Erase person…' }));
    fireEvent.input(screen.getByLabelText('Type Sheena Nelson to confirm'), { target: { value: 'Sheena Nelson' } });
    fireEvent.click(screen.getByRole('button', { name: 'Erase' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Cannot reach ClubChat: check your connection and try again',
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});

describe('nameMatches', () => {
  it.each([
    ['Sheena Nelson', 'Sheena Nelson', true],
    [' sheena   NELSON ', 'Sheena Nelson', true],
    ['Sheena', 'Sheena Nelson', false],
    ['', '', false],
  ])('%j against %j -> %s', (typed, name, match) => {
    expect(nameMatches(typed, name)).toBe(match);
  });
});
