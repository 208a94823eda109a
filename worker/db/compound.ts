// D1 allows at most five terms in one compound SELECT (SQLite's SQLITE_LIMIT_COMPOUND_SELECT there: six fail with
// "too many terms in compound SELECT"). Lists that merge ordered index walks (the inbox's stages times a
// salesperson's two scopes, the audit log's actions) may need more: each group of five is its own compound, nested.

/** D1's limit on the terms of one compound SELECT. */
export const COMPOUND_TERMS = 5;

/**
 * `terms` (each a SELECT of `columns`) as one UNION ALL, nested in groups of at most COMPOUND_TERMS so that each
 * level is a compound D1 accepts. SQLite flattens the groups back into one merge of ordered walks.
 */
export function unionAll(terms: string[], columns: string): string {
  if (terms.length <= COMPOUND_TERMS) return terms.join(' UNION ALL ');
  const groups: string[] = [];
  for (let i = 0; i < terms.length; i += COMPOUND_TERMS)
    groups.push(`SELECT ${columns} FROM (${terms.slice(i, i + COMPOUND_TERMS).join(' UNION ALL ')})`);
  return unionAll(groups, columns);
}
