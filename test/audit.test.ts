// The audit log's storage rules: append-only, nothing deleted before it is a year old, and the daily sweep
// removes what is past the two years it is kept.
import { createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { auditStatement } from '../worker/audit/record';
import { AUDIT_KEEP_MS } from '../worker/audit/retention';
import worker from '../worker/index';
import { CRON } from '../worker/scheduled';
import { makeCompany } from './helpers/fixtures';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
const by = { actor: { kind: 'user' as const, id: 'usr_test', name: 'Sam' }, ip: '203.0.113.9' };

describe('audit log storage', () => {
  it('refuses to change an entry', async () => {
    const company = await makeCompany();
    const insert = auditStatement(env.DB, company.id, by, {
      action: 'user.role_changed',
      target: { type: 'user', id: 'usr_x' },
      details: { from: 'staff', to: 'manager' },
    });
    await insert.run();
    await expect(
      env.DB.prepare("UPDATE audit_log SET actor_name = 'someone else' WHERE company_id = ?").bind(company.id).run(),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses to delete an entry younger than a year, and lets the sweep remove older ones', async () => {
    const company = await makeCompany();
    const now = Date.now();
    const entry = { action: 'api_key.created' as const, target: { type: 'api_key' as const, id: 'key_x' } };
    await env.DB.batch([
      auditStatement(env.DB, company.id, by, entry, now - 10 * 24 * 60 * 60 * 1000),
      auditStatement(env.DB, company.id, by, entry, now - YEAR_MS - 24 * 60 * 60 * 1000),
    ]);
    await expect(
      env.DB.prepare('DELETE FROM audit_log WHERE company_id = ? AND at > ?')
        .bind(company.id, now - YEAR_MS)
        .run(),
    ).rejects.toThrow(/at least a year/);
    await env.DB.prepare('DELETE FROM audit_log WHERE company_id = ? AND at < ?')
      .bind(company.id, now - YEAR_MS)
      .run();
    const left = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE company_id = ?')
      .bind(company.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(1);
  });
});

describe('retention', () => {
  it('the daily sweep deletes entries older than two years, a chunk at a time, and keeps the younger ones', async () => {
    expect(AUDIT_KEEP_MS).toBeGreaterThanOrEqual(2 * YEAR_MS);
    const company = await makeCompany();
    const now = Date.now();
    const DAY = 24 * 60 * 60 * 1000;
    // More than one chunk (1,000) past the limit.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1199)
       INSERT INTO audit_log (id, company_id, at, actor_kind, actor_id, actor_name, ip, action, target_type, target_id)
       SELECT 'aud_old' || i || ?1, ?1, ?2 - i * 1000, 'user', 'usr_x', 'Sam', NULL, 'user.created', 'user', 'usr_y'
         FROM n`,
    )
      .bind(company.id, now - AUDIT_KEEP_MS - DAY)
      .run();
    const entry = { action: 'api_key.created' as const, target: { type: 'api_key' as const, id: 'key_x' } };
    await env.DB.batch([
      auditStatement(env.DB, company.id, by, entry, now - 13 * 30 * DAY),
      auditStatement(env.DB, company.id, by, entry, now - AUDIT_KEEP_MS + DAY),
      auditStatement(env.DB, company.id, by, entry, now - DAY),
    ]);

    await worker.scheduled(createScheduledController({ cron: CRON.daily, scheduledTime: now }), env);

    const left = await env.DB.prepare('SELECT count(*) AS n FROM audit_log WHERE company_id = ?')
      .bind(company.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(3);
  });
});
