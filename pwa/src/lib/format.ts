// Dates and names as a chat app shows them.

/** `14:05` today, `Mon` this week, `3 Nov` this year, else `3 Nov 2025`. */
export function shortTime(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === now.toDateString();
  if (sameDay) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days < 6 && days > 0) return d.toLocaleDateString(undefined, { weekday: 'short' });
  const opts: Intl.DateTimeFormatOptions =
    d.getFullYear() === now.getFullYear()
      ? { day: 'numeric', month: 'short' }
      : { day: 'numeric', month: 'short', year: 'numeric' };
  return d.toLocaleDateString(undefined, opts);
}

export function fullTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function personName(p: { first_name: string; last_name?: string | null }): string {
  return [p.first_name, p.last_name].filter(Boolean).join(' ');
}

/** `https://wa.me/447412345601`: opens the chat in the WhatsApp app on the staff member's own phone. */
export function whatsappLink(phone: string): string {
  return `https://wa.me/${phone.replace(/[^\d]/g, '')}`;
}

/** A business number as Meta shows it ("15550100001"), with its plus: "+15550100001". */
export const businessNumber = (n: string): string => (n.startsWith('+') ? n : `+${n}`);
