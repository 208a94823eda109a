// New chat: find someone and open their chat, or type a number in any spelling and add them as a lead (with
// consent when they gave it), then their chat opens. A number someone already has opens that person's chat.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { LocationProvider } from 'preact-iso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import type { NewLead, PeopleFilters, Person } from '../../lib/api/directory';
import { logInAs } from '../../pages/Settings/test-me';
import { testPerson } from '../../test-people';

const api = vi.hoisted(() => ({
  listPeople: vi.fn<(f: PeopleFilters, cursor?: string, perPage?: number) => Promise<unknown>>(),
  createLead: vi.fn<(lead: NewLead) => Promise<Person>>(),
  findByPhone: vi.fn<(phone: string) => Promise<Person | null>>(),
}));
vi.mock('../../lib/api/directory', () => api);
const { NewChatSheet, looksLikePhone } = await import('./new-chat-sheet');

const person = (id: string, first_name: string, over: Partial<Person> = {}): Person =>
  testPerson({ id, first_name, phone: '+447412345604', has_conversation: false, ...over });

const onClose = vi.fn();

function open() {
  history.replaceState(null, '', '/');
  render(
    <LocationProvider>
      <NewChatSheet onClose={onClose} />
    </LocationProvider>,
  );
  return screen.getByRole('searchbox', { name: 'Name, phone number or email' });
}

beforeEach(() => {
  logInAs('staff');
  onClose.mockReset();
  api.listPeople.mockReset().mockResolvedValue({ collection: [], pagination: { next_cursor: null } });
  api.createLead.mockReset();
  api.findByPhone.mockReset().mockResolvedValue(null);
});

describe('New chat', () => {
  it('shows the newest people, finds others by the search of the People screen; a person opens their chat', async () => {
    api.listPeople.mockImplementation(async (f) => ({
      collection: f.q
        ? [person('per_demo_alex', 'Alex', { last_name: 'Former' })]
        : [person('per_demo_maria', 'María', { last_name: 'Gómez' })],
      pagination: { next_cursor: null },
    }));
    const box = open();
    expect(screen.getByText(/type a phone number in any format/)).toBeTruthy();
    const newest = await screen.findByRole('list', { name: 'Newest people' });
    expect(newest.textContent).toContain('María Gómez');
    fireEvent.input(box, { target: { value: 'ale' } });
    const found = await screen.findByRole('list', { name: 'People found' });
    const row = screen.getByRole('link', { name: /Alex Former/ });
    expect(found.contains(row)).toBe(true);
    expect(row.getAttribute('href')).toBe('/c/per_demo_alex');
    expect(api.listPeople).toHaveBeenLastCalledWith({ q: 'ale' }, undefined, 8);
    // A name is not a number: nothing to add.
    expect(screen.queryByRole('button', { name: /New chat with/ })).toBeNull();
  });

  it('adds a typed number as a lead, with the consent they gave, and opens the chat', async () => {
    api.createLead.mockResolvedValue(person('per_new', 'Nadia'));
    const box = open();
    fireEvent.input(box, { target: { value: '07412 555 123' } });
    await screen.findByText('No one has this number yet.');
    fireEvent.click(screen.getByRole('button', { name: 'New chat with 07412 555 123' }));

    const form = screen.getByRole('form', { name: 'New lead' });
    expect((screen.getByLabelText('Phone number') as HTMLInputElement).value).toBe('07412 555 123');
    fireEvent.input(screen.getByLabelText('First name'), { target: { value: ' Nadia ' } });
    fireEvent.change(screen.getByLabelText('Interested in'), { target: { value: 'secondary' } });
    fireEvent.click(screen.getByLabelText('They agreed to WhatsApp messages'));
    expect((screen.getByLabelText('What they agreed to') as HTMLTextAreaElement).value).toBe(
      'Yes, Demo Gym may message me on WhatsApp about my membership and offers.',
    );
    fireEvent.change(screen.getByLabelText('How they agreed'), { target: { value: 'phone_call' } });
    fireEvent.submit(form);

    await waitFor(() => expect(location.pathname).toBe('/c/per_new'));
    expect(api.createLead).toHaveBeenCalledWith({
      first_name: 'Nadia',
      phone: '07412 555 123',
      sale_type: 'secondary',
      whatsapp_consent: {
        method: 'phone_call',
        text: 'Yes, Demo Gym may message me on WhatsApp about my membership and offers.',
        captured_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    });
    expect(onClose).toHaveBeenCalled();
  });

  it('records no consent unless it is ticked', async () => {
    api.createLead.mockResolvedValue(person('per_new', 'Nadia'));
    const box = open();
    fireEvent.input(box, { target: { value: '+44 7412 555 124' } });
    fireEvent.click(await screen.findByRole('button', { name: 'New chat with +44 7412 555 124' }));
    fireEvent.input(screen.getByLabelText('First name'), { target: { value: 'Nadia' } });
    fireEvent.input(screen.getByLabelText('Last name (optional)'), { target: { value: 'Nour' } });
    fireEvent.submit(screen.getByRole('form', { name: 'New lead' }));
    await waitFor(() => expect(api.createLead).toHaveBeenCalled());
    expect(api.createLead.mock.calls[0]?.[0]).toEqual({
      first_name: 'Nadia',
      last_name: 'Nour',
      phone: '+44 7412 555 124',
      sale_type: 'membership',
    });
  });

  it('opens the chat of whoever already has the number instead of adding them twice', async () => {
    api.createLead.mockRejectedValue(new ApiFailure(409, 'phone_taken', 'Another person already has that number'));
    api.findByPhone.mockResolvedValue(person('per_demo_tom', 'Tom'));
    const box = open();
    fireEvent.input(box, { target: { value: '07412345602' } });
    fireEvent.click(await screen.findByRole('button', { name: 'New chat with 07412345602' }));
    fireEvent.input(screen.getByLabelText('First name'), { target: { value: 'Tom' } });
    fireEvent.submit(screen.getByRole('form', { name: 'New lead' }));
    await waitFor(() => expect(location.pathname).toBe('/c/per_demo_tom'));
    expect(api.findByPhone).toHaveBeenCalledWith('07412345602');
  });

  it('says in words when the number is not one, and keeps what was typed', async () => {
    api.createLead.mockRejectedValue(
      new ApiFailure(422, 'invalid_phone', '"0741" is not a valid phone number; send it with its country code'),
    );
    const box = open();
    fireEvent.input(box, { target: { value: '0741 2345' } });
    fireEvent.click(await screen.findByRole('button', { name: 'New chat with 0741 2345' }));
    fireEvent.input(screen.getByLabelText('First name'), { target: { value: 'Nadia' } });
    fireEvent.submit(screen.getByRole('form', { name: 'New lead' }));
    expect((await screen.findByRole('alert')).textContent).toContain('is not a valid phone number');
    expect((screen.getByLabelText('First name') as HTMLInputElement).value).toBe('Nadia');
    expect(location.pathname).toBe('/');
    // Back to the search, as it was.
    fireEvent.click(screen.getByRole('button', { name: 'Back' }));
    expect((screen.getByRole('searchbox') as HTMLInputElement).value).toBe('0741 2345');
  });

  it.each([
    ['07412 345678', true],
    ['+44 (0)7412-345678', true],
    ['345 6789', true],
    ['0741', false],
    ['Alex', false],
    ['alex@example.com', false],
  ])('reads %s as a phone number: %s', (typed, phone) => {
    expect(looksLikePhone(typed)).toBe(phone);
  });
});
