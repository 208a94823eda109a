import { windowLabel } from '../../lib/window';

/** `5h 12m left` (green) or `closed` (grey): whether free text may still be sent. */
export function WindowChip({ expiresAt, now }: { expiresAt: string | null | undefined; now: number }) {
  const label = windowLabel(expiresAt, now);
  const open = label !== 'closed';
  return (
    <span class={`chip ${open ? 'chip-open' : 'chip-closed'}`} title="24-hour reply window" data-testid="window-chip">
      <span class="visually-hidden">Reply window </span>
      {label}
    </span>
  );
}
