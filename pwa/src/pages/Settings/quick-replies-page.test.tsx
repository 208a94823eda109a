import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import { uploadMedia } from '../../lib/api/media';
import type { QuickReply } from '../../lib/api/settings';
import * as api from '../../lib/api/settings';
import { QuickRepliesPage } from './quick-replies-page';
import { logInAs } from './test-me';

vi.mock('../../lib/api/media', () => ({ uploadMedia: vi.fn() }));
vi.mock('../../lib/api/settings', () => ({
  listQuickReplies: vi.fn(),
  createQuickReply: vi.fn(),
  updateQuickReply: vi.fn(),
  deleteQuickReply: vi.fn(),
}));

const at = '2026-11-01T00:00:00Z';
let rows: QuickReply[];

beforeEach(() => {
  rows = [
    {
      id: 'q1',
      shortcut: 'prices',
      text: 'From £24.99 a month.',
      interactive: null,
      attachment: null,
      created_at: at,
      updated_at: at,
    },
  ];
  vi.mocked(api.listQuickReplies).mockImplementation(async () => rows.map((r) => ({ ...r })));
  vi.mocked(api.createQuickReply).mockImplementation(async (body) => {
    const row = {
      id: `q${rows.length + 1}`,
      shortcut: body.shortcut,
      text: body.text,
      interactive: body.interactive ?? null,
      attachment: null,
      created_at: at,
      updated_at: at,
    };
    rows = [...rows, row];
    return row;
  });
  vi.mocked(api.updateQuickReply).mockImplementation(async (id, body) => {
    rows = rows.map((r) =>
      r.id === id
        ? {
            ...r,
            shortcut: body.shortcut ?? r.shortcut,
            text: body.text ?? r.text,
            interactive: body.interactive !== undefined ? body.interactive : r.interactive,
          }
        : r,
    );
    return rows.find((r) => r.id === id) as QuickReply;
  });
  vi.mocked(api.deleteQuickReply).mockImplementation(async (id) => {
    rows = rows.filter((r) => r.id !== id);
    return undefined as never;
  });
});

const items = () => screen.queryAllByTestId('quick-reply').map((li) => li.querySelector('strong')?.textContent);

describe('quick replies in Settings', () => {
  it('a manager adds one; the shortcut is checked first, in words', async () => {
    logInAs('manager');
    render(<QuickRepliesPage />);
    await waitFor(() => expect(items()).toEqual(['/prices']));
    const form = screen.getByRole('form', { name: 'New quick reply' });
    fireEvent.input(within(form).getByLabelText('Shortcut (typed after “/”)'), { target: { value: 'pool hours' } });
    fireEvent.input(within(form).getByLabelText('Text'), { target: { value: 'Open 6am to 9pm.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add quick reply' }));
    expect(within(form).getByRole('alert').textContent).toBe(
      'Use lower-case letters, digits, "-" or "_" (up to 32), no spaces',
    );
    expect(api.createQuickReply).not.toHaveBeenCalled();
    fireEvent.input(within(form).getByLabelText('Shortcut (typed after “/”)'), { target: { value: '/Pool' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add quick reply' }));
    await waitFor(() => expect(items()).toEqual(['/prices', '/pool']));
    expect(api.createQuickReply).toHaveBeenCalledWith({ shortcut: 'pool', text: 'Open 6am to 9pm.' });
  });

  it('a quick reply carries a file: refused in words before it uploads, else uploaded with its expiry said', async () => {
    logInAs('manager');
    render(<QuickRepliesPage />);
    await waitFor(() => expect(items()).toEqual(['/prices']));
    const form = screen.getByRole('form', { name: 'New quick reply' });
    const input = within(form).getByLabelText(/File to send with it/) as HTMLInputElement;
    const choose = (file: File) => {
      Object.defineProperty(input, 'files', { value: [file], configurable: true });
      fireEvent.change(input);
    };
    choose(new File(['x'], 'clip.mov', { type: 'video/quicktime' }));
    expect(within(form).getByRole('alert').textContent).toContain('"clip.mov" cannot go on WhatsApp');
    expect(uploadMedia).not.toHaveBeenCalled();
    vi.mocked(uploadMedia).mockResolvedValueOnce({
      id: '123456789012345',
      type: 'document',
      mime_type: 'application/pdf',
      size: 81_000,
      filename: 'Timetable.pdf',
    });
    choose(new File(['%PDF'], 'Timetable.pdf', { type: 'application/pdf' }));
    const line = await within(form).findByTestId('quick-reply-file');
    expect(line.textContent).toContain('Timetable.pdf · 81 KB');
    expect(line.textContent).toContain('Meta keeps it until');
    fireEvent.input(within(form).getByLabelText('Shortcut (typed after “/”)'), { target: { value: 'timetable' } });
    fireEvent.input(within(form).getByLabelText('Text'), { target: { value: 'Our classes this month' } });
    // Buttons and a file on one quick reply: refused in words, nothing saved; without the buttons it saves.
    const buttons = within(form).getByLabelText(/Reply buttons/);
    fireEvent.input(buttons, { target: { value: 'Mon / Tue' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add quick reply' }));
    expect(
      within(form)
        .getAllByRole('alert')
        .map((a) => a.textContent),
    ).toContain('A quick reply asks with buttons or a list, or sends a file: not both');
    expect(api.createQuickReply).not.toHaveBeenCalled();
    fireEvent.input(buttons, { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add quick reply' }));
    await waitFor(() =>
      expect(api.createQuickReply).toHaveBeenCalledWith({
        shortcut: 'timetable',
        text: 'Our classes this month',
        attachment: { type: 'document', id: '123456789012345', filename: 'Timetable.pdf' },
      }),
    );
  });

  it('edits in place, and a refusal from the server keeps the form open with its reason', async () => {
    logInAs('admin');
    render(<QuickRepliesPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Edit /prices' }));
    const form = screen.getByRole('form', { name: 'Edit quick reply' });
    fireEvent.input(within(form).getByLabelText('Text'), { target: { value: 'From £19.99 a month.' } });
    vi.mocked(api.updateQuickReply).mockRejectedValueOnce(
      new ApiFailure(409, 'shortcut_taken', 'Another quick reply already uses that shortcut'),
    );
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(within(form).getByRole('alert').textContent).toBe('Another quick reply already uses that shortcut'),
    );
    fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.getByTestId('quick-reply').textContent).toContain('From £19.99 a month.'));
    expect(screen.queryByRole('form', { name: 'Edit quick reply' })).toBeNull();
  });

  it('deleting asks first', async () => {
    logInAs('manager');
    render(<QuickRepliesPage />);
    fireEvent.click(await screen.findByRole('button', { name: 'Delete /prices' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete /prices?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.deleteQuickReply).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete /prices' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(screen.getByText('No quick replies yet.')).toBeTruthy());
    expect(api.deleteQuickReply).toHaveBeenCalledWith('q1');
  });

  it('staff read them but cannot change them', async () => {
    logInAs('staff');
    render(<QuickRepliesPage />);
    await waitFor(() => expect(items()).toEqual(['/prices']));
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.queryByRole('button', { name: /Edit|Delete/ })).toBeNull();
  });

  it('a list that cannot be loaded says why and offers to try again', async () => {
    logInAs('staff');
    vi.mocked(api.listQuickReplies).mockRejectedValueOnce(
      new ApiFailure(0, 'offline', 'Cannot reach ClubChat: check your connection and try again'),
    );
    render(<QuickRepliesPage />);
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Quick replies could not be loaded: Cannot reach ClubChat: check your connection and try again',
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(items()).toEqual(['/prices']));
  });
});
