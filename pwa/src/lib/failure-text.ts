// A failed or refused message's reason in words a gym's front desk understands. Meta's codes:
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes; our own refusals come from the
// send rules (worker/whatsapp/policy.ts).

const WORDS: Record<string, string> = {
  '130429': 'WhatsApp is busy for this number right now; it will be retried',
  '131056': 'Too many messages to this person in a short time; it will be retried',
  '131047': 'More than 24 hours since they last wrote: send a template instead',
  '131026': 'Could not be delivered: the number may not be on WhatsApp, or has blocked this business',
  '131049': 'Meta held back this marketing message to keep engagement healthy',
  '131050': 'They stopped marketing messages from this business',
  '131048': 'Paused by Meta for too many messages reported as spam',
  '132000': "The template's variables do not match the approved template",
  '132001': 'This template does not exist in that language',
  '132012': "A template variable's format does not match the approved template",
  '132015': 'This template is paused by Meta',
  '132016': 'This template is disabled by Meta',
  '131031': 'The WhatsApp business account is locked',
  '368': 'The WhatsApp business account is blocked by Meta policy',
  opted_out: 'They opted out of WhatsApp messages',
  person_erased: 'Their data was erased at their request: no messages until they give consent again',
  window_closed: 'More than 24 hours since they last wrote: send a template instead',
  marketing_stopped: 'They stopped marketing messages from this business',
  whatsapp_disabled: 'WhatsApp is switched off for this gym',
  template_not_approved: 'That template is not approved by Meta yet',
  template_params: "The template's variables are missing or wrong",
  consent_required: 'There is no record of their consent to WhatsApp messages',
  no_phone: 'There is no phone number for this person',
  offline: 'Cannot reach ClubChat: check your connection and try again',
};

export interface FailureLike {
  code?: string | number | null;
  title?: string | null;
  message?: string | null;
  details?: string | null;
}

export function failureText(e: FailureLike | null | undefined): string {
  if (!e) return 'Not delivered';
  const known = e.code === null || e.code === undefined ? undefined : WORDS[String(e.code)];
  if (known) return known;
  return e.details || e.message || e.title || 'Not delivered';
}
