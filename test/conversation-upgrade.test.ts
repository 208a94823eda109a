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

describe('a conversation object from before several numbers per company', () => {
  it('keeps its window on the first number, and opens none on a number the person never wrote to', async () => {
    const { company, sim, person, stub } = await inWindow();
    // As the deploy before clubs left it: one last-inbound time (the company's only, first, number), no
    // per-number map, no away-reply mark.
    await runInDurableObject(stub, (_instance, state) => {
      const kv = state.storage.kv;
      expect(kv.get('last_inbound_at')).toEqual(expect.any(Number));
      kv.delete('last_inbound_by_number');
      kv.delete('away_reply_at');
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
});
