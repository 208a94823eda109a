// A person's home club as a request sets it (POST/PUT/PATCH /api/v1/people, and a user's club list in settings):
// one of the company's clubs, and one the caller may see. Anything else answers 422 `unknown_club`, the same for
// another company's club as for a club the caller is not allowed in, so neither confirms it exists.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { clubVisible, type Scope } from '#common/scope';
import { requireClubs } from '../clubs/service';
import type { Db } from '../db/client';
import { clubs } from '../db/schema';
import { ApiError } from '../errors';

export const unknownClub = (id: string) =>
  new ApiError(422, 'unknown_club', `club_id: "${id}" is not one of this company's clubs that you may see`);

/** 422 `unknown_club` unless every id is a club of the company (clubs/service.ts) that this scope may see. */
export async function checkClubs(db: Db, companyId: string, scope: Scope, ids: readonly string[]): Promise<void> {
  const outside = ids.find((id) => !clubVisible(scope, id));
  if (outside !== undefined) throw unknownClub(outside);
  await requireClubs(db, companyId, ids);
}

/**
 * The club a new person goes in when the request names none: a club-limited caller's first club (in the order
 * the company added them), so they can see whom they just added; else undefined, and the database's trigger
 * (migrations/0015) puts them in the company's first club.
 */
export async function defaultClub(db: Db, companyId: string, scope: Scope): Promise<string | undefined> {
  if (scope.clubIds === null) return undefined;
  const row = await db
    .select({ id: clubs.id })
    .from(clubs)
    .where(and(eq(clubs.companyId, companyId), inArray(clubs.id, [...scope.clubIds])))
    .orderBy(asc(clubs.createdAt), asc(clubs.id))
    .limit(1)
    .get();
  return row?.id;
}
