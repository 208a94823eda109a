// Notes and messages stored before a person's erasure keep their type, time and status but no text
// (worker/people/erasure.ts): they say why they are empty instead of showing a bare "[text]".

export const ERASED_TEXT = 'Erased at their request';

/** Whether something that happened at `occurredAt` predates the person's (latest) erasure. */
export function beforeErasure(occurredAt: string, erasedAt: string | null | undefined): boolean {
  if (!erasedAt) return false;
  return Date.parse(occurredAt) <= Date.parse(erasedAt);
}
