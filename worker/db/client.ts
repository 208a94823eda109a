// drizzle over a D1 binding, and the platform's own database. Company data is reached through
// `company-data.ts` (`companyDb`, `companyDatabase`), never through these: see that file for why.
import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

const make = (db: D1Database) => drizzle(db, { schema });

export type Db = ReturnType<typeof make>;

// One drizzle instance per binding: building one walks the whole schema (measured at 2% of the CPU of an
// automated send, which asks for it several times), and the binding object lives as long as the isolate.
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
