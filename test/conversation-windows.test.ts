// Meta's 24-hour window lives in D1 (migrations/0030), written by the batch that stores an inbound message and read
// by the conversation object before each send. These check what staff would notice: a reply goes free-form only
// inside the window, a redelivered old message never reopens it, concurrent messages leave the latest time, and
// the migration opens the windows that were open at the deploy.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';

const HOUR = 60 * 60 * 1000;
const seconds = (ms: number) => Math.floor(ms / 1000);

async function windowsOf(personId: string) {
  const { results } = await env.DB.prepare(
    'SELECT phone_number_id, phone, last_inbound_at FROM conversation_windows WHERE person_id = ?',
  )
    .bind(personId)
    .all<{ phone_number_id: string; phone: string; last_inbound_at: number }>();
  return results;
}

describe('the window in D1', () => {
  it('opens from Meta’s time, keeps the latest of concurrent messages, and a late redelivery never reopens it', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const now = Date.now();
    // Eight messages at once, from 30 hours ago up to 2 hours ago, in no order.
    const times = [30, 2, 27, 9, 25, 4, 26, 6].map((h) => seconds(now - h * HOUR));
    await Promise.all(times.map((t) => sim.inbound({ from: person.phone, text: `at ${t}`, timestampSeconds: t })));
    expect(await windowsOf(person.id)).toEqual([
      { phone_number_id: company.phoneNumberId, phone: person.phone, last_inbound_at: Math.max(...times) * 1000 },
    ]);
    expect((await sendText(company, person.id, 'inside the window')).status).toBe(202);

    // A person whose last word was 25 hours ago: a message from 26 hours ago, delivered now, changes nothing.
    const late = await makePerson(company);
    await sim.inbound({ from: late.phone, text: 'yesterday', timestampSeconds: seconds(now - 25 * HOUR) });
    await sim.inbound({ from: late.phone, text: 'older, redelivered', timestampSeconds: seconds(now - 26 * HOUR) });
    expect((await windowsOf(late.id)).map((w) => w.last_inbound_at)).toEqual([seconds(now - 25 * HOUR) * 1000]);
    await expectError(await sendText(company, late.id, 'too late'), 409, 'window_closed');
  });

  it('is the phone’s that wrote: a new phone starts with a closed window until it writes', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    const next = `+4477009${Math.floor(Math.random() * 1e5)
      .toString()
      .padStart(5, '0')}`;
    await env.DB.prepare('UPDATE people SET phone = ?, wa_id = NULL WHERE id = ?').bind(next, person.id).run();
    await expectError(await sendText(company, person.id, 'to the new phone'), 409, 'window_closed');
    await sim.inbound({ from: next, text: 'my new number' });
    expect((await sendText(company, person.id, 'now it is open')).status).toBe(202);
  });

  it('is gone with an erased person’s data', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    expect(await windowsOf(person.id)).toHaveLength(1);
    expect((await api(company, 'POST', `/api/v1/people/${person.id}/erase`, { confirm: true })).status).toBe(200);
    expect(await windowsOf(person.id)).toEqual([]);
  });
});

describe('migrations/0030 on existing data', () => {
  it('opens the windows that were open at the deploy, from the people mirror, and no others', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const recent = await makePerson(company);
    const stale = await makePerson(company);
    const anHourAgo = seconds(Date.now() - HOUR);
    await sim.inbound({ from: recent.phone, text: 'an hour ago', timestampSeconds: anHourAgo });
    await sim.inbound({ from: stale.phone, text: 'two days ago', timestampSeconds: seconds(Date.now() - 48 * HOUR) });
    // As before the migration: no windows in D1 (the objects kept them), only the people mirror.
    await env.DB.prepare('DELETE FROM conversation_windows WHERE company_id = ?').bind(company.id).run();
    await expectError(await sendText(company, recent.id, 'before the backfill'), 409, 'window_closed');

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0030_'));
    const backfill = migration?.queries.filter((q) => /^INSERT OR IGNORE INTO `conversation_windows`/m.test(q)) ?? [];
    expect(backfill).toHaveLength(1);
    for (const q of backfill) await env.DB.prepare(q).run();

    expect(await windowsOf(recent.id)).toEqual([
      {
        phone_number_id: company.phoneNumberId,
        phone: recent.phone,
        last_inbound_at: anHourAgo * 1000,
      },
    ]);
    expect(await windowsOf(stale.id)).toEqual([]);
    expect((await sendText(company, recent.id, 'after the backfill')).status).toBe(202);
  });
});
