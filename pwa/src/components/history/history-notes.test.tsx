import { fireEvent, render, screen, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { HistoryNote } from '../../lib/api/people';
import { HistoryNotes, type HistoryNotesProps } from './history-notes';
import { historyActions, matchesFilter, replyOpens } from './history-rules';

function note(id: string, type: HistoryNote['type'], body: string): HistoryNote {
  return {
    id,
    person_id: 'per_1',
    type,
    occurred_at: '2026-11-25T10:00:00Z',
    wamid: type.startsWith('whatsapp_s') || type.startsWith('whatsapp_r') ? `wamid.${id}` : null,
    direction: type === 'whatsapp_sent' ? 'outbound' : type === 'whatsapp_received' ? 'inbound' : null,
    message_type: 'text',
    body,
    template: null,
    content: null,
    context_wamid: null,
    referral: null,
    sale_type: 'membership',
    status: null,
    status_at: null,
    error: null,
    actor: null,
    interactive: null,
    choice: null,
    automation: null,
  };
}

const NOTES = [
  note('h1', 'whatsapp_received', 'Is the pool open?'),
  note('h2', 'whatsapp_sent', 'Yes, until 10pm'),
  note('h3', 'whatsapp_opt_out', ''),
];

describe('history rules', () => {
  it('filters by type', () => {
    expect(NOTES.filter((n) => matchesFilter(n, 'all')).map((n) => n.id)).toEqual(['h1', 'h2', 'h3']);
    expect(NOTES.filter((n) => matchesFilter(n, 'whatsapp_sent')).map((n) => n.id)).toEqual(['h2']);
    expect(NOTES.filter((n) => matchesFilter(n, 'whatsapp_received')).map((n) => n.id)).toEqual(['h1']);
  });
  it('Show and Reply on every WhatsApp message, Show only when WhatsApp is off, nothing on other notes', () => {
    expect(historyActions(NOTES[0] as HistoryNote, { whatsappEnabled: true })).toEqual(['show', 'reply']);
    expect(historyActions(NOTES[1] as HistoryNote, { whatsappEnabled: true })).toEqual(['show', 'reply']);
    expect(historyActions(NOTES[1] as HistoryNote, { whatsappEnabled: false })).toEqual(['show']);
    expect(historyActions(NOTES[2] as HistoryNote, { whatsappEnabled: true })).toEqual([]);
  });
  it('Reply opens free text while the window is open and the template picker when closed', () => {
    expect(replyOpens(true)).toBe('free_text');
    expect(replyOpens(false)).toBe('template');
  });
});

function renderNotes(extra: Partial<HistoryNotesProps> = {}) {
  const props: HistoryNotesProps = {
    notes: NOTES,
    filter: 'all',
    whatsappEnabled: true,
    onFilter: vi.fn(),
    onShow: vi.fn(),
    onReply: vi.fn(),
    ...extra,
  };
  render(<HistoryNotes {...props} />);
  return props;
}

describe('HistoryNotes', () => {
  it('offers All, WhatsApp Sent, WhatsApp Received and Notes, and reports a change', () => {
    const props = renderNotes();
    const select = screen.getByLabelText('Filter history') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'All',
      'WhatsApp Sent',
      'WhatsApp Received',
      'Notes',
    ]);
    fireEvent.change(select, { target: { value: 'whatsapp_received' } });
    expect(props.onFilter).toHaveBeenCalledWith('whatsapp_received');
  });

  it('notes from before the person was erased say why they are empty', () => {
    const erasedNotes = [
      { ...note('h1', 'whatsapp_received', ''), body: null },
      { ...note('h4', 'whatsapp_received', 'Back again'), occurred_at: '2026-11-27T10:00:00Z' },
    ];
    renderNotes({ notes: erasedNotes, erasedAt: '2026-11-26T10:00:00Z' });
    expect(screen.getAllByRole('listitem').map((li) => li.querySelector('.note-body')?.textContent)).toEqual([
      'Erased at their request',
      'Back again',
    ]);
  });

  it('shows only the filtered notes', () => {
    renderNotes({ filter: 'whatsapp_sent' });
    expect(screen.getAllByRole('listitem').map((li) => li.dataset.type)).toEqual(['whatsapp_sent']);
  });

  it('Show and Reply act on their own entry', () => {
    const props = renderNotes();
    const received = screen.getAllByRole('listitem')[0] as HTMLElement;
    fireEvent.click(within(received).getByRole('button', { name: 'Show' }));
    expect(props.onShow).toHaveBeenCalledWith(NOTES[0]);
    fireEvent.click(within(received).getByRole('button', { name: 'Reply' }));
    expect(props.onReply).toHaveBeenCalledWith(NOTES[0]);
    const optOut = screen.getAllByRole('listitem')[2] as HTMLElement;
    expect(within(optOut).queryByRole('button')).toBeNull();
  });

  it('WhatsApp off: Show stays, Reply goes', () => {
    renderNotes({ whatsappEnabled: false });
    expect(screen.getAllByRole('button', { name: 'Show' })).toHaveLength(2);
    expect(screen.queryByRole('button', { name: 'Reply' })).toBeNull();
  });

  it('loading, empty and error states', () => {
    const { unmount } = render(
      <HistoryNotes notes={null} filter="all" whatsappEnabled onFilter={vi.fn()} onShow={vi.fn()} onReply={vi.fn()} />,
    );
    expect(screen.getByText('Loading history…')).toBeTruthy();
    unmount();
    renderNotes({ notes: [] });
    expect(screen.getByText('No notes here yet.')).toBeTruthy();
  });
});
