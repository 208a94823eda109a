// The scope rule (#common/scope) as SQL, for every list that shows people or reads what they did: the people
// directory, the inbox's rows and counts, usage, the live events. One builder, so the rule a list applies is the
// rule getPerson applies to one person; each list says which of its columns hold the person's club, owner and
// status.
import { type SQL, sql } from 'drizzle-orm';
import type { Scope } from '#common/scope';

/** A condition with `?` placeholders and their values, in order. */
export interface Fragment {
  sql: string;
  params: unknown[];
}

/** SQL expressions (column names, or a subquery) for the person's club, owner and status. */
export interface ScopeColumns {
  club: string;
  owner: string;
  status: string;
}

/**
 * The rows this scope may see, as a condition; null when it sees everything. One club is an equality, so a list
 * walks the (company_id, club_id, ...) index in order; several are one JSON parameter (D1 binds at most 100),
 * read with json_each.
 */
export function scopeCondition(scope: Scope, cols: ScopeColumns): Fragment | null {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (scope.clubIds !== null) {
    const [only, ...more] = scope.clubIds;
    if (only !== undefined && more.length === 0) {
      parts.push(`${cols.club} = ?`);
      params.push(only);
    } else {
      parts.push(`${cols.club} IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(scope.clubIds));
    }
  }
  if (scope.ownOnly !== null) {
    // The literal 'lead', so the status index's range can serve it.
    parts.push(`(${cols.owner} = ? OR (${cols.owner} IS NULL AND ${cols.status} = 'lead'))`);
    params.push(scope.ownOnly);
  }
  return parts.length === 0 ? null : { sql: parts.join(' AND '), params };
}

/** A fragment inside a statement that numbers its parameters (`?N`): each `?` becomes the caller's next one. */
export function inline(fragment: Fragment, bind: (value: unknown) => string): string {
  let i = 0;
  return fragment.sql.replace(/\?/g, () => bind(fragment.params[i++]));
}

/** The same fragment for drizzle's query builder. */
export function asDrizzle(fragment: Fragment): SQL {
  const pieces = fragment.sql.split('?');
  const chunks: SQL[] = [];
  pieces.forEach((piece, i) => {
    if (i > 0) chunks.push(sql`${fragment.params[i - 1]}`);
    chunks.push(sql.raw(piece));
  });
  return sql.join(chunks);
}
