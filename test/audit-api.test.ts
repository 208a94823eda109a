// GET /api/v1/audit-log: admins only, newest first, keyset pages, filters by action, target, who and time, each
// an index walk; another company's entries are never seen (404 by id).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, type AuditAction } from '../worker/audit/actions';
import { auditPage } from '../worker/audit/list';
import { type AuditBy, type AuditEntry, auditStatement } from '../worker/audit/record';
import { auditListQuery } from '../worker/audit/schemas';
import { testIp } from './helpers/audit';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { foreignCursor, queryPlan, walkPages } from './helpers/pages';
import { expectError } from './helpers/sandbox';
import { appFetch, staffSession } from './helpers/staff';

interface EntryJson {
  id: string;
  at: string;
  actor: { kind: string; id: string; name: string };
  ip: string | null;
  action: string;
  target: { type: string; id: string; label: string | null };
  details: Record<string, unknown> | null;
}
interface ListJson {
  collection: EntryJson[];
  pagination: { next_cursor: string | null; total_entries?: number };
}

const T = Date.parse('2026-03-01T12:00:00Z');
const MINUTE = 60_000;
const sam: AuditBy = { actor: { kind: 'user', id: 'usr_sam', name: 'Sam' }, ip: '203.0.113.9' };
const crm: AuditBy = { actor: { kind: 'api_key', id: 'key_crm', name: 'CRM' }, ip: '203.0.113.10' };

/** Entries written as the writers write them, one a minute from T, in the order given. */
async function seed(companyId: string, entries: [AuditBy, AuditEntry][]): Promise<void> {
  await env.DB.batch(entries.map(([by, e], i) => auditStatement(env.DB, companyId, by, e, T + i * MINUTE)));
}

const entry = (action: AuditAction, type: AuditEntry['target']['type'], id: string, details = {}): AuditEntry => ({
  action,
  target: { type, id },
  details,
});

/** An admin of the company, reading the log as the app does. */
async function adminOf(company: TestCompany) {
  const admin = await staffSession(company, 'admin');
  return async (query = ''): Promise<ListJson> => {
    const res = await admin.fetch(`/api/v1/audit-log${query ? `?${query}` : ''}`);
    expect(res.status).toBe(200);
    return (await res.json()) as ListJson;
  };
}

describe('who may read it', () => {
  it('admins only: staff and managers are refused, API keys too, and nobody logged out', async () => {
    const company = await makeCompany();
    const [staff, manager] = await Promise.all([staffSession(company), staffSession(company, 'manager')]);
    await expectError(await staff.fetch('/api/v1/audit-log'), 403, 'forbidden');
    await expectError(await manager.fetch('/api/v1/audit-log'), 403, 'forbidden');
    await expectError(await api(company, 'GET', '/api/v1/audit-log'), 403, 'forbidden');
    await expectError(await appFetch('/api/v1/audit-log'), 401, 'unauthorized');
    const me = (await (await manager.fetch('/api/auth/me')).json()) as { permissions: string[] };
    expect(me.permissions).not.toContain('audit');
    const read = await adminOf(company);
    expect(await read()).toEqual({ collection: [], pagination: { next_cursor: null } });
  });
});

describe('the list', () => {
  it('shows a change made in the app, newest first, with who, from where, what and on whom', async () => {
    const company = await makeCompany();
    const person = await makePerson(company, { first_name: 'Sheena', last_name: 'Nelson' });
    const staff = await staffSession(company);
    const ip = testIp();
    await staff.fetch(`/api/v1/people/${person.id}/whatsapp/opt-out`, {
      method: 'POST',
      body: {},
      headers: { 'CF-Connecting-IP': ip },
    });
    const read = await adminOf(company);
    const page = await read();
    expect(page.collection).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        actor: { kind: 'user', id: staff.user.id, name: 'Test staff' },
        ip,
        action: 'person.opted_out',
        target: { type: 'person', id: person.id, label: 'Sheena Nelson' },
        details: { channel: 'whatsapp', method: 'staff', consent_id: expect.stringMatching(/^con_/) },
      },
    ]);
    const one = await (await staffSession(company, 'admin')).fetch(`/api/v1/audit-log/${page.collection[0]?.id}`);
    expect(await one.json()).toEqual(page.collection[0]);
  });

  it('walks every entry once by cursor, newest first, with the total on request', async () => {
    const company = await makeCompany();
    await seed(
      company.id,
      Array.from({ length: 7 }, (_, i) => [sam, entry('template.updated', 'template', `tpl_${i}`, { name: `t${i}` })]),
    );
    const admin = await staffSession(company, 'admin');
    const { ids, pages } = await walkPages((q) => admin.fetch(`/api/v1/audit-log?${q}`), 3);
    expect(pages).toBe(3);
    const first = (await (await admin.fetch('/api/v1/audit-log?per_page=100')).json()) as ListJson;
    expect(ids).toEqual(first.collection.map((e) => e.id));
    expect(first.collection.map((e) => e.target.id)).toEqual([
      'tpl_6',
      'tpl_5',
      'tpl_4',
      'tpl_3',
      'tpl_2',
      'tpl_1',
      'tpl_0',
    ]);
    expect(first.collection[0]?.target.label).toBe('t6');
    const counted = (await (await admin.fetch('/api/v1/audit-log?per_page=2&count=true')).json()) as ListJson;
    expect(counted.pagination.total_entries).toBe(7);
    await expectError(await admin.fetch(`/api/v1/audit-log?cursor=${foreignCursor(['x'])}`), 422, 'invalid_cursor');
  });

  it('filters by one action or several, a target, who, and a time range, also together', async () => {
    const company = await makeCompany();
    await seed(company.id, [
      [sam, entry('user.role_changed', 'user', 'usr_a', { from: 'staff', to: 'manager' })], // T
      [crm, entry('person.opted_out', 'person', 'per_a')], // T+1
      [sam, entry('person.phone_changed', 'person', 'per_a', { from: '+1', to: '+2' })], // T+2
      [crm, entry('api_key.created', 'api_key', 'key_b', { name: 'b' })], // T+3
      [sam, entry('person.exported', 'person', 'per_b')], // T+4
      [sam, entry('person.erased', 'person', 'per_b')], // T+5
      [crm, entry('person.opted_in', 'person', 'per_a')], // T+6
    ]);
    const read = await adminOf(company);
    const actions = async (query: string) => (await read(query)).collection.map((e) => e.action);

    expect(await actions('action=person.opted_out')).toEqual(['person.opted_out']);
    expect(await actions('action=person.opted_in&action=person.opted_out&action=person.erased')).toEqual([
      'person.opted_in',
      'person.erased',
      'person.opted_out',
    ]);
    expect(await actions('action=person.exported&action=person.erased')).toEqual(['person.erased', 'person.exported']);
    expect(await actions('target_type=person&target_id=per_a')).toEqual([
      'person.opted_in',
      'person.phone_changed',
      'person.opted_out',
    ]);
    expect(await actions('actor_id=key_crm')).toEqual(['person.opted_in', 'api_key.created', 'person.opted_out']);
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(await actions(`from=${iso(T + 2 * MINUTE)}&to=${iso(T + 5 * MINUTE)}`)).toEqual([
      'person.exported',
      'api_key.created',
      'person.phone_changed',
    ]);
    // Together: Sam's changes to per_a, and the CRM's opt-outs and opt-ins after T+1.
    expect(await actions('target_type=person&target_id=per_a&actor_id=usr_sam')).toEqual(['person.phone_changed']);
    expect(
      await actions(`action=person.opted_out&action=person.opted_in&actor_id=key_crm&from=${iso(T + 2 * MINUTE)}`),
    ).toEqual(['person.opted_in']);
    // A page of a multi-action filter walks on from its cursor like any other.
    const multi = 'action=person.opted_in&action=person.opted_out&action=person.phone_changed';
    const firstPage = await read(`${multi}&per_page=2`);
    expect(firstPage.collection.map((e) => e.action)).toEqual(['person.opted_in', 'person.phone_changed']);
    const cursor = encodeURIComponent(firstPage.pagination.next_cursor ?? '');
    expect(await actions(`${multi}&per_page=2&cursor=${cursor}`)).toEqual(['person.opted_out']);
  });

  it('filters by any number of actions (D1 takes at most five terms per compound SELECT: the walks nest)', async () => {
    const company = await makeCompany();
    const actions = AUDIT_ACTIONS.slice(0, 12);
    await seed(
      company.id,
      actions.map((a, i) => [sam, entry(a, 'user', `usr_${i}`)]),
    );
    const read = await adminOf(company);
    for (const n of [6, 12]) {
      const { collection } = await read(
        actions
          .slice(0, n)
          .map((a) => `action=${a}`)
          .join('&'),
      );
      expect(collection.map((e) => e.action)).toEqual(actions.slice(0, n).reverse());
    }
    const everything = await read(`${AUDIT_ACTIONS.map((a) => `action=${a}`).join('&')}&per_page=5`);
    expect(everything.collection.map((e) => e.action)).toEqual(actions.slice(-5).reverse());
  });

  it('refuses filters it cannot serve: an unknown action, a target without its type, a backwards range', async () => {
    const company = await makeCompany();
    const admin = await staffSession(company, 'admin');
    const get = (q: string) => admin.fetch(`/api/v1/audit-log?${q}`);
    await expectError(await get('action=person.deleted'), 422, 'validation_failed');
    await expectError(await get('target_id=per_a'), 422, 'validation_failed');
    await expectError(await get('target_type=person'), 422, 'validation_failed');
    await expectError(await get('from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z'), 422, 'validation_failed');
    await expectError(await get('from=yesterday'), 422, 'validation_failed');
  });
});

describe('tenancy', () => {
  it("never shows another company's entries: not in the list, not by filter, 404 by id", async () => {
    const [mine, theirs] = await Promise.all([makeCompany(), makeCompany()]);
    await seed(theirs.id, [[sam, entry('person.opted_out', 'person', 'per_theirs')]]);
    const { results } = await env.DB.prepare('SELECT id FROM audit_log WHERE company_id = ?')
      .bind(theirs.id)
      .all<{ id: string }>();
    const theirId = results[0]?.id ?? '';
    const read = await adminOf(mine);
    expect((await read()).collection).toEqual([]);
    expect((await read('target_type=person&target_id=per_theirs')).collection).toEqual([]);
    expect((await read('actor_id=usr_sam')).collection).toEqual([]);
    const admin = await staffSession(mine, 'admin');
    await expectError(await admin.fetch(`/api/v1/audit-log/${theirId}`), 404, 'not_found');
  });
});

describe('reads are index walks', () => {
  const plan = async (query: Record<string, string | string[]>) => {
    const page = auditPage('com_x', auditListQuery.parse(query));
    return queryPlan({ sql: page.sql, params: page.params });
  };

  it('each filter walks its own index in order; several actions merge one short walk each', async () => {
    const whole = await plan({});
    const byTarget = await plan({ target_type: 'person', target_id: 'per_a', action: 'person.opted_out' });
    const byActor = await plan({ actor_id: 'usr_sam', from: '2026-01-01T00:00:00Z' });
    const byAction = await plan({ action: ['person.opted_out', 'person.opted_in'] });
    expect(whole.join('\n')).toMatch(/audit_log USING COVERING INDEX audit_log_company_at \(company_id=\?\)/);
    expect(byTarget.join('\n')).toMatch(
      /INDEX audit_log_company_target_at \(company_id=\? AND target_type=\? AND target_id=\?\)/,
    );
    expect(byActor.join('\n')).toMatch(/INDEX audit_log_company_actor_at \(company_id=\? AND actor_id=\? AND at>\?\)/);
    expect(
      byAction.join('\n').match(/INDEX audit_log_company_action_at \(company_id=\? AND action=\?\)/g),
    ).toHaveLength(2);
    // The walks read in the index's order and stop at a page; the one sort is of the page shown (its last step).
    for (const p of [whole, byTarget, byActor]) {
      expect(p.slice(0, -1).join('\n')).not.toMatch(/TEMP B-TREE/);
      expect(p.at(-1)).toBe('USE TEMP B-TREE FOR ORDER BY');
    }
  });

  it("a page costs a page, however long the company's log", async () => {
    const company = await makeCompany();
    // 3,000 entries of three actions, one a second.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)
       INSERT INTO audit_log (id, company_id, at, actor_kind, actor_id, actor_name, ip, action, target_type, target_id)
       SELECT 'aud_bulk' || i, ?1, ?2 + i * 1000, 'user', 'usr_' || (i % 7), 'Sam', NULL,
              CASE i % 3 WHEN 0 THEN 'person.opted_out' WHEN 1 THEN 'person.opted_in' ELSE 'user.created' END,
              'person', 'per_' || (i % 50)
         FROM n`,
    )
      .bind(company.id, T)
      .run();
    const cost = async (query: Record<string, string | string[]>) => {
      const page = auditPage(company.id, auditListQuery.parse({ per_page: '25', ...query }));
      const { meta, results } = await env.DB.prepare(page.sql)
        .bind(...page.params)
        .all();
      expect(results).toHaveLength(26);
      return meta.rows_read;
    };
    const queries: Record<string, string | string[]>[] = [
      {},
      { action: 'user.created' },
      { action: ['person.opted_out', 'person.opted_in'] },
      { actor_id: 'usr_3' },
      { target_type: 'person', target_id: 'per_7', action: ['person.opted_in', 'person.opted_out'] },
    ];
    for (const query of queries) expect(await cost(query)).toBeLessThan(200);
  });
});
