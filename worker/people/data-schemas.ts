// Shapes of a person's data requests (export, erasure): validation and the OpenAPI document come from these.
import { z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS } from '../audit/actions';
import { historyNoteSchema } from '../history/serialize';
import { personDetailSchema } from './schemas';

export const EXPORT_FORMAT = 'clubchat.person_export.v1';

const actorSchema = z.object({ kind: z.string(), id: z.string(), name: z.string() });

export const consentEntrySchema = z
  .object({
    id: z.string(),
    channel: z.enum(['whatsapp', 'sms']),
    action: z.enum(['opt_in', 'opt_out']),
    method: z.string().openapi({ example: 'web_form' }),
    text: z.string().nullable().openapi({ description: 'The wording the person agreed to, or the reason given' }),
    captured_at: z.string(),
    evidence_url: z.string().nullable(),
    actor: actorSchema.nullable().openapi({ description: 'Who recorded it' }),
    recorded_at: z.string(),
  })
  .openapi('ConsentEntry');

export const personAuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    actor: actorSchema.openapi({ description: 'The staff member or API key that did it' }),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('PersonAuditEntry', {
    description: "An audit entry about the person. The actor's IP address is left out: it is the staff member's data.",
  });

export const exportConversationSchema = z
  .object({
    last_message_id: z.string(),
    last_message_at: z.string(),
    last_sent_message_id: z.string().nullable(),
    last_inbound_message_id: z.string().nullable(),
    last_inbound_at: z.string().nullable(),
    unread_count: z.number().int(),
    window_expires_at: z.string().nullable(),
    opted_out: z.boolean(),
  })
  .openapi('PersonExportConversation', { description: 'Their row in the inbox' });

export const personExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    exported_at: z.string(),
    company_id: z.string(),
    person: personDetailSchema,
    conversation: exportConversationSchema.nullable(),
    consent_log: z.array(consentEntrySchema).openapi({ description: 'Oldest first' }),
    audit_log: z.array(personAuditEntrySchema).openapi({ description: 'Oldest first' }),
    history: z.array(historyNoteSchema).openapi({ description: 'Every note, oldest first' }),
    history_count: z.number().int(),
  })
  .openapi('PersonExport');

export type PersonExportJson = z.infer<typeof personExportSchema>;

export const eraseSchema = z
  .object({
    confirm: z.literal(true, {
      error: 'send {"confirm": true}: an erasure cannot be undone',
    }),
  })
  .strict()
  .openapi('PersonErase');
