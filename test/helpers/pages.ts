// Keyset lists (worker/pagination.ts): walk one by its cursors, and read the query plan of a list statement.
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';

interface Page {
  collection: { id?: string; [k: string]: unknown }[];
  pagination: { next_cursor?: string | null; total_entries?: number };
}

/**
 * Every row of a list, page by page through `next_cursor`. `get` fetches one page given its query string (with
 * `per_page` and, after the first page, `cursor`); `idOf` names a row. Fails on a page that is not 200, on a
 * full-size walk that never ends, and on a page after the first that comes back empty (the page before should
 * have said there was no next page).
 */
export async function walkPages(
  get: (query: string) => Promise<Response>,
  perPage: number,
  idOf: (row: Page['collection'][number]) => string = (row) => String(row.id),
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null | undefined = null;
  let pages = 0;
  do {
    const res = await get(`per_page=${perPage}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    pages += 1;
    if (pages > 1) expect(page.collection.length).toBeGreaterThan(0);
    expect(page.collection.length).toBeLessThanOrEqual(perPage);
    expect(page.pagination).not.toHaveProperty('total_entries');
    ids.push(...page.collection.map(idOf));
    cursor = page.pagination.next_cursor;
    expect(pages).toBeLessThan(1000);
  } while (cursor);
  return { ids, pages };
}

/** A cursor of the right encoding but a shape no list gives out. */
export const foreignCursor = (key: unknown): string =>
  btoa(JSON.stringify(key)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** EXPLAIN QUERY PLAN of a statement (a drizzle query's toSQL()), one line per step. */
export async function queryPlan(statement: { sql: string; params: unknown[] }): Promise<string[]> {
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
    .bind(...statement.params)
    .all<{ detail: string }>();
  return results.map((r) => r.detail);
}

/** Rows SQLite read to run a statement (D1's meta.rows_read): what a page costs. */
export async function rowsRead(statement: { sql: string; params: unknown[] }): Promise<number> {
  const { meta } = await env.DB.prepare(statement.sql)
    .bind(...statement.params)
    .all();
  return meta.rows_read;
}
