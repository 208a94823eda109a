// The company's pipeline: its lead stages in order, each open, won or lost. Bodies are strict like every write.
import { z } from '@hono/zod-openapi';

export const MAX_STAGES = 12;
export const STAGE_OUTCOMES = ['open', 'won', 'lost'] as const;

export const stageSchema = z
  .object({
    id: z.string().openapi({ example: 'stg_0123456789abcdefghjk' }),
    name: z.string().openapi({ example: 'Tour booked' }),
    position: z.number().int(),
    outcome: z.enum(STAGE_OUTCOMES),
  })
  .openapi('Stage');

export const pipelineSchema = z.object({ stages: z.array(stageSchema) }).openapi('Pipeline');

const stageInput = z.strictObject({
  /** An existing stage's id keeps it (and the people in it); leave out for a new stage. */
  id: z.string().min(1).max(64).optional(),
  name: z.string().trim().min(1).max(40),
  outcome: z.enum(STAGE_OUTCOMES).default('open'),
});

export const pipelinePutSchema = z
  .strictObject({
    stages: z
      .array(stageInput)
      .min(1)
      .max(MAX_STAGES)
      .refine((s) => new Set(s.map((x) => x.name.toLowerCase())).size === s.length, 'stage names must differ')
      .refine(
        (s) => new Set(s.flatMap((x) => (x.id ? [x.id] : []))).size === s.filter((x) => x.id).length,
        'a stage appears once',
      ),
  })
  .openapi('PipelinePut', {
    description:
      'The whole pipeline in order: rename, reorder and add (up to 12). A stage left out is removed, unless people ' +
      'are in it or an automated item uses it (409 stage_in_use: move them, or change the item, first).',
  });

export type StageJson = z.infer<typeof stageSchema>;
export type PipelinePut = z.infer<typeof pipelinePutSchema>;
