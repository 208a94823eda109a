// Meta's review status of a template, as a coloured badge in words, and its rejection reason in a sentence.
// Statuses and reasons: https://developers.facebook.com/docs/whatsapp/business-management-api/message-templates#template-status

const STATUS: Record<string, { label: string; tone: 'ok' | 'wait' | 'warn' | 'bad' | 'gone' }> = {
  APPROVED: { label: 'Approved', tone: 'ok' },
  PENDING: { label: 'Pending review', tone: 'wait' },
  IN_APPEAL: { label: 'In appeal', tone: 'wait' },
  PENDING_DELETION: { label: 'Being deleted', tone: 'gone' },
  REJECTED: { label: 'Rejected', tone: 'bad' },
  PAUSED: { label: 'Paused', tone: 'warn' },
  FLAGGED: { label: 'Flagged', tone: 'warn' },
  DISABLED: { label: 'Disabled', tone: 'bad' },
  ARCHIVED: { label: 'Archived', tone: 'gone' },
  DELETED: { label: 'Deleted at Meta', tone: 'gone' },
};

export function statusLabel(status: string): string {
  const known = STATUS[status.toUpperCase()]?.label;
  if (known) return known;
  const words = status.replace(/_/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function StatusBadge({ status }: { status: string }) {
  const tone = STATUS[status.toUpperCase()]?.tone ?? 'gone';
  return (
    <span class={`chip tpl-status tpl-status-${tone}`} data-testid="template-status" data-status={status.toUpperCase()}>
      {statusLabel(status)}
    </span>
  );
}

const REASONS: Record<string, string> = {
  ABUSIVE_CONTENT: 'Meta found the content abusive.',
  INCORRECT_CATEGORY: 'The category does not fit the content: promotional wording needs the Marketing category.',
  INVALID_FORMAT: 'The format is wrong: check the variables, their samples and the buttons.',
  PROMOTIONAL: 'Promotional wording in a template that is not Marketing.',
  SCAM: 'Meta judged it a possible scam.',
  TAG_CONTENT_MISMATCH: 'The content does not match the category chosen.',
};

/** Why Meta refused or stopped it, in a sentence; null when Meta gave no reason ("NONE"). */
export function reasonText(reason: string | null | undefined): string | null {
  if (!reason || reason.toUpperCase() === 'NONE') return null;
  const known = REASONS[reason.toUpperCase()];
  if (known) return known;
  const words = reason.replace(/_/g, ' ').toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${/[.!?]$/.test(words) ? '' : '.'}`;
}
