// Page-number pagination shared by every list route: `?page=&per_page=` in, `{collection, pagination}` out.
import { z } from '@hono/zod-openapi';

export const MAX_PER_PAGE = 100;

export const paginationQuery = {
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(25).openapi({ example: 25 }),
};

export const paginationSchema = z
  .object({ total_pages: z.number().int(), total_entries: z.number().int() })
  .openapi('Pagination');

export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({ collection: z.array(item), pagination: paginationSchema });
}

export interface Page {
  limit: number;
  offset: number;
}

export function pageOf(page: number, perPage: number): Page {
  return { limit: perPage, offset: (page - 1) * perPage };
}

export function paginationOf(total: number, perPage: number): z.infer<typeof paginationSchema> {
  return { total_pages: Math.ceil(total / perPage), total_entries: total };
}
