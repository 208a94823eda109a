// D1 reports a unique-index violation only as text ("UNIQUE constraint failed: people.company_id, people.phone"),
// and drizzle wraps it in DrizzleQueryError, so we walk the `cause` chain. We rely on the constraint rather than
// a check-then-insert, which two concurrent requests could both pass.

export function isUniqueViolation(err: unknown, column: string): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.message.includes('UNIQUE constraint failed') && e.message.includes(column)) return true;
  }
  return false;
}

/** A NOT NULL refusal on `column` ("table.column"): how a guard row in a batch says its condition held. */
export function isNotNullViolation(err: unknown, column: string): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.message.includes('NOT NULL constraint failed') && e.message.includes(column)) return true;
  }
  return false;
}
