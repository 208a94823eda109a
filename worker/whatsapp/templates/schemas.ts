// Request and response schemas for /api/v1/whatsapp/templates: validation and the OpenAPI document.
import { z } from '@hono/zod-openapi';
import { FILENAME_MAX } from '#common/media';
import { listSchema, paginationQuery } from '../../pagination';
import type { TemplateRow } from './store';
import {
  PARAMETER_FORMATS,
  refineTemplate,
  TEMPLATE_CATEGORIES,
  type TemplateInput,
  templateInputShape,
} from './validate';
import { variableMapSchema } from './variables';

const variableMap = variableMapSchema.openapi({
  description:
    'Where a variable comes from when a send leaves it out: a person field (`first_name`, `last_name`, `full_name`, ' +
    '`phone`, `email`, `membership_start`, `membership_end`, `date_of_birth`, `company_name`) or `{ "text": "..." }`.',
  example: { '1': 'first_name' },
});

/** A media header's file, as a send or a template's default names it. */
export const headerMediaInputSchema = z
  .object({
    id: z.string().min(1).max(100).optional().openapi({ description: 'An upload: from POST /api/v1/whatsapp/media' }),
    link: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional()
      .openapi({ description: 'A public URL Meta fetches the file from' }),
    filename: z.string().trim().min(1).max(FILENAME_MAX).optional().openapi({ description: 'Document headers only' }),
  })
  .strict()
  .refine((m) => (m.id === undefined) !== (m.link === undefined), { message: 'exactly one of id or link' })
  .openapi('HeaderMediaInput', {
    description:
      "The file a photo, video or document header carries: an upload's `id` (Meta keeps it 30 days) or a `link`.",
  });

const headerSample = z
  .object({
    media_id: z
      .string()
      .min(1)
      .max(100)
      .openapi({
        description:
          'A file uploaded with POST /api/v1/whatsapp/media: ClubChat checks it by the header rules (photo: JPEG or ' +
          "PNG up to 5 MB; video: MP4 up to 16 MB; document: PDF up to 100 MB), uploads it to Meta's Resumable " +
          "Upload API and puts the handle in the HEADER's `example.header_handle`.",
      }),
  })
  .strict()
  .openapi('TemplateHeaderSample');

/** A header file as stored: what the upload recorded of it (type, mime_type, size) with its id, or a link. */
export const templateHeaderMediaSchema = z
  .object({
    type: z.enum(['image', 'video', 'document']).optional(),
    id: z.string().optional(),
    link: z.string().optional(),
    filename: z.string().optional(),
    mime_type: z.string().optional(),
    size: z.number().int().optional(),
  })
  .nullable()
  .openapi('HeaderMedia', {
    description: 'The file a photo, video or document header sends when a send names none; null for none',
  });

export const templateCreateSchema = z
  .object({
    ...templateInputShape,
    variable_map: variableMap.optional(),
    header_sample: headerSample.optional(),
    header_media: headerMediaInputSchema.optional().openapi({
      description:
        "The file a photo, video or document header carries when a send names none; default: the sample's file.",
    }),
  })
  .superRefine((t, ctx) => refineTemplate(t as TemplateInput, ctx, { sampleToCome: t.header_sample !== undefined }))
  .openapi('TemplateCreate', {
    description:
      "Meta's own template format (a template copied from Meta's documentation works as it is). A photo, video or " +
      "document header needs a sample: Meta's `example.header_handle`, or `header_sample` naming an uploaded file.",
    example: {
      name: 'membership_renewal',
      category: 'UTILITY',
      language: 'en_GB',
      components: [
        {
          type: 'BODY',
          text: 'Hi {{1}}, your membership ends on {{2}}. Reply to renew.',
          example: { body_text: [['Sheena', '30 September 2025']] },
        },
      ],
      variable_map: { '1': 'first_name', '2': 'membership_end' },
    },
  });

export const templateUpdateSchema = z
  .object({
    variable_map: variableMap.optional(),
    header_media: headerMediaInputSchema.nullable().optional().openapi({
      description: 'The default file of a photo, video or document header; null: sends must name one',
    }),
  })
  .strict()
  .openapi('TemplateUpdate');

export const templateSchema = z
  .object({
    id: z.string().openapi({ example: 'tpl_0123456789abcdefghjk' }),
    meta_id: z.string().nullable().openapi({ description: "Meta's template id" }),
    name: z.string(),
    language: z.string(),
    category: z.enum(TEMPLATE_CATEGORIES),
    status: z.string().openapi({
      description: "Meta's status (APPROVED, PENDING, REJECTED, PAUSED, DISABLED...), or DELETED once gone from Meta",
    }),
    rejected_reason: z.string().nullable(),
    parameter_format: z.enum(PARAMETER_FORMATS),
    components: z.array(z.looseObject({ type: z.string() })),
    variables: z.array(z.string()).openapi({
      description: 'The variable names in order: the body\'s, then a text header\'s (positional: "header.1")',
    }),
    variable_map: z.record(z.string(), z.unknown()),
    header_media: templateHeaderMediaSchema,
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Template');

export const templateListSchema = listSchema(templateSchema).openapi('TemplateList');

export const templateListQuery = z.object({
  status: z.string().toUpperCase().optional(),
  category: z.enum(TEMPLATE_CATEGORIES).optional(),
  language: z.string().optional(),
  name: z.string().optional(),
  ...paginationQuery,
});

export const templateIdParams = z.object({ id: z.string() });

const params = z
  .union([z.array(z.string().min(1).max(1024)).max(100), z.record(z.string(), z.string().min(1).max(1024))])
  .optional();

export const templatePreviewBody = z
  .object({ person_id: z.string().min(1), params })
  .strict()
  .openapi('TemplatePreviewRequest');

export const templatePreviewSchema = z
  .object({
    template_id: z.string(),
    status: z.string(),
    header: z.string().nullable(),
    body: z.string().openapi({ example: 'Hi Sheena, your membership ends on 30 September 2025. Reply to renew.' }),
    params: z.record(z.string(), z.string()).openapi({ description: "Every variable's value, by name" }),
  })
  .openapi('TemplatePreview');

export const syncCountsSchema = z
  .object({
    imported: z.number().int(),
    updated: z.number().int(),
    deleted: z.number().int(),
    unchanged: z.number().int(),
    skipped: z.number().int(),
  })
  .openapi('TemplateSyncCounts');

const iso = (ms: number) => new Date(ms).toISOString();

export function serializeTemplate(t: TemplateRow): z.infer<typeof templateSchema> {
  return {
    id: t.id,
    meta_id: t.metaId,
    name: t.name,
    language: t.language,
    category: t.category,
    status: t.status,
    rejected_reason: t.rejectedReason,
    parameter_format: t.parameterFormat,
    components: t.components,
    variables: t.variables,
    variable_map: t.variableMap,
    header_media: t.headerMedia ?? null,
    created_at: iso(t.createdAt),
    updated_at: iso(t.updatedAt),
  };
}
