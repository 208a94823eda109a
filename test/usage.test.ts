// GET /api/v1/whatsapp/usage: per day (in the company's timezone), sent and delivered by billing category.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { companies, historyNotes } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { localDate } from '../worker/usage/service';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';
import { approvedTemplate, renewalTemplate } from './helpers/templates';

const usage = async (company: TestCompany, from: string, to: string) => {
  const res = await api(company, 'GET', `/api/v1/whatsapp/usage?from=${from}&to=${to}`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    timezone: string;
    days: ({ date: string } & Record<string, { sent: number; delivered: number }>)[];
    totals: Record<string, { sent: number; delivered: number }>;
  };
};

const zero = { sent: 0, delivered: 0 };

describe('usage by category', () => {
  it('counts sends through the API by category: templates by theirs, free text as service', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    await approvedTemplate(company, renewalTemplate({ name: 'promo', category: 'MARKETING' }));
    await approvedTemplate(company, renewalTemplate());
    const a = await makePerson(company);
    const b = await makePerson(company);
    await sim.configure({ statuses: ['sent', 'delivered'] });
    for (const p of [a, b]) {
      const res = await api(company, 'POST', `/api/v1/people/${p.id}/whatsapp/messages`, {
        template: { name: 'promo', language: 'en_GB', params: ['x', 'y'] },
      });
      expect(res.status).toBe(202);
    }
    await sim.flushWebhooks();
    // Sent, not (yet) delivered.
    await sim.configure({ statuses: ['sent'] });
    await api(company, 'POST', `/api/v1/people/${a.id}/whatsapp/messages`, {
      template: { name: 'class_reminder', language: 'en_GB', params: ['x', 'y'] },
    });
    // Undeliverable: accepted, then failed; neither sent nor delivered.
    await sim.failRecipient(b.phone, 131026);
    await api(company, 'POST', `/api/v1/people/${b.id}/whatsapp/messages`, {
      template: { name: 'class_reminder', language: 'en_GB', params: ['x', 'y'] },
    });
    await sim.inbound({ from: a.phone, text: 'Hi' });
    await sim.configure({ statuses: ['sent', 'delivered', 'read'] });
    expect((await sendText(company, a.id, 'Welcome!')).status).toBe(202);
    await sim.flushWebhooks();

    const today = localDate(Date.now(), 'Europe/London');
    const u = await usage(company, today, today);
    expect(u.timezone).toBe('Europe/London');
    expect(u.days).toEqual([
      {
        date: today,
        marketing: { sent: 2, delivered: 2 },
        utility: { sent: 1, delivered: 0 },
        authentication: zero,
        service: { sent: 1, delivered: 1 },
      },
    ]);
    expect(u.totals).toEqual({
      marketing: { sent: 2, delivered: 2 },
      utility: { sent: 1, delivered: 0 },
      authentication: zero,
      service: { sent: 1, delivered: 1 },
    });
  });

  it("puts each message on the company's own day, and lists every day of the range", async () => {
    const company = await makeCompany();
    await getDb(env).update(companies).set({ timezone: 'America/New_York' }).where(eq(companies.id, company.id));
    const person = await makePerson(company);
    const note = (occurredAt: number, category: 'marketing' | 'utility', status: string) => ({
      id: newId('his'),
      companyId: company.id,
      personId: person.id,
      type: 'whatsapp_sent' as const,
      messageType: 'template',
      status,
      category,
      occurredAt,
    });
    await getDb(env)
      .insert(historyNotes)
      .values([
        // 03:30 UTC on 30 September is 23:30 on the 29th in New York (EDT, UTC-4).
        note(Date.parse('2025-09-30T03:30:00Z'), 'marketing', 'delivered'),
        note(Date.parse('2025-09-30T04:30:00Z'), 'marketing', 'read'),
        note(Date.parse('2025-10-01T12:00:00Z'), 'utility', 'sent'),
        // 01:00 on 2 October in New York: after the range, though within a day of it in UTC.
        note(Date.parse('2025-10-02T05:00:00Z'), 'utility', 'delivered'),
        // 23:00 on 28 September in New York: before the range.
        note(Date.parse('2025-09-29T03:00:00Z'), 'utility', 'delivered'),
      ]);
    const u = await usage(company, '2025-09-29', '2025-10-01');
    expect(u.days.map((d) => [d.date, d.marketing, d.utility])).toEqual([
      ['2025-09-29', { sent: 1, delivered: 1 }, zero],
      ['2025-09-30', { sent: 1, delivered: 1 }, zero],
      ['2025-10-01', zero, { sent: 1, delivered: 0 }],
    ]);
  });

  it("refuses a reversed or too long range, and counts only the company's own", async () => {
    const company = await makeCompany();
    await expectError(
      await api(company, 'GET', '/api/v1/whatsapp/usage?from=2025-10-02&to=2025-10-01'),
      422,
      'validation_failed',
    );
    await expectError(
      await api(company, 'GET', '/api/v1/whatsapp/usage?from=2025-01-01&to=2025-12-31'),
      422,
      'validation_failed',
    );
    await expectError(
      await api(company, 'GET', '/api/v1/whatsapp/usage?from=yesterday&to=2025-10-01'),
      422,
      'validation_failed',
    );
    const other = await makeCompany();
    const u = await usage(other, '2025-09-29', '2025-10-01');
    expect(u.totals.marketing).toEqual(zero);
  });
});
