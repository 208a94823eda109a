// The 24-hour customer service window as staff see it. Pure: the caller passes the clock.

/** Milliseconds left in the window, 0 when it is closed or was never opened. */
export function windowLeftMs(expiresAt: string | null | undefined, now: number): number {
  if (!expiresAt) return 0;
  const at = Date.parse(expiresAt);
  return Number.isNaN(at) ? 0 : Math.max(0, at - now);
}

export const isWindowOpen = (expiresAt: string | null | undefined, now: number): boolean =>
  windowLeftMs(expiresAt, now) > 0;

/** `5h 12m left`, `3m left`, `<1m left` or `closed`: whole minutes, rounded down so we never promise time. */
export function windowLabel(expiresAt: string | null | undefined, now: number): string {
  const left = windowLeftMs(expiresAt, now);
  if (left <= 0) return 'closed';
  const minutes = Math.floor(left / 60_000);
  if (minutes < 1) return '<1m left';
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h}h ${m}m left` : `${m}m left`;
}
