// History Notes: the filter and the Show / Reply actions. Pure.
import type { HistoryFilter } from '../../lib/api/people';

export const HISTORY_FILTERS: readonly { value: HistoryFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'whatsapp_sent', label: 'WhatsApp Sent' },
  { value: 'whatsapp_received', label: 'WhatsApp Received' },
  { value: 'note', label: 'Notes' },
];

interface NoteLike {
  type: string;
}

export function matchesFilter(note: NoteLike, filter: HistoryFilter): boolean {
  return filter === 'all' || note.type === filter;
}

const isWhatsappMessage = (note: NoteLike) => note.type === 'whatsapp_sent' || note.type === 'whatsapp_received';

/**
 * Show / Reply on every WhatsApp message entry, whatever the window (Reply then opens the composer the rules
 * allow). With WhatsApp off for the company, Show stays (it only reads) and Reply goes.
 */
export function historyActions(note: NoteLike, f: { whatsappEnabled: boolean }): ('show' | 'reply')[] {
  if (!isWhatsappMessage(note)) return [];
  return f.whatsappEnabled ? ['show', 'reply'] : ['show'];
}

/** What Reply opens: free text while the window is open, the template picker when it is closed. */
export const replyOpens = (windowOpen: boolean): 'free_text' | 'template' => (windowOpen ? 'free_text' : 'template');
