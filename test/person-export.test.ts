// Export on request: one JSON document with everything held about a person, however long their history.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { personExportSchema } from '../worker/people/data-schemas';
import { EXPORT_PAGE } from '../worker/people/export';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

const CONSENT = { method: 'web_form', text: 'Message me on WhatsApp', captured_at: '2025-06-01T09:30:00Z' };

const exportOf = (company: TestCompany, personId: string) => api(company, 'GET', `/api/v1/people/${personId}/export`);

async function exportedAudit(personId: string) {
  const { results } = await env.DB.prepare(
    `SELECT action, actor_kind FROM audit_log WHERE target_type = 'person' AND target_id = ? ORDER BY at, id`,
  )
    .bind(personId)
    .all<{ action: string; actor_kind: string }>();
  return results;
}

describe('exporting a person', () => {
  it('downloads one document: profile, inbox row, consent log, audit entries and every note', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company, {
      first_name: 'Sheena',
      email: 'sheena@example.com',
      whatsapp_consent: CONSENT,
    });
    await sim.inbound({ from: person.phone, text: 'What are your prices?' });
    expect((await sendText(company, person.id, 'From £25 a month')).status).toBe(202);
    await exportOf(company, person.id); // an earlier export: its audit entry is in the next one

    const res = await exportOf(company, person.id);
    expect(res.status).toBe(200);
    const day = new Date().toISOString().slice(0, 10);
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="clubchat-person-${person.id}-${day}.json"`,
    );
    expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    const doc = personExportSchema.parse(await res.json());
    expect(doc).toMatchObject({
      format: 'clubchat.person_export.v1',
      company_id: company.id,
      person: { id: person.id, first_name: 'Sheena', email: 'sheena@example.com', phone: person.phone },
      conversation: { unread_count: 1, opted_out: false },
      consent_log: [{ channel: 'whatsapp', action: 'opt_in', method: 'web_form', text: CONSENT.text }],
      history_count: 2,
    });
    expect(doc.person.counters.whatsapp.membership).toEqual({ sent: 1, received: 1 });
    expect(doc.history.map((n) => [n.direction, n.body])).toEqual([
      ['inbound', 'What are your prices?'],
      ['outbound', 'From £25 a month'],
    ]);
    expect(doc.audit_log).toMatchObject([
      // Made with consent: that entry is about them too.
      { action: 'consent.recorded', actor: { kind: 'api_key' } },
      { action: 'person.exported', actor: { kind: 'api_key' } },
      { action: 'person.exported', actor: { kind: 'api_key' } },
    ]);
    expect(JSON.stringify(doc.audit_log)).not.toMatch(/"ip"/);
  });

  it(`walks a long history ${EXPORT_PAGE} notes at a time and exports every one, oldest first`, async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const total = EXPORT_PAGE * 2 + 3;
    const base = Date.now() - total * 1000;
    const statements = Array.from({ length: total }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO history_notes (id, company_id, person_id, type, message_type, body, status, occurred_at, created_at)
         VALUES (?, ?, ?, 'whatsapp_received', 'text', ?, 'received', ?, ?)`,
      ).bind(`his_bulk${String(i).padStart(5, '0')}`, company.id, person.id, `note ${i}`, base + i * 1000, base),
    );
    for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));

    const doc = personExportSchema.parse(await (await exportOf(company, person.id)).json());
    expect(doc.history_count).toBe(total);
    expect(doc.history.map((n) => n.body)).toEqual(Array.from({ length: total }, (_, i) => `note ${i}`));
  });

  it('is for admins and API keys, within their company, and is audited as person.exported', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const person = await makePerson(company);
    for (const role of ['staff', 'manager'] as const) {
      const session = await staffSession(company, role);
      await expectError(await session.fetch(`/api/v1/people/${person.id}/export`), 403, 'forbidden');
    }
    await expectError(await exportOf(other, person.id), 404, 'not_found');
    expect(await exportedAudit(person.id)).toEqual([]);

    const admin = await staffSession(company, 'admin');
    const res = await admin.fetch(`/api/v1/people/${person.id}/export`);
    expect(res.status).toBe(200);
    expect(personExportSchema.parse(await res.json()).person.id).toBe(person.id);
    expect(await exportedAudit(person.id)).toEqual([{ action: 'person.exported', actor_kind: 'user' }]);
  });

  it('after erasure, holds what was kept: the blanked profile, the consent proof, the audit trail', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company, { first_name: 'Sheena', whatsapp_consent: CONSENT });
    await sim.inbound({ from: person.phone, text: 'Delete everything please' });
    expect((await api(company, 'POST', `/api/v1/people/${person.id}/erase`, { confirm: true })).status).toBe(200);

    const doc = personExportSchema.parse(await (await exportOf(company, person.id)).json());
    expect(doc.person).toMatchObject({
      first_name: 'Erased person',
      phone: person.phone,
      erased_at: expect.any(String),
    });
    expect(doc.consent_log.map((c) => [c.channel, c.action, c.method]).sort()).toEqual([
      ['sms', 'opt_out', 'erasure_request'],
      ['whatsapp', 'opt_in', 'web_form'],
      ['whatsapp', 'opt_out', 'erasure_request'],
    ]);
    expect(doc.audit_log.map((a) => a.action)).toEqual(['consent.recorded', 'person.erased', 'person.exported']);
    expect(JSON.stringify(doc.history)).not.toContain('Delete everything');
  });
});
