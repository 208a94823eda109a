// Why an automated item or a broadcast skipped a person: the codes the worker records (and its run logs, reports
// and previews answer); the app has words for each (pwa/src/pages/Automations/skip-reasons.ts).

export const SKIP_REASONS = [
  'opted_out',
  'no_phone',
  'whatsapp_disabled',
  'marketing_stopped',
  'template_not_approved',
  'too_late',
  'missing_variable',
  /** The company's frequency cap: this person already had their marketing templates for the period. */
  'frequency_cap',
  /** Meta's 131049: held back "to maintain healthy ecosystem engagement"; not tried again at once. */
  'healthy_ecosystem',
  /** A broadcast that asks for recorded consent, and none is recorded for them. */
  'no_consent',
  /** The broadcast was cancelled before their turn. */
  'cancelled',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
