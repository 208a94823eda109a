// The month the usage screen shows, in the company's timezone (the server counts days there too), and Meta's
// billing categories in words.
import type { WhatsappUsage } from '../../lib/api/settings';

export interface MonthRange {
  from: string;
  to: string;
  label: string;
}

export function monthRange(now: number, timeZone: string): MonthRange {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(now);
  const year = Number(parts.find((p) => p.type === 'year')?.value);
  const month = Number(parts.find((p) => p.type === 'month')?.value);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const mm = String(month).padStart(2, '0');
  const label = new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString('en-GB', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}`, label };
}

export type Category = keyof WhatsappUsage['totals'];

export const CATEGORIES: { key: Category; label: string; what: string; billed: boolean }[] = [
  { key: 'marketing', label: 'Marketing', what: 'Templates with offers, reminders and win-backs', billed: true },
  { key: 'utility', label: 'Utility', what: 'Templates about something they signed up for', billed: true },
  { key: 'authentication', label: 'Authentication', what: 'Templates with one-time codes', billed: true },
  { key: 'service', label: 'Service', what: 'Free-text replies inside the 24-hour window', billed: false },
];

/** The month in one sentence: what went out, and how many of those Meta bills. */
export function usageSentence(totals: WhatsappUsage['totals'], label: string): string {
  const sent = CATEGORIES.reduce((n, c) => n + totals[c.key].sent, 0);
  const billed = CATEGORIES.filter((c) => c.billed).reduce((n, c) => n + totals[c.key].delivered, 0);
  const messages = (n: number) => `${n} message${n === 1 ? '' : 's'}`;
  if (sent === 0) return `No WhatsApp messages sent in ${label} yet.`;
  return `${messages(sent)} sent in ${label}; ${billed} billable template ${billed === 1 ? 'message' : 'messages'} delivered. Service replies are free.`;
}
