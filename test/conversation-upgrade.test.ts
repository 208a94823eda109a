// A conversation object created by the first deploy keeps its tables until it is upgraded in place: today's
// code must bring them to today's shape and go on sending, including a message queued before the upgrade.
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { expectError, historyOf, inWindow, sendHeldByThrottling, sendText } from './helpers/sandbox';

// The conversation object's tables exactly as its first version created them (no `phone`, `internal_failures`,
// `outcome` on the outbox, no `created_at` on outbound). Copied from history on purpose: never "fix" it.
const FIRST_VERSION_DDL = `
  CREATE TABLE IF NOT EXISTS outbox (
    message_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, person_id TEXT NOT NULL, sale_type TEXT NOT NULL,
    content TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS outbound (
    message_id TEXT PRIMARY KEY, wamid TEXT UNIQUE, person_id TEXT NOT NULL, sale_type TEXT NOT NULL,
    status TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS orphan_statuses (
    wamid TEXT NOT NULL, status TEXT NOT NULL, payload TEXT NOT NULL, received_at INTEGER NOT NULL,
    PRIMARY KEY (wamid, status));
`;

describe('a conversation object created by the first deploy', () => {
  it('is upgraded in place: it sends through the API and finishes the message it had queued', async () => {
    const { company, sim, person, stub } = await inWindow();

    // A message Meta throttled, waiting for its retry (its history note is real, in D1).
    const queued = { id: await sendHeldByThrottling(company, sim, person.id, 'queued before the upgrade') };
    expect(await sim.listMessages()).toHaveLength(0);

    // Turn the object's storage back into the first version's: its tables, and the waiting message as that
    // version stored it. Nothing records a schema version (the first deploy had none).
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const row = sql
        .exec<{ content: string; person_id: string; sale_type: string }>(
          'SELECT content, person_id, sale_type FROM outbox WHERE message_id = ?',
          queued.id,
        )
        .one();
      for (const table of sql
        .exec<{ name: string }>(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`,
        )
        .toArray())
        sql.exec(`DROP TABLE ${table.name}`);
      sql.exec(FIRST_VERSION_DDL);
      sql.exec(
        `INSERT INTO outbox (message_id, seq, person_id, sale_type, content, state, attempts, next_attempt_at)
         VALUES (?, 1, ?, ?, ?, 'queued', 1, ?)`,
        queued.id,
        row.person_id,
        row.sale_type,
        row.content,
        Date.now(),
      );
      sql.exec(
        `INSERT INTO outbound (message_id, wamid, person_id, sale_type, status) VALUES (?, NULL, ?, ?, 'queued')`,
        queued.id,
        row.person_id,
        row.sale_type,
      );
    });
    await evictDurableObject(stub);

    // Today's code wakes up on those tables.
    const res = await sendText(company, person.id, 'after the upgrade');
    expect(res.status).toBe(202);
    const after = (await res.json()) as { id: string; status: string };

    const received = await sim.listMessages();
    expect(received.map((m) => ({ to: m.to, text: (m.request as { text?: { body: string } }).text?.body }))).toEqual([
      { to: person.phone.replace(/^\+/, ''), text: 'queued before the upgrade' },
      { to: person.phone.replace(/^\+/, ''), text: 'after the upgrade' },
    ]);
    const notes = await historyOf(company, person.id, 'whatsapp_sent');
    expect(notes.find((n) => n.id === queued.id)).toMatchObject({ status: 'sent' });
    expect(notes.find((n) => n.id === after.id)).toMatchObject({ status: 'sent' });
  });
});

describe('a conversation object from before the window moved to D1 (migrations/0030)', () => {
  it('keeps honouring the window it stored, on the first number only, for the phone that wrote', async () => {
    const { company, sim, person, stub } = await inWindow();
    // As the deploys before 0030 left a person who wrote in the last day: the window in the object's own storage
    // (one last-inbound time for the company's first number, the phone it was for), none in D1.
    await env.DB.prepare('DELETE FROM conversation_windows WHERE person_id = ?').bind(person.id).run();
    await runInDurableObject(stub, (_instance, state) => {
      const kv = state.storage.kv;
      kv.put('company_id', company.id);
      kv.put('person_id', person.id);
      kv.put('last_inbound_at', Date.now() - 60 * 60 * 1000);
      kv.put('window_phone', person.phone);
    });
    await evictDurableObject(stub);
    expect((await sendText(company, person.id, 'still in the window')).status).toBe(202);

    // A second number the person is said to have written to last, with no time of theirs kept for it: its window
    // is closed, because Meta counts the window per business number.
    const other = `1068${Math.floor(Math.random() * 1e11)}`;
    const club = await env.DB.prepare('SELECT id FROM clubs WHERE company_id = ?')
      .bind(company.id)
      .first<{ id: string }>();
    await env.DB.prepare(
      `INSERT INTO whatsapp_numbers (id, company_id, club_id, phone_number_id, display_phone_number)
       VALUES ('wan_upgrade_test', ?, ?, ?, '15550100099')`,
    )
      .bind(company.id, club?.id, other)
      .run();
    await env.DB.prepare('UPDATE people SET last_number_id = ? WHERE id = ?').bind(other, person.id).run();
    await expectError(await sendText(company, person.id, 'from the other number'), 409, 'window_closed');
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('closes a stored window whose phone is no longer the person’s, or that is a day old', async () => {
    const { company, sim, person, stub } = await inWindow();
    await env.DB.prepare('DELETE FROM conversation_windows WHERE person_id = ?').bind(person.id).run();
    const legacy = async (phone: string, at: number) => {
      await runInDurableObject(stub, (_instance, state) => {
        state.storage.kv.put('last_inbound_at', at);
        state.storage.kv.put('window_phone', phone);
      });
      await evictDurableObject(stub);
    };
    await legacy('+447700900001', Date.now() - 60 * 60 * 1000);
    await expectError(await sendText(company, person.id, 'to a phone that never wrote'), 409, 'window_closed');
    await legacy(person.phone, Date.now() - 25 * 60 * 60 * 1000);
    await expectError(await sendText(company, person.id, 'a day late'), 409, 'window_closed');
    expect(await sim.listMessages()).toHaveLength(0);
  });
});
