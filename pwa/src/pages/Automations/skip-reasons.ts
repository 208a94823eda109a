// Why a person is skipped, in words a manager can act on. The codes are the server's (common/skip-reasons.ts,
// plus the send path's own refusals); an unknown one is still shown.
const SKIP_WORDS: Record<string, string> = {
  opted_out: 'Opted out of WhatsApp messages',
  person_erased: 'Their data was erased at their request (no messages until new consent)',
  no_phone: 'No phone number',
  whatsapp_disabled: 'WhatsApp is not switched on for the gym',
  marketing_stopped: 'Stopped marketing messages from the gym (Meta error 131050)',
  template_not_approved: 'The template is not approved by Meta',
  too_late: 'Fell due more than 24 hours ago: too late to send',
  missing_variable: 'No value for a template variable (a field of theirs is empty)',
  template_params: 'The template variables do not match the template',
  frequency_cap: 'Already had as many marketing messages as the gym allows for the period',
  healthy_ecosystem: 'Held back by Meta to keep engagement healthy (131049); not retried at once',
  no_consent: 'No WhatsApp consent recorded',
  cancelled: 'The broadcast was cancelled before their turn',
};

export const skipReasonWords = (reason: string): string =>
  SKIP_WORDS[reason] ?? `Skipped (${reason.replace(/_/g, ' ')})`;
