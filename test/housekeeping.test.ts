// Tables that only grow are swept daily; an Idempotency-Key past its 24 hours is taken over exactly once.
import { createScheduledController } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../worker/index';
import { CRON } from '../worker/scheduled';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { manualSimulator, sendText } from './helpers/sandbox';

const DAY_MS = 24 * 60 * 60 * 1000;

async function countWhere(sql: string, ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe('the daily sweep', () => {
  it('deletes expired idempotency keys and old dead letters, and keeps the rest', async () => {
    const now = Date.now();
    const company = await makeCompany();
    const insertKey = (key: string, at: number) =>
      env.DB.prepare(
        `INSERT INTO idempotency_keys (company_id, key, request_hash, message_id, created_at) VALUES (?, ?, 'h', 'his_x', ?)`,
      )
        .bind(company.id, key, at)
        .run();
    await insertKey('old', now - 3 * DAY_MS);
    await insertKey('fresh', now - 60_000);
    const insertLetter = (id: string, at: number) =>
      env.DB.prepare(`INSERT INTO webhook_dead_letters (id, raw_body, error, received_at) VALUES (?, '{}', 'x', ?)`)
        .bind(id, at)
        .run();
    await insertLetter('dlq_old_sweep', now - 100 * DAY_MS);
    await insertLetter('dlq_new_sweep', now - DAY_MS);

    await worker.scheduled(createScheduledController({ cron: CRON.daily, scheduledTime: now }), env);

    expect(await countWhere('SELECT count(*) AS n FROM idempotency_keys WHERE company_id = ?', company.id)).toBe(1);
    expect(await countWhere(`SELECT count(*) AS n FROM webhook_dead_letters WHERE id LIKE 'dlq_%_sweep'`)).toBe(1);
    expect(await countWhere(`SELECT count(*) AS n FROM webhook_dead_letters WHERE id = 'dlq_new_sweep'`)).toBe(1);
  });
});

describe('an Idempotency-Key past its 24 hours', () => {
  it('is taken over by one of two concurrent requests: the message goes once', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'hi' });
    const first = await sendText(company, person.id, 'Welcome!', {}).then((r) => r.json());
    expect(first).toMatchObject({ status: 'sent' });
    await env.DB.prepare(
      `INSERT INTO idempotency_keys (company_id, key, request_hash, message_id, created_at) VALUES (?, 'reused', 'old', 'his_old', ?)`,
    )
      .bind(company.id, Date.now() - 2 * DAY_MS)
      .run();

    const send = () =>
      api(
        company,
        'POST',
        `/api/v1/people/${person.id}/whatsapp/messages`,
        { text: 'Again' },
        { 'Idempotency-Key': 'reused' },
      );
    const answers = await Promise.all([send(), send(), send()]);
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { id?: string }[];
    expect(answers.every((r) => r.status === 202)).toBe(true);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    expect((await sim.listMessages()).length).toBe(2);
  });
});

describe('opting out with an optional body', () => {
  it('accepts an empty JSON body, and answers 404 for another company’s person first', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const other = await makeCompany();
    const post = (c: typeof company, body: string) =>
      exports.default.fetch(`http://clubchat.test/api/v1/people/${person.id}/whatsapp/opt-out`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${c.apiKey}`, 'Content-Type': 'application/json' },
        body,
      });
    expect((await post(other, '')).status).toBe(404);
    expect((await post(other, '{"nope":1}')).status).toBe(404);
    expect((await post(company, '{not json')).status).toBe(400);
    expect((await post(company, '{"nope":1}')).status).toBe(422);
    const res = await post(company, '');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ whatsapp_opted_out: true });
  });
});
