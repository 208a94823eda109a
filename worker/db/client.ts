import { drizzle } from 'drizzle-orm/d1';
import * as schema from './schema';

const make = (db: D1Database) => drizzle(db, { schema });

export type Db = ReturnType<typeof make>;

// One drizzle instance per binding: building one walks the whole schema (measured at 2% of the CPU of an
// automated send, which asks for it several times), and the binding object lives as long as the isolate.
const instances = new WeakMap<D1Database, Db>();

export const getDb = (env: { DB: D1Database }): Db => {
  let db = instances.get(env.DB);
  if (!db) {
    db = make(env.DB);
    instances.set(env.DB, db);
  }
  return db;
};
