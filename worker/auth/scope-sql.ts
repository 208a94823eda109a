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
 * The rows this scope may see, as alternatives ("arms") whose OR is the rule; null when it sees everything. Each
 * arm is equalities a list can walk an index by, in the list's order: a salesperson's are "owned by me" and
 * "owned by nobody, a lead", so a list can merge two ordered index walks (UNION ALL with ORDER BY) instead of
 * walking the whole company. One club is an equality too; several are one JSON parameter (D1 binds at most 100),
 * read with json_each.
 */
export function scopeArms(scope: Scope, cols: ScopeColumns): Fragment[] | null {
  const clubs: Fragment | null =
    scope.clubIds === null
      ? null
      : scope.clubIds.length === 1
        ? { sql: `${cols.club} = ?`, params: [scope.clubIds[0]] }
        : { sql: `${cols.club} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(scope.clubIds)] };
  const withClubs = (arm: Fragment): Fragment =>
    clubs === null ? arm : { sql: `${clubs.sql} AND ${arm.sql}`, params: [...clubs.params, ...arm.params] };
  if (scope.ownOnly === null) return clubs === null ? null : [clubs];
  return [
    withClubs({ sql: `${cols.owner} = ?`, params: [scope.ownOnly] }),
    // The literal 'lead', so the status index's range can serve it.
    withClubs({ sql: `${cols.owner} IS NULL AND ${cols.status} = 'lead'`, params: [] }),
  ];
}

/** The same rule as one condition (the arms' OR); null when the scope sees everything. */
export function scopeCondition(scope: Scope, cols: ScopeColumns): Fragment | null {
  const arms = scopeArms(scope, cols);
  if (arms === null) return null;
  if (arms.length === 1 && arms[0]) return arms[0];
  return { sql: `(${arms.map((a) => `(${a.sql})`).join(' OR ')})`, params: arms.flatMap((a) => a.params) };
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
