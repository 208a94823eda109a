// Versioned SQLite schemas for Durable Objects, as cloudflare/agents keeps its own (`_ensureSchema`).
//
// An object's storage outlives every deploy: an object created by an older version of the code wakes up
// with that version's tables. So a schema is an ordered list of steps, and each object stores how many it
// has run (table `_schema`, one row per schema name, since one object may hold several: the simulator's
// push service lives in a MetaSandbox). On construction, inside `ctx.blockConcurrencyWhile`, the steps not
// yet run are run once, in order, and the version is stored after each.
//
// RULES
// - Never edit, reorder or remove a step once it has shipped: objects that ran it will never run it again,
//   and objects that did not will run the new text. Change the shape by APPENDING a step.
// - Step 1 is the schema's first version exactly as it shipped; later steps add columns and indexes.
// - Every step must be safe on tables that already have its change: objects deployed before versions were
//   stored have no `_schema` row but may already have today's tables (their DDL was edited in place). Such an
//   object runs every step from 1, which finds the work done and stamps the version. Use `CREATE ... IF NOT
//   EXISTS` and `addColumn` (which checks `PRAGMA table_info` first), never a bare ALTER TABLE ... ADD COLUMN.
//
// The version lives in SQLite, not in `ctx.storage.kv`, so it never meets an object's cached copy of its KV
// scalars (worker/whatsapp/cached-kv.ts), and the step and its version are written together.

export type SchemaStep = (sql: SqlStorage) => void;

export interface Schema {
  /** Unique within an object's storage. */
  name: string;
  /** Step i + 1 brings the tables to version i + 1. */
  steps: readonly SchemaStep[];
}

/** A step that runs fixed DDL (CREATE TABLE / INDEX IF NOT EXISTS). */
export const ddl =
  (text: string): SchemaStep =>
  (sql) => {
    sql.exec(text);
  };

/** Adds a column unless the table has it already (SQLite has no ADD COLUMN IF NOT EXISTS). */
export function addColumn(sql: SqlStorage, table: string, column: string, definition: string): void {
  const has = sql
    .exec<{ name: string }>(`SELECT name FROM pragma_table_info(?)`, table)
    .toArray()
    .some((c) => c.name === column);
  if (!has) sql.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
}

/** The version an object's storage is at for this schema; 0 when none was ever stored. */
export function storedVersion(sql: SqlStorage, name: string): number {
  sql.exec('CREATE TABLE IF NOT EXISTS _schema (name TEXT PRIMARY KEY, version INTEGER NOT NULL)');
  const row = sql.exec<{ version: number }>('SELECT version FROM _schema WHERE name = ?', name).toArray()[0];
  return row?.version ?? 0;
}

/**
 * Runs the steps this storage has not run yet, in order; returns the version reached. Each step and its new
 * version commit in one transaction, so a step that throws leaves the storage at the version before it; the
 * error breaks the constructor, the object is reset and the next request tries again, rather than running
 * on tables it does not understand. Synchronous: under blockConcurrencyWhile no request sees a half-upgrade.
 */
export function migrateSchema(storage: DurableObjectStorage, schema: Schema): number {
  const sql = storage.sql;
  const from = storedVersion(sql, schema.name);
  // Newer than this code (a deploy rolled back): steps only add, so this code still finds what it needs.
  if (from >= schema.steps.length) return from;
  schema.steps.slice(from).forEach((step, i) => {
    storage.transactionSync(() => {
      step(sql);
      sql.exec(
        'INSERT INTO _schema (name, version) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version',
        schema.name,
        from + i + 1,
      );
    });
  });
  return schema.steps.length;
}

/**
 * Whether this storage holds any of these tables (or a stored version): an object that never made its tables
 * can put off migrating until it first needs them (the conversation object: most only ever receive), while one
 * made by any older deploy, versioned or not, is upgraded at construction as before.
 */
export function hasTables(storage: DurableObjectStorage, tables: readonly string[]): boolean {
  const names = ['_schema', ...tables];
  return (
    storage.sql
      .exec(
        `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name IN (${names.map(() => '?').join(', ')}) LIMIT 1`,
        ...names,
      )
      .toArray().length > 0
  );
}
