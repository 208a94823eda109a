// What the audit log records. One list, so the API's filter, the app's filter menu and the writers agree.
import { z } from 'zod';

export const AUDIT_ACTIONS = [
  'consent.recorded',
  'person.opted_out',
  'person.opted_in',
  'person.phone_changed',
  /** A lead's owner was set, changed or cleared (details: from, to: user ids or null). */
  'person.owner_changed',
  'person.exported',
  'person.erased',
  'template.created',
  'template.updated',
  'template.deleted',
  'template.status_changed',
  /** Sandbox mode only: someone played Meta's reviewer (approve, reject, pause...) in the simulator. */
  'template.review_simulated',
  'automation.created',
  'automation.updated',
  'automation.deleted',
  'user.created',
  'user.updated',
  'user.role_changed',
  /** The clubs a user may see changed (details: email, from, to: club id lists, null for every club). */
  'user.clubs_changed',
  'user.deactivated',
  'user.reactivated',
  'api_key.created',
  'api_key.revoked',
  'whatsapp.settings_changed',
  /** A lead's stage changed (details: from, to: {id, name} or null). */
  'person.stage_changed',
  'person.labels_changed',
  /** An internal note was added (details: note_id, mentions: the user ids it mentions; never the text). */
  'person.note_added',
  'pipeline.changed',
  'label.created',
  'label.updated',
  'label.deleted',
  'club.created',
  'club.updated',
  /** The platform admin connected, changed or disabled one of the company's numbers (details: phone_number_id, club_id). */
  'whatsapp.number_added',
  'whatsapp.number_changed',
  'whatsapp.number_disabled',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
export const auditActionSchema = z.enum(AUDIT_ACTIONS);

/** What an entry is about; its id is the row's id (a person, a template, a user, an API key, the company). */
export const AUDIT_TARGETS = [
  'person',
  'template',
  'automation',
  'user',
  'api_key',
  'company',
  'club',
  'whatsapp_number',
  'label',
] as const;
export type AuditTarget = (typeof AUDIT_TARGETS)[number];
export const auditTargetSchema = z.enum(AUDIT_TARGETS);
