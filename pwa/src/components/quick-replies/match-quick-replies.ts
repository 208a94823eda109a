// Which quick replies the "/" list offers for what follows the slash: shortcuts that start with it first (what
// the staff member is most likely typing), then shortcuts that contain it, then replies whose text does.
import type { QuickReply } from '../../lib/api/settings';

export function matchQuickReplies(replies: readonly QuickReply[], query: string): QuickReply[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...replies];
  const starts: QuickReply[] = [];
  const contains: QuickReply[] = [];
  const inText: QuickReply[] = [];
  for (const r of replies) {
    const shortcut = r.shortcut.toLowerCase();
    if (shortcut.startsWith(q)) starts.push(r);
    else if (shortcut.includes(q)) contains.push(r);
    else if (r.text.toLowerCase().includes(q)) inText.push(r);
  }
  return [...starts, ...contains, ...inText];
}

/** The composer's text opens the list while it is a "/" and one line: "/pri" filters, a new line ends it. */
export function quickReplyQuery(text: string): string | null {
  return text.startsWith('/') && !text.includes('\n') ? text.slice(1) : null;
}
