// Delivery ticks, as WhatsApp draws them: one grey (sent), two grey (delivered), two blue (read).
import './ticks.css';

export type TickStatus = 'pending' | 'queued' | 'sent' | 'delivered' | 'read' | 'failed' | 'unknown' | string;

const LABEL: Record<string, string> = {
  pending: 'Sending',
  queued: 'Sending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
  failed: 'Not delivered',
};

export function tickLabel(status: TickStatus | null | undefined): string {
  return (status && LABEL[status]) || 'Status unknown';
}

export function Ticks({ status }: { status: TickStatus | null | undefined }) {
  const label = tickLabel(status);
  const s = status ?? 'unknown';
  let glyph = '?';
  if (s === 'pending' || s === 'queued') glyph = '🕓';
  else if (s === 'sent') glyph = '✓';
  else if (s === 'delivered' || s === 'read') glyph = '✓✓';
  else if (s === 'failed') glyph = '!';
  return (
    <span class={`ticks ticks-${s}`} role="img" aria-label={label} title={label} data-status={s}>
      {glyph}
    </span>
  );
}
