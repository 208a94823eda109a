// The Opt-Out control's rules. Staff can opt a person out (Meta: honour every request to stop), never back in:
// only the API with recorded consent, or the person's own START, opts them in again.

export type OptOutControl =
  | { kind: 'hidden' }
  | { kind: 'available'; label: 'Opt-Out' }
  | { kind: 'opted_out'; label: 'Opted out' };

export function optOutControl(f: { optedOut: boolean; whatsappEnabled: boolean }): OptOutControl {
  // The fact is always shown; the action is a WhatsApp action, so it goes when WhatsApp is off.
  if (f.optedOut) return { kind: 'opted_out', label: 'Opted out' };
  if (!f.whatsappEnabled) return { kind: 'hidden' };
  return { kind: 'available', label: 'Opt-Out' };
}
