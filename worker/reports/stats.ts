// Percentiles by the nearest-rank method: always a time that really happened (the median of 2, 7, 9, 30 is 7),
// so a manager can find the lead behind a figure.

/** The p-th percentile (0 < p <= 1) of ascending values, or null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** A share 0..1, rounded to 4 places; null when there is nothing to share out. */
export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
