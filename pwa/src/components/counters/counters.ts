// The Activity Tracker's WhatsApp counters, one row per sale type. Shown even when WhatsApp is off for the
// company: they are history, not an action.

export interface SentReceived {
  sent: number;
  received: number;
}
export interface WhatsappCounters {
  membership: SentReceived;
  secondary: SentReceived;
}

export interface CounterRow {
  saleType: 'membership' | 'secondary';
  label: string;
  sent: number;
  received: number;
}

export function counterRows(c: WhatsappCounters): CounterRow[] {
  return [
    { saleType: 'membership', label: 'Membership', sent: c.membership.sent, received: c.membership.received },
    { saleType: 'secondary', label: 'Secondary Sales', sent: c.secondary.sent, received: c.secondary.received },
  ];
}
