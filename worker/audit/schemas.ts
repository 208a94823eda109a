// GET /api/v1/audit-log: the query and the entry as the API shows them. Actions and targets come from
// actions.ts, so the filter, the answer and the writers name the same things.
import { z } from '@hono/zod-openapi';
import { ACTOR_KINDS } from '../auth/actor';
import { cursorQuery, listSchema } from '../pagination';
import { AUDIT_ACTIONS, AUDIT_TARGETS } from './actions';

const action = z.enum(AUDIT_ACTIONS);
const instant = z.iso.datetime({ offset: true });

export const auditListQuery = z
  .object({
    action: z
      .union([action, z.array(action).max(AUDIT_ACTIONS.length)])
      .optional()
      .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]))
      .openapi({ description: 'One action, or several (`action=a&action=b`): entries of any of them' }),
    target_type: z.enum(AUDIT_TARGETS).optional().openapi({ description: 'With `target_id`: what the entry is about' }),
    target_id: z.string().min(1).max(64).optional().openapi({ example: 'per_0123456789abcdefghjk' }),
    actor_id: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: 'Who: a user id, an API key id, or a system actor such as `meta`' }),
    from: instant.optional().openapi({ description: 'Entries at or after this time (ISO 8601)' }),
    to: instant.optional().openapi({ description: 'Entries before this time (ISO 8601)' }),
    ...cursorQuery,
  })
  .refine((q) => (q.target_type === undefined) === (q.target_id === undefined), {
    message: 'target_type and target_id go together',
    path: ['target_id'],
  })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'must be after from',
    path: ['to'],
  });

export type AuditListQuery = z.infer<typeof auditListQuery>;

export const auditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string().openapi({ description: 'When it happened (ISO 8601)' }),
    actor: z
      .object({ kind: z.enum(ACTOR_KINDS), id: z.string(), name: z.string() })
      .openapi({ description: 'Who: a user, an API key, the person on WhatsApp, Meta or ClubChat itself' }),
    ip: z.string().nullable().openapi({ description: 'The address the request came from; null for webhooks and cron' }),
    action,
    target: z.object({
      type: z.enum(AUDIT_TARGETS),
      id: z.string(),
      label: z
        .string()
        .nullable()
        .openapi({ description: "A person's or user's name as it is now, else the name the entry recorded" }),
    }),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'What changed, e.g. `{"from":"staff","to":"manager"}`; never a secret' }),
  })
  .openapi('AuditEntry');

export const auditListSchema = listSchema(auditEntrySchema).openapi('AuditEntryList');

export const auditIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'aud_0123456789abcdefghjk' }),
});

export type AuditEntryJson = z.infer<typeof auditEntrySchema>;
