// drizzle over a D1 binding, and the platform's own database. Company data is reached through
// `company-data.ts` (`companyDb`, `companyDatabase`), never through these: see that file for why.
import { drizzle } from 'drizzle-orm/d1';

// Without the schema: we write every query with the query builder (tables imported from ./schema), never with
// drizzle's relational `db.query`, and handing drizzle the schema makes it walk every table and relation each time
// an instance is made. A list route makes one per request for its read-replica session: that walk was 7% of the
// CPU of a person's history page (profiled under load).
const make = (db: D1Database) => drizzle(db);

export type Db = ReturnType<typeof make>;

// One drizzle instance per binding (the binding object lives as long as the isolate) or per session.
const instances = new WeakMap<D1Database, Db>();

/** drizzle over one binding (or a read-replica session's binding), made once. */
export function drizzleOf(d1: D1Database): Db {
  let db = instances.get(d1);
  if (!db) {
    db = make(d1);
    instances.set(d1, db);
  }
  return db;
}

/**
 * The platform's directory: companies (and which WhatsApp number and WABA is whose), users' logins, sessions,
 * API keys, and the sweeps that walk every company. It stays one database however companies are spread, since
 * a request must find its company before it can find that company's database.
 */
export const platformDatabase = (env: { DB: D1Database }): D1Database => env.DB;

/** The platform's directory through drizzle. */
export const platformDb = (env: { DB: D1Database }): Db => drizzleOf(platformDatabase(env));

/** Tests and scripts, which see the one local database whole. Worker code names platform or company instead. */
export const getDb = platformDb;
