// D1 reports a constraint violation only as text ("UNIQUE constraint failed: people.company_id, people.phone"),
// and drizzle wraps it in DrizzleQueryError, so we walk the `cause` chain. We rely on the constraint rather than
// a check-then-insert, which two concurrent requests could both pass.

function violates(err: unknown, constraint: 'UNIQUE' | 'NOT NULL', column: string): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.message.includes(`${constraint} constraint failed`) && e.message.includes(column)) return true;
  }
  return false;
}

export const isUniqueViolation = (err: unknown, column: string): boolean => violates(err, 'UNIQUE', column);

/** A NOT NULL refusal on `column` ("table.column"): how a guard row in a batch says its condition held. */
export const isNotNullViolation = (err: unknown, column: string): boolean => violates(err, 'NOT NULL', column);
