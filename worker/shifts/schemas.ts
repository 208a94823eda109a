// Shapes of the shift routes (routes.ts), shared by the routes and the OpenAPI document.
//
//   GET /api/v1/me/shift                        -> 200 Shift
//   PUT /api/v1/me/shift {"on_shift": boolean}  -> 200 Shift
import { z } from '@hono/zod-openapi';

export const shiftSchema = z
  .object({
    on_shift: z.boolean().openapi({
      description:
        'On shift: round-robin clubs give new leads to this staff member in turn. Off by default, and again at logout',
    }),
  })
  .openapi('Shift');

export const shiftUpdateSchema = z.strictObject({ on_shift: z.boolean() }).openapi('ShiftUpdate');

export type ShiftJson = z.infer<typeof shiftSchema>;
