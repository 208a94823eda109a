// Pagination shared by every list route. Two ways in, one shape out (`{ collection, pagination }`):
// - keyset: `?cursor=` (the `next_cursor` of the page before) walks an index in the list's own order, so a
//   deep page costs what the first one does. This is what the app uses and what integrators should use.
// - `?page=` (GymSales-style clients): an OFFSET, capped at MAX_OFFSET rows so no page number walks a table.
// Totals cost a count over the filtered rows: given only with `?count=true` or with `?page=` (whose clients
// read `total_pages`), never by default.
import { z } from '@hono/zod-openapi';
import { ApiError } from './errors';

export const MAX_PER_PAGE = 100;
/** The deepest row `?page=` reaches; past it, use `cursor`. */
export const MAX_OFFSET = 10_000;

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/** Page-number pagination only (short lists: templates, automated items, runs). */
export const paginationQuery = {
  page: z.coerce.number().int().min(1).default(1).openapi({ example: 1 }),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(25).openapi({ example: 25 }),
};

/** Keyset pagination, with `page=` kept for GymSales-style clients. */
export const cursorQuery = {
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ description: 'The `next_cursor` of the page before (keyset: every page costs the same)' }),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .openapi({ description: `Page number (OFFSET, at most ${MAX_OFFSET} rows deep; prefer \`cursor\`)` }),
  per_page: z.coerce.number().int().min(1).max(MAX_PER_PAGE).default(25).openapi({ example: 25 }),
  count: flag.openapi({ description: 'Also count the matching rows (`total_entries`, `total_pages`)' }),
};

export const paginationSchema = z
  .object({
    total_pages: z.number().int().optional(),
    total_entries: z.number().int().optional(),
    next_cursor: z
      .string()
      .nullable()
      .optional()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  })
  .openapi('Pagination');

export type Pagination = z.infer<typeof paginationSchema>;

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

export function paginationOf(total: number, perPage: number): Pagination {
  return { total_pages: Math.ceil(total / perPage), total_entries: total };
}

/** A cursor is the sort key of the last row shown, opaque to clients (base64url JSON). */
export function encodeCursor(key: readonly (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const badCursor = () => new ApiError(422, 'invalid_cursor', 'cursor is not one this list gave out');

/** The sort key in a cursor, checked against the list's own key shape; a forged or foreign one is a 422. */
export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.infer<T> {
  let parsed: unknown;
  try {
    const bin = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    throw badCursor();
  }
  const result = shape.safeParse(parsed);
  if (!result.success) throw badCursor();
  return result.data;
}

export interface CursorQuery {
  cursor?: string;
  page?: number;
  per_page: number;
  count?: boolean;
}

/** Where a keyset list starts: after a cursor's key, at an OFFSET for `page=`, or at the top. */
export function startOf<T extends z.ZodType>(
  query: CursorQuery,
  shape: T,
): { after: z.infer<T> | null; offset: number; limit: number } {
  if (query.cursor !== undefined && query.page !== undefined)
    throw new ApiError(422, 'invalid_request', 'Use cursor or page, not both');
  const offset = query.page === undefined ? 0 : (query.page - 1) * query.per_page;
  if (offset >= MAX_OFFSET)
    throw new ApiError(422, 'page_too_deep', `page reaches at most ${MAX_OFFSET} rows deep: use cursor`);
  const after = query.cursor === undefined ? null : decodeCursor(query.cursor, shape);
  return { after, offset, limit: query.per_page };
}

/**
 * The page's rows and its pagination. Lists fetch `limit + 1` rows: the extra one only says that a next page
 * exists, so no count is needed to know where the list ends.
 */
export function keysetPage<R>(
  rows: R[],
  query: CursorQuery,
  keyOf: (row: R) => readonly (string | number)[],
  total?: number,
): { rows: R[]; pagination: Pagination } {
  const more = rows.length > query.per_page;
  const shown = more ? rows.slice(0, query.per_page) : rows;
  const last = shown.at(-1);
  const pagination: Pagination = { next_cursor: more && last ? encodeCursor(keyOf(last)) : null };
  if (total !== undefined) Object.assign(pagination, paginationOf(total, query.per_page));
  return { rows: shown, pagination };
}

/** Whether this request wants a total: asked for, or a page-number client that reads total_pages. */
export const wantsTotal = (query: CursorQuery): boolean => query.count === true || query.page !== undefined;
