// The people directory: GET /api/v1/people, newest first, keyset-paged. Every filter is served by an index in
// the list's own order (migrations/0008_list_indexes.sql, 0013_people_directory.sql, 0015_clubs_and_numbers.sql),
// so a page is an index range read from where the cursor points, at any size of company: status, sale type,
// club, owner and "never messaged" each have one; a search walks the FTS5 index's matches. The caller's scope
// (auth/scope-sql.ts) is one more condition: a club-limited user's one club is the club index's equality.
import { z } from '@hono/zod-openapi';
import { and, count, desc, eq, getTableColumns, isNull, type SQL, sql } from 'drizzle-orm';
import { asDrizzle, scopeArms, scopeCondition } from '../auth/scope-sql';
import type { Db } from '../db/client';
import { people } from '../db/schema';
import { keysetPage, type Pagination, startOf, wantsTotal } from '../pagination';
import type { OwnerFilter } from './list-filters';
import { phoneOrThrow } from './phone-input';
import type { PersonListQuery } from './schemas';
import { searchMatch } from './search';
import type { PersonRow } from './serialize';
import type { Reader } from './service';

/** `people_search` (migrations/0007_inbox_rows.sql): an FTS5 table, so not one of drizzle's. */
const SEARCH = sql`people_search`;
const SEARCH_JOIN = sql`${people.id} = people_search.person_id`;

/** The list's sort key, as a cursor carries it: (created_at, id), newest first. */
const listKey = z.tuple([z.number().int(), z.string().max(64)]);
/** With `q`: the search row's id, newest first (people_search keeps the order people were added in). */
const searchKey = z.tuple([z.number().int()]);

/**
 * The statement for one page of people, built and not run (tests read its query plan); `query.phone` is
 * already E.164. Without `q` it walks, backwards from the cursor, the index whose leading columns are the
 * filter's equalities and then (created_at, id): people_company_created_id, or the status, sale type or
 * never-messaged one; a second filter is checked on the rows that walk meets, still in order, so there is
 * never a sort or an OFFSET walk. With `q` it walks the search index's matches backwards by row id (the order
 * people were added in, which an edit keeps), so even "mar" in a chain of 100,000 stops after a page; a phone
 * or email filter is an equality on its own index, holding a person or two. A salesperson's whole list (their own
 * people, and unowned leads) is two such walks merged in order (scope-sql.ts's arms, UNION ALL), never a walk of
 * the company's people in search of theirs.
 */
export function peoplePageQuery(db: Db, who: Reader, query: PersonListQuery, owner: OwnerFilter | null = null) {
  if (query.q === undefined) {
    const { after, offset, limit } = startOf(query, listKey);
    const keyset = after ? sql`(${people.createdAt}, ${people.id}) < (${after[0]}, ${after[1]})` : undefined;
    const walk = (where: SQL | undefined) =>
      db
        .select({ ...getTableColumns(people), searchRowid: sql<number>`0` })
        .from(people)
        .where(and(where, keyset));
    const arms = owner === null ? scopeArms(who.scope, SCOPE_COLUMNS) : null;
    const [first, second] = arms ?? [];
    if (first && second && arms?.length === 2) {
      const base = filterOf(who, query, owner, false);
      return walk(and(base, asDrizzle(first)))
        .unionAll(walk(and(base, asDrizzle(second))))
        .orderBy(desc(people.createdAt), desc(people.id))
        .limit(limit + 1)
        .offset(offset);
    }
    return walk(filterOf(who, query, owner))
      .orderBy(desc(people.createdAt), desc(people.id))
      .limit(limit + 1)
      .offset(offset);
  }
  const where = filterOf(who, query, owner);
  const { after, offset, limit } = startOf(query, searchKey);
  return db
    .select({ ...getTableColumns(people), searchRowid: sql<number>`people_search.rowid` })
    .from(SEARCH)
    .crossJoin(people)
    .where(and(SEARCH_JOIN, where, after ? sql`people_search.rowid < ${after[0]}` : undefined))
    .orderBy(sql`people_search.rowid DESC`)
    .limit(limit + 1)
    .offset(offset);
}

const SCOPE_COLUMNS = { club: 'people.club_id', owner: 'people.owner_user_id', status: 'people.status' };

/** The query's filters and the reader's scope (left out when the caller walks the scope's arms itself). */
function filterOf(who: Reader, query: PersonListQuery, owner: OwnerFilter | null, scoped = true): SQL | undefined {
  const { companyId } = who;
  const match = query.q === undefined ? undefined : searchMatch(query.q);
  const scope = scoped ? scopeCondition(who.scope, SCOPE_COLUMNS) : null;
  return and(
    eq(people.companyId, companyId),
    query.club !== undefined ? eq(people.clubId, query.club) : undefined,
    query.stage !== undefined ? eq(people.stageId, query.stage) : undefined,
    // people_company_ad_created / people_company_from_ad_created: partial indexes (people from an ad only); the
    // literal IS NOT NULL is what SQLite matches the second by.
    query.ad !== undefined ? eq(people.adSourceId, query.ad) : undefined,
    query.source === 'ad' ? sql`${people.adSourceId} IS NOT NULL` : undefined,
    // Through person_labels' (company, label, person) index: the people wearing it, then their rows.
    query.label !== undefined
      ? sql`${people.id} IN (SELECT person_id FROM person_labels WHERE company_id = ${companyId} AND label_id = ${query.label})`
      : undefined,
    owner === null ? undefined : owner.kind === 'none' ? isNull(people.ownerUserId) : eq(people.ownerUserId, owner.id),
    scope === null ? undefined : asDrizzle(scope),
    query.phone !== undefined ? eq(people.phone, query.phone) : undefined,
    query.email !== undefined ? eq(people.email, query.email.trim().toLowerCase()) : undefined,
    query.status !== undefined ? eq(people.status, query.status) : undefined,
    query.sale_type !== undefined ? eq(people.saleType, query.sale_type) : undefined,
    // A literal, so SQLite can use the partial index that holds exactly these rows.
    query.never_messaged ? sql`${people.hasConversation} = 0` : undefined,
    // people_search keeps company_id too: other companies' matches are dropped before the join.
    match === undefined
      ? undefined
      : match === null
        ? sql`0`
        : sql`people_search MATCH ${match} AND people_search.company_id = ${companyId}`,
  );
}

/** Newest first; a phone in any valid spelling matches its E.164 form; totals only when wanted (pagination.ts). */
export async function listPeople(
  db: Db,
  who: Reader,
  given: PersonListQuery,
  owner: OwnerFilter | null,
): Promise<{ rows: PersonRow[]; pagination: Pagination }> {
  const query =
    given.phone === undefined ? given : { ...given, phone: await phoneOrThrow(db, who.companyId, given.phone) };
  const page = peoplePageQuery(db, who, query, owner);
  const filter = filterOf(who, query, owner);
  const counted = !wantsTotal(query)
    ? undefined
    : query.q === undefined
      ? db.select({ n: count() }).from(people).where(filter)
      : db.select({ n: count() }).from(SEARCH).crossJoin(people).where(and(SEARCH_JOIN, filter));
  const [rows, totals] = await Promise.all([page.all(), counted?.all()]);
  const result = keysetPage(
    rows,
    query,
    (p) => (query.q === undefined ? [p.createdAt, p.id] : [p.searchRowid]),
    totals?.[0]?.n,
  );
  return { rows: result.rows.map(({ searchRowid: _, ...person }) => person), pagination: result.pagination };
}
