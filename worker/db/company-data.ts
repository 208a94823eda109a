// The way to a company's data. Today every company lives in the platform's one D1 database (`env.DB`); when a
// company (or the platform) outgrows it (README, "Capacity"), companies move to databases of their own and only
// this file learns which binding holds which company. Reads for lists go through D1's read replication: a
// session per staff member (its bookmark kept in a cookie, or `X-D1-Bookmark` for API clients) reads from any
// replica at least as new as what that staff member last saw, so reads scale out while writes stay ordered on
// the primary.
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { type Db, drizzleOf } from './client';
import { type Background, commitTogether } from './group-commit';

/**
 * The database that holds this company's rows (the shard boundary: one binding today). Every read and write
 * of a company's people, history, inbox rows, counters, templates, automated items, consent and audit logs,
 * push subscriptions and quick replies goes through here or `companyDb` (`npm run check` refuses `env.DB`
 * anywhere else in worker/); the directory (companies, users, sessions, API keys) is `client.ts`'s
 * `platformDb`.
 */
export function companyDatabase(env: { DB: D1Database }, _companyId: string): D1Database {
  return env.DB;
}

/**
 * Commits a batch of this company's writes, grouped with other requests' batches for the same database
 * (group-commit.ts; the binding's name is the group's key) unless INGEST_GROUP_COMMIT is "off" (wrangler.toml).
 */
export function commitGrouped(
  env: { DB: D1Database; INGEST_GROUP_COMMIT?: string },
  companyId: string,
  statements: D1PreparedStatement[],
  background: Background,
): Promise<D1Result[]> {
  const db = companyDatabase(env, companyId);
  if (env.INGEST_GROUP_COMMIT === 'off') return db.batch(statements);
  return commitTogether(db, 'DB', statements, background);
}

/** The same database through drizzle. */
export const companyDb = (env: { DB: D1Database }, companyId: string): Db => drizzleOf(companyDatabase(env, companyId));

/** What list and inbox reads run on: the company's database, or a read-replica session of it. */
export type ReadDb = Pick<D1Database, 'prepare' | 'batch'>;

/**
 * What these helpers read from a request: the company auth/ found, whether a staff session made it, and the
 * read session they keep. Said here by shape, so db/ imports nothing from the floors above it.
 */
type ReadsEnv = { Bindings: Env; Variables: { auth: { companyId: string }; session?: object; reads?: ReadDb } };

export const BOOKMARK_HEADER = 'X-D1-Bookmark';
const BOOKMARK_COOKIE = 'cc_d1_bookmark';
/** Bookmarks are short opaque strings; anything else is ignored rather than handed to D1. */
const BOOKMARK = /^[\w.:-]{1,200}$/;

/**
 * For GET routes that read lists: a D1 session that starts at the caller's last bookmark (reads its own
 * writes and never goes back in time), and hands the new bookmark back. After a write by this caller the next
 * read starts on the primary, because the conversation objects write to the primary outside this session.
 */
export const readReplica = createMiddleware<ReadsEnv>(async (c, next) => {
  const db = companyDatabase(c.env, c.get('auth').companyId);
  const given = c.req.header(BOOKMARK_HEADER) ?? getCookie(c, BOOKMARK_COOKIE);
  const session = db.withSession(given && BOOKMARK.test(given) ? given : 'first-unconstrained');
  c.set('reads', session);
  await next();
  const bookmark = session.getBookmark();
  if (!bookmark) return;
  c.header(BOOKMARK_HEADER, bookmark);
  if (c.get('session')) setCookie(c, BOOKMARK_COOKIE, bookmark, cookieOptions);
});

const cookieOptions = { path: '/api/', httpOnly: true, secure: true, sameSite: 'Strict' as const };

/** After a staff member's write, their next read starts on the primary (it holds what they just wrote). */
export function readFromPrimaryNext<E extends ReadsEnv>(c: Context<E>): void {
  if (c.get('session')) setCookie(c, BOOKMARK_COOKIE, 'first-primary', cookieOptions);
  c.header(BOOKMARK_HEADER, 'first-primary');
}

/** The database a list route reads from: its read-replica session when `readReplica` ran. */
export const readsOf = <E extends ReadsEnv>(c: Context<E>): ReadDb =>
  c.get('reads') ?? companyDatabase(c.env, c.get('auth').companyId);

/**
 * The same, for drizzle queries. drizzle's D1 driver only calls `prepare` and `batch`, which a session has too;
 * its types name the database class alone, hence the one cast.
 */
export const readDbOf = <E extends ReadsEnv>(c: Context<E>): Db => drizzleOf(readsOf(c) as unknown as D1Database);
