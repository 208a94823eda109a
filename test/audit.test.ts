// The audit log's storage rules: append-only, and nothing deleted before it is a year old.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { auditStatement } from '../worker/audit/record';
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
