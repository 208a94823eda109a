// The migration runner every Durable Object uses for its SQLite tables (worker/durable/schema-versions.ts).
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { addColumn, ddl, migrateSchema, type Schema, storedVersion } from '../worker/durable/schema-versions';
import { INBOX_SCHEMA } from '../worker/realtime/company-inbox';
import { PUSH_SERVICE_SCHEMA, SANDBOX_PUSH_OBJECT } from '../worker/sandbox/push-service';
import { SANDBOX_SCHEMA } from '../worker/sandbox/store';
import { CONVERSATION_SCHEMA } from '../worker/whatsapp/conversation-store';
import { historyOf, inWindow, sendText } from './helpers/sandbox';

/** Some object's storage to run schemas in (the runner does not care which class owns it). */
const someStorage = () => env.CONVERSATION.getByName(`schema-test:${crypto.randomUUID()}`);

const columnsOf = (sql: SqlStorage, table: string) =>
  sql
    .exec<{ name: string }>('SELECT name FROM pragma_table_info(?)', table)
    .toArray()
    .map((c) => c.name);

function recordingSchema(ran: number[]): Schema {
  return {
    name: 'things',
    steps: [
      (sql) => {
        ran.push(1);
        ddl('CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY)')(sql);
      },
      (sql) => {
        ran.push(2);
        addColumn(sql, 'things', 'colour', 'TEXT');
      },
      (sql) => {
        ran.push(3);
        addColumn(sql, 'things', 'size', 'INTEGER NOT NULL DEFAULT 0');
        sql.exec('CREATE INDEX IF NOT EXISTS things_size ON things (size)');
      },
    ],
  };
}

describe('versioned Durable Object storage', () => {
  it('runs each step once, in order, and a later construction runs only the steps added since', async () => {
    await runInDurableObject(someStorage(), (_instance, state) => {
      const ran: number[] = [];
      const schema = recordingSchema(ran);
      const twoSteps = { ...schema, steps: schema.steps.slice(0, 2) };
      expect(migrateSchema(state.storage, twoSteps)).toBe(2);
      expect(ran).toEqual([1, 2]);

      // The same code constructed again: nothing runs.
      expect(migrateSchema(state.storage, twoSteps)).toBe(2);
      expect(ran).toEqual([1, 2]);

      // The next deploy appended a step: only it runs.
      expect(migrateSchema(state.storage, schema)).toBe(3);
      expect(ran).toEqual([1, 2, 3]);
      expect(migrateSchema(state.storage, schema)).toBe(3);
      expect(ran).toEqual([1, 2, 3]);
      expect(columnsOf(state.storage.sql, 'things')).toEqual(['id', 'colour', 'size']);
    });
  });

  it('stamps an object whose tables are already today’s but that stored no version, keeping its rows', async () => {
    await runInDurableObject(someStorage(), (_instance, state) => {
      const sql = state.storage.sql;
      // Made by code from before versions were kept: today's shape written in one CREATE TABLE.
      sql.exec('CREATE TABLE things (id TEXT PRIMARY KEY, colour TEXT, size INTEGER NOT NULL DEFAULT 0)');
      sql.exec(`INSERT INTO things (id, colour, size) VALUES ('a', 'red', 3)`);
      expect(storedVersion(sql, 'things')).toBe(0);

      expect(migrateSchema(state.storage, recordingSchema([]))).toBe(3);
      expect(storedVersion(sql, 'things')).toBe(3);
      expect(columnsOf(sql, 'things')).toEqual(['id', 'colour', 'size']);
      expect(sql.exec('SELECT id, colour, size FROM things').toArray()).toEqual([{ id: 'a', colour: 'red', size: 3 }]);
    });
  });

  it('leaves a step that fails undone, at the version before it, and runs it again next time', async () => {
    await runInDurableObject(someStorage(), (_instance, state) => {
      const sql = state.storage.sql;
      let fail = true;
      const schema: Schema = {
        name: 'things',
        steps: [
          ddl('CREATE TABLE IF NOT EXISTS things (id TEXT PRIMARY KEY)'),
          (s) => {
            addColumn(s, 'things', 'colour', 'TEXT');
            if (fail) throw new Error('step 2 broke half-way');
          },
        ],
      };
      expect(() => migrateSchema(state.storage, schema)).toThrow('step 2 broke half-way');
      expect(storedVersion(sql, 'things')).toBe(1);
      expect(columnsOf(sql, 'things')).toEqual(['id']);

      fail = false;
      expect(migrateSchema(state.storage, schema)).toBe(2);
      expect(columnsOf(sql, 'things')).toEqual(['id', 'colour']);
    });
  });

  it('stamps a conversation object made by today’s code before versions were stored, and it goes on sending', async () => {
    const { company, sim, person, stub } = await inWindow();
    expect((await sendText(company, person.id, 'before')).status).toBe(202);

    // As the previous deploy left it: today's tables, no version.
    await runInDurableObject(stub, (_instance, state) => {
      expect(storedVersion(state.storage.sql, CONVERSATION_SCHEMA.name)).toBe(CONVERSATION_SCHEMA.steps.length);
      state.storage.sql.exec('DROP TABLE _schema');
    });
    await evictDurableObject(stub);

    expect((await sendText(company, person.id, 'after')).status).toBe(202);
    expect(await sim.listMessages()).toHaveLength(2);
    expect((await historyOf(company, person.id, 'whatsapp_sent')).map((n) => n.status)).toEqual(['sent', 'sent']);
    await runInDurableObject(stub, (_instance, state) => {
      expect(storedVersion(state.storage.sql, CONVERSATION_SCHEMA.name)).toBe(CONVERSATION_SCHEMA.steps.length);
    });
  });

  it('makes a conversation object’s tables at its first send, not while the person only writes', async () => {
    const { company, sim, person, stub } = await inWindow();
    const tables = (sql: SqlStorage) =>
      sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('_schema', 'outbox')")
        .toArray()
        .map((t) => t.name)
        .sort();
    await runInDurableObject(stub, (_instance, state) => expect(tables(state.storage.sql)).toEqual([]));
    // A new instance of it (a restart) still has nothing to make, and the window it opened still holds.
    await evictDurableObject(stub);
    expect((await sendText(company, person.id, 'first send')).status).toBe(202);
    await runInDurableObject(stub, (_instance, state) => {
      expect(tables(state.storage.sql)).toEqual(['_schema', 'outbox']);
      expect(storedVersion(state.storage.sql, CONVERSATION_SCHEMA.name)).toBe(CONVERSATION_SCHEMA.steps.length);
    });
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('upgrades a first-version company inbox: its events are still there to catch up, and numbers go on above them', async () => {
    const inbox = env.INBOX.getByName(`schema-test:${crypto.randomUUID()}`);
    await runInDurableObject(inbox, (_i, state) => {
      // As the first version left it: events numbered by AUTOINCREMENT, no `sequence` table, version 1.
      state.storage.sql.exec('DROP TABLE sequence');
      state.storage.sql.exec("UPDATE _schema SET version = 1 WHERE name = 'company_inbox'");
      for (let i = 1; i <= 5; i++)
        state.storage.sql.exec(
          "INSERT INTO events (type, person_id, message_id, at) VALUES ('message', ?, NULL, ?)",
          `per_${i}`,
          Date.now(),
        );
    });
    await evictDurableObject(inbox);
    const next = await inbox.publish({ type: 'message', personId: 'per_new' });
    expect(next).toBeGreaterThan(5);
    const caughtUp = await inbox.since(3);
    expect(caughtUp.events.map((e) => e.person_id)).toEqual(['per_4', 'per_5', 'per_new']);
    await runInDurableObject(inbox, (_i, state) => {
      expect(storedVersion(state.storage.sql, INBOX_SCHEMA.name)).toBe(INBOX_SCHEMA.steps.length);
    });
  });

  it('upgrades a first-version simulator object: it gains the upload tables and still answers', async () => {
    const sandbox = env.META_SANDBOX.getByName(`schema-test:${crypto.randomUUID()}`);
    await sandbox.pushAnswer(`schema-test-${crypto.randomUUID()}`, 410);
    await runInDurableObject(sandbox, (_i, state) => {
      // As the deploy before uploads left it: the simulator's first version only. (Embedded Signup's tables are a
      // schema of their own, made on first use.)
      const sql = state.storage.sql;
      for (const table of ['media_bytes', 'uploads']) sql.exec(`DROP TABLE ${table}`);
      sql.exec("UPDATE _schema SET version = 1 WHERE name = 'meta_sandbox'");
    });
    await evictDurableObject(sandbox);
    await sandbox.pushAnswer(`schema-test-${crypto.randomUUID()}`, 410);
    await runInDurableObject(sandbox, (_i, state) => {
      const sql = state.storage.sql;
      expect(storedVersion(sql, SANDBOX_SCHEMA.name)).toBe(SANDBOX_SCHEMA.steps.length);
      expect(columnsOf(sql, 'uploads')).toContain('media_id');
      expect(columnsOf(sql, 'media_bytes')).toEqual(['id', 'part', 'bytes']);
    });
  });

  it('every object with tables stores the version it is at', async () => {
    const inbox = env.INBOX.getByName(`schema-test:${crypto.randomUUID()}`);
    await inbox.publish({ type: 'message', personId: 'per_x', messageId: 'his_x' });
    await runInDurableObject(inbox, (_i, state) => {
      expect(storedVersion(state.storage.sql, INBOX_SCHEMA.name)).toBe(INBOX_SCHEMA.steps.length);
    });
    const push = env.META_SANDBOX.getByName(SANDBOX_PUSH_OBJECT);
    await push.pushAnswer(`schema-test-${crypto.randomUUID()}`, 410);
    await runInDurableObject(push, (_i, state) => {
      expect(storedVersion(state.storage.sql, SANDBOX_SCHEMA.name)).toBe(SANDBOX_SCHEMA.steps.length);
      expect(storedVersion(state.storage.sql, PUSH_SERVICE_SCHEMA.name)).toBe(PUSH_SERVICE_SCHEMA.steps.length);
    });
  });
});
