// The note box: "@" opens the team who may see the person, filtered as you type; arrows and Enter, or a tap,
// insert the name; what is saved carries the ids. The card draws the saved note with names.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { MentionableUser } from '../../lib/api/notes';
import type { HistoryNote } from '../../lib/api/people';
import { NoteCard } from './note-card';
import { NoteComposer } from './note-composer';

const TEAM: MentionableUser[] = [
  { id: 'usr_ben', name: 'Ben Carter', role: 'staff' },
  { id: 'usr_mo', name: 'Mo Manager', role: 'manager' },
];

const saved = (text: string): HistoryNote =>
  ({ id: 'his_1', type: 'note', body: text, content: { mentions: [] } }) as unknown as HistoryNote;

function setUp() {
  const loadUsers = vi.fn(async () => ({ collection: TEAM }));
  const save = vi.fn(async (_: string, text: string) => saved(text));
  const onAdded = vi.fn();
  render(<NoteComposer personId="per_1" onAdded={onAdded} loadUsers={loadUsers} save={save} />);
  const box = screen.getByRole('textbox', { name: 'Note' }) as HTMLTextAreaElement;
  const type = (value: string) => {
    box.value = value;
    box.setSelectionRange(value.length, value.length);
    fireEvent.input(box);
  };
  return { loadUsers, save, onAdded, box, type };
}

describe('the note box', () => {
  it('filters the @ list as you type and inserts the one chosen with the keyboard', async () => {
    const { loadUsers, save, onAdded, box, type } = setUp();
    type('Can you call her @');
    const list = await screen.findByRole('listbox', { name: 'People to mention' });
    expect([...list.querySelectorAll('[role="option"]')].map((o) => o.textContent)).toEqual([
      'Ben Carterstaff',
      'Mo Managermanager',
    ]);
    type('Can you call her @ma');
    await waitFor(() => expect(screen.getAllByRole('option')).toHaveLength(1));
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('Can you call her @Mo Manager ');
    expect(screen.queryByRole('listbox')).toBeNull();
    type(`${box.value}today`);
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(save).toHaveBeenCalledWith('per_1', 'Can you call her @[usr_mo] today'));
    expect(onAdded).toHaveBeenCalled();
    expect(box.value).toBe('');
    expect(loadUsers).toHaveBeenCalledTimes(1);
  });

  it('takes a tap on a name, moves with the arrows, and closes on Escape', async () => {
    const { save, box, type } = setUp();
    type('@');
    await screen.findByRole('listbox');
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    expect(screen.getByRole('option', { selected: true }).textContent).toContain('Mo Manager');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    // Closed until that "@" is gone; a new one opens the list again.
    type('@b');
    expect(screen.queryByRole('listbox')).toBeNull();
    type('');
    type('@b');
    fireEvent.click(await screen.findByRole('option', { name: /Ben Carter/ }));
    expect(box.value).toBe('@Ben Carter ');
    fireEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() => expect(save).toHaveBeenCalledWith('per_1', '@[usr_ben]'));
  });

  it('says who cannot be found, and shows a refusal in words', async () => {
    const { save, box, type } = setUp();
    type('@zed');
    expect((await screen.findByRole('status')).textContent).toBe('Nobody called “zed” may see this person.');
    save.mockRejectedValueOnce(new Error('Zed may not see this person'));
    type('plain note');
    fireEvent.keyDown(box, { key: 'Enter' });
    expect((await screen.findByRole('alert')).textContent).toBe('Not added: Zed may not see this person');
    expect(box.value).toBe('plain note');
  });
});

describe('the note card', () => {
  it('says who wrote it and draws mentions as names', () => {
    render(
      <ol>
        <NoteCard
          note={{
            id: 'his_1',
            body: 'Tour booked, @[usr_ben] please show her round',
            content: { mentions: [{ id: 'usr_ben', name: 'Ben Carter' }] },
            actor: { name: 'Sam Staff' },
            occurred_at: '2026-11-25T12:00:00Z',
          }}
        />
      </ol>,
    );
    const card = screen.getByTestId('note-card');
    expect(card.querySelector('strong')?.textContent).toBe('Note by Sam Staff');
    expect(card.querySelector('.note-card-text')?.textContent).toBe('Tour booked, @Ben Carter please show her round');
    expect(card.querySelector('.mention')?.textContent).toBe('@Ben Carter');
  });
});
