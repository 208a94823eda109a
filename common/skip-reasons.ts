// Why an automated item skipped a person: the codes the worker records (and its run log and audience preview
// answer); the app has words for each (pwa/src/pages/Automations/skip-reasons.ts).

export const SKIP_REASONS = [
  'opted_out',
  'no_phone',
  'whatsapp_disabled',
  'marketing_stopped',
  'template_not_approved',
  'too_late',
  'missing_variable',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
