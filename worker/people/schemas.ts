// Request and response schemas for /api/v1/people: validation and the OpenAPI document come from these.
import { z } from '@hono/zod-openapi';
import { leadSourceSchema } from '../ads/referral';
import { cursorQuery, listSchema } from '../pagination';
import { adFilter, clubFilter, ownerFilterQuery, sourceFilter } from './list-filters';
import { searchText } from './search';

export const SALE_TYPES = ['membership', 'secondary'] as const;
export const PERSON_STATUSES = ['lead', 'member', 'former_member'] as const;

const isoDate = z.iso.date().openapi({ example: '2025-01-31' });

export const consentInputSchema = z
  .object({
    method: z.string().trim().min(1).max(100).openapi({ example: 'web_form' }),
    text: z
      .string()
      .trim()
      .min(1)
      .max(2000)
      .openapi({ example: 'Tick to get membership updates from Anytime Gym on WhatsApp' }),
    captured_at: z.iso.datetime({ offset: true }).openapi({ example: '2025-06-01T09:30:00Z' }),
    // Only web links: this is shown to staff and handed to Meta as evidence.
    evidence_url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .strict()
  .openapi('WhatsappConsent', {
    description: 'How the person agreed to WhatsApp messages; required to opt someone back in.',
  });

export type ConsentInput = z.infer<typeof consentInputSchema>;

// Fields an integrator may write. `.strict()` on the objects below turns a typo into 422 `unknown_field`.
const writable = {
  first_name: z.string().trim().min(1).max(100).openapi({ example: 'Sheena' }),
  last_name: z.string().trim().max(100).nullable().optional().openapi({ example: 'Nelson' }),
  phone: z.string().max(40).nullable().optional().openapi({
    example: '+447412345678',
    description:
      "Stored in E.164; any spelling is taken, and one without a country code is read as the company's country's",
  }),
  email: z.email().max(254).nullable().optional(),
  membership_start: isoDate.nullable().optional(),
  membership_end: isoDate.nullable().optional(),
  date_of_birth: isoDate.nullable().optional(),
  sms_opted_out: z.boolean().optional(),
  whatsapp_opted_out: z.boolean().optional(),
  whatsapp_consent: consentInputSchema.optional(),
  club_id: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .openapi({
      example: 'clb_0123456789abcdefghjk',
      description:
        "The person's home club (GET /clubs): one of the company's that you may see, else 422 `unknown_club`. " +
        "Left out on create: your first club if you are limited to clubs, else the company's first.",
    }),
};

export const personCreateSchema = z
  .object({
    ...writable,
    sale_type: z.enum(SALE_TYPES).default('membership'),
    status: z.enum(PERSON_STATUSES).default('lead'),
  })
  .strict()
  .openapi('PersonCreate');

export const personUpdateSchema = z
  .object({
    ...writable,
    first_name: writable.first_name.optional(),
    sale_type: z.enum(SALE_TYPES).optional(),
    status: z.enum(PERSON_STATUSES).optional(),
  })
  .strict()
  .openapi('PersonUpdate');

export type PersonCreateInput = z.infer<typeof personCreateSchema>;
export type PersonUpdateInput = z.infer<typeof personUpdateSchema>;

export const optOutSchema = z
  .object({ reason: z.string().trim().min(1).max(500).optional() })
  .strict()
  .openapi('WhatsappOptOut');

const actorSchema = z.object({
  kind: z.enum(['api_key', 'user', 'whatsapp', 'system', 'automation']),
  id: z.string(),
  name: z.string(),
});

export const personSchema = z
  .object({
    id: z.string().openapi({ example: 'per_0123456789abcdefghjk' }),
    first_name: z.string(),
    last_name: z.string().nullable(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    sale_type: z.enum(SALE_TYPES),
    status: z.enum(PERSON_STATUSES),
    membership_start: z.string().nullable(),
    membership_end: z.string().nullable(),
    date_of_birth: z.string().nullable(),
    sms_opted_out: z.boolean(),
    whatsapp_opted_out: z.boolean(),
    whatsapp_marketing_stopped: z
      .boolean()
      .openapi({ description: 'Meta error 131050: the person stopped marketing messages from this business.' }),
    erased_at: z
      .string()
      .nullable()
      .openapi({
        description:
          "When the person's data was last erased on request (POST /people/{id}/erase); null if never. While " +
          'set and the person is opted out, sends answer 422 `person_erased`.',
      }),
    has_conversation: z.boolean().openapi({
      description: 'Whether a WhatsApp message ever went either way (the person has a conversation in the inbox)',
    }),
    owner_user_id: z.string().nullable().openapi({
      description: 'The staff member who owns the lead (PATCH /people/{id}); null: unassigned',
    }),
    club_id: z.string().nullable().openapi({
      description: "The person's home club (a club id); every person has one (the company's first by default)",
    }),
    stage_id: z
      .string()
      .nullable()
      .openapi({
        description:
          "The person's stage on the company's pipeline (GET /api/v1/pipeline); leads start in the first, null is " +
          'outside the pipeline. PATCH /people/{id} {"stage"} moves it.',
      }),
    lead_source: z.object({ first: leadSourceSchema.nullable(), latest: leadSourceSchema.nullable() }).openapi({
      description:
        'The click-to-WhatsApp ads the person wrote from: the first (kept for good) and the latest; null when none',
    }),
    created_by: actorSchema.nullable().openapi({
      description:
        'Who added the person: a staff member, an API key, their first WhatsApp message; null if not recorded',
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Person');

const sentReceived = z.object({ sent: z.number().int(), received: z.number().int() });

export const personDetailSchema = personSchema
  .extend({
    whatsapp: z.object({
      conversation: z.enum(['active', 'inactive']).openapi({
        description: "'active' while the 24-hour customer service window is open, so free text may be sent",
      }),
      window_expires_at: z.string().nullable(),
      wa_id: z.string().nullable().openapi({
        description: "The id Meta knows this person's number by, once learnt (it may differ from the phone's digits)",
      }),
    }),
    counters: z.object({ whatsapp: z.object({ membership: sentReceived, secondary: sentReceived }) }),
  })
  .openapi('PersonDetail');

export type PersonJson = z.infer<typeof personSchema>;
export type PersonDetailJson = z.infer<typeof personDetailSchema>;

export const personListSchema = listSchema(personSchema).openapi('PersonList');

export const personListQuery = z.object({
  q: searchText.optional(),
  phone: z.string().max(40).optional().openapi({
    description: "Any spelling of the number (without a country code: the company's country); matched in E.164",
  }),
  email: z.string().max(254).optional(),
  status: z.enum(PERSON_STATUSES).optional().openapi({ description: 'Only people with this status' }),
  sale_type: z.enum(SALE_TYPES).optional().openapi({ description: 'Only people of this sale type' }),
  never_messaged: z
    .enum(['true'])
    .transform(() => true as const)
    .optional()
    .openapi({ description: 'Only people with no WhatsApp message yet, either way (no conversation in the inbox)' }),
  club: clubFilter,
  owner: ownerFilterQuery,
  stage: z.string().min(1).max(64).optional().openapi({ description: 'Only people in this stage (a stage id)' }),
  label: z.string().min(1).max(64).optional().openapi({ description: 'Only people wearing this label (a label id)' }),
  source: sourceFilter,
  ad: adFilter,
  ...cursorQuery,
});

export type PersonListQuery = z.infer<typeof personListQuery>;

export const personIdParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'per_0123456789abcdefghjk' }),
});
