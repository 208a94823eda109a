// Labels: free, coloured tags staff put on people ("Price objection", "Student"). Colours come from a small
// palette the app draws readably in light and dark mode. Bodies are strict like every write.
import { z } from '@hono/zod-openapi';

export const MAX_LABELS = 50;
export const LABEL_COLORS = ['grey', 'red', 'orange', 'yellow', 'green', 'teal', 'blue', 'purple', 'pink'] as const;

const name = z.string().trim().min(1).max(30).openapi({ example: 'Price objection' });
const color = z.enum(LABEL_COLORS).openapi({ example: 'orange' });

export const labelSchema = z.object({ id: z.string(), name: z.string(), color }).openapi('Label');
export const labelListSchema = z.object({ collection: z.array(labelSchema) }).openapi('LabelList');
export const labelCreateSchema = z.strictObject({ name, color: color.default('grey') }).openapi('LabelCreate');
export const labelUpdateSchema = z
  .strictObject({ name: name.optional(), color: color.optional() })
  .refine((v) => v.name !== undefined || v.color !== undefined, 'send name, color or both')
  .openapi('LabelUpdate');
export const labelParams = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: 'lbl_0123456789abcdefghjk' }),
});
export const personLabelsPutSchema = z
  .strictObject({ label_ids: z.array(z.string().min(1).max(64)).max(MAX_LABELS) })
  .openapi('PersonLabelsPut', { description: "The person's labels, all of them: the list replaces what they had" });
export const personLabelsSchema = z.object({ labels: z.array(labelSchema) }).openapi('PersonLabels');

export type LabelJson = z.infer<typeof labelSchema>;
export type LabelCreate = z.infer<typeof labelCreateSchema>;
export type LabelUpdate = z.infer<typeof labelUpdateSchema>;
