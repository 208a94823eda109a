// Reports (worker/reports/) against figures worked out by hand on a fixed week (helpers/report-data.ts): speed to
// lead on the clock and in business hours, conversations per day and by template, category and failure, the
// funnel, templates and automated items; who sees whose figures; and the figures kept right by the real send path.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { at, inbound, insertPerson, MIN, type ReportWorld, reportWorld } from './helpers/report-data';
import { expectError, manualSimulator } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

const WEEK = 'from=2026-03-02&to=2026-03-08';
type Json = Record<string, unknown>;
const dayOf = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
/** Yesterday to tomorrow: today in London, whatever the hour in UTC. */
const AROUND_NOW = `from=${dayOf(-1)}&to=${dayOf(1)}`;

let w: ReportWorld;
beforeAll(async () => {
  w = await reportWorld();
});

async function report(path: string, as?: { fetch: (p: string) => Promise<Response> }): Promise<Json> {
  const res = as ? await as.fetch(`/api/v1/reports/${path}`) : await api(w.company, 'GET', `/api/v1/reports/${path}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Json;
}

const sessionOf = async (user: ReportWorld['sam']) => {
  const { login, sessionCookieOf, appFetch } = await import('./helpers/staff');
  const cookie = sessionCookieOf(await login(user.email));
  return { fetch: (p: string) => appFetch(p, { cookie }) };
};

describe('speed to lead', () => {
  it('median, 90th percentile and within 5 minutes, on the clock and in business hours; unanswered leads listed', async () => {
    const r = await report(`speed-to-lead?${WEEK}`);
    // Answered waits: L1 2 min, L6 3 min, L3 30 min, L4 64 min, L2 8h10m; L5 never (6 leads, 5 answered).
    expect(r.overall).toEqual({
      leads: 6,
      answered: 5,
      median_ms: 30 * MIN,
      p90_ms: (8 * 60 + 10) * MIN,
      within_5_min: 2,
      within_5_min_share: 0.3333,
    });
    // In business hours L2 waited 10 minutes (5 before Leeds closed at 22:00, 5 after it opened at 06:00).
    expect(r.business_hours).toEqual({
      leads: 6,
      answered: 5,
      median_ms: 10 * MIN,
      p90_ms: 64 * MIN,
      within_5_min: 2,
      within_5_min_share: 0.3333,
    });
    const unanswered = r.unanswered as { collection: Json[]; pagination: Json };
    expect(unanswered.collection).toEqual([
      expect.objectContaining({
        person_id: w.leads.l5,
        owner_user_id: w.sam.id,
        owner_name: 'Sam',
        lead_at: at('2026-03-05T09:00:00'),
      }),
    ]);
    expect(unanswered.pagination.next_cursor).toBeNull();
    const byClub = Object.fromEntries((r.by_club as Json[]).map((c) => [c.name, c.overall]));
    expect(byClub['Test Gym']).toMatchObject({ leads: 4, answered: 3, median_ms: 30 * MIN });
    expect(byClub.York).toMatchObject({ leads: 2, answered: 2, median_ms: 3 * MIN, p90_ms: 64 * MIN });
    const byUser = Object.fromEntries((r.by_user as Json[]).map((u) => [u.name, u.overall]));
    expect(byUser).toMatchObject({
      Sam: { leads: 3, answered: 2, median_ms: 2 * MIN },
      Ria: { leads: 2, answered: 2 },
      Mia: { leads: 1, answered: 1, median_ms: 3 * MIN },
    });
  });

  it('a club and a user narrow it; a range outside the week is empty', async () => {
    const york = await report(`speed-to-lead?${WEEK}&club=${w.york}`);
    expect(york.overall).toMatchObject({ leads: 2, answered: 2, median_ms: 3 * MIN });
    const ria = await report(`speed-to-lead?${WEEK}&user=${w.ria.id}`);
    expect(ria).toMatchObject({ user: w.ria.id, overall: { leads: 2, answered: 2, median_ms: 30 * MIN } });
    const empty = await report('speed-to-lead?from=2026-01-01&to=2026-01-31');
    expect(empty.overall).toEqual({
      leads: 0,
      answered: 0,
      median_ms: null,
      p90_ms: null,
      within_5_min: 0,
      within_5_min_share: null,
    });
  });

  it('staff and salespeople see only their own figures, whatever user= says', async () => {
    const sam = await sessionOf(w.sam);
    const own = await report(`speed-to-lead?${WEEK}&user=${w.ria.id}`, sam);
    expect(own).toMatchObject({ user: w.sam.id, overall: { leads: 3, answered: 2 } });
    expect((own.by_user as Json[]).map((u) => u.name)).toEqual(['Sam']);
    const ria = await sessionOf(w.ria);
    expect(await report(`funnel?${WEEK}`, ria)).toMatchObject({ user: w.ria.id, added: 2, won: 1 });
  });

  it('a manager limited to a club sees that club alone', async () => {
    const kim = await staffSession(w.company, 'manager', { clubIds: [w.york] });
    const r = await report(`speed-to-lead?${WEEK}`, kim);
    expect(r).toMatchObject({ user: null, overall: { leads: 2, answered: 2 } });
    const other = await report(`speed-to-lead?${WEEK}&club=${w.leeds}`, kim);
    expect(other.overall).toMatchObject({ leads: 0 });
  });
});

describe('conversations', () => {
  it('received and sent per day, rates, by category and template, failures by reason', async () => {
    const r = await report(`conversations?${WEEK}`);
    expect(r.days).toEqual([
      { date: '2026-03-02', received: 2, sent: 1 },
      { date: '2026-03-03', received: 2, sent: 4 },
      { date: '2026-03-04', received: 2, sent: 0 },
      { date: '2026-03-05', received: 1, sent: 2 },
      { date: '2026-03-06', received: 0, sent: 2 },
      { date: '2026-03-07', received: 0, sent: 0 },
      { date: '2026-03-08', received: 0, sent: 0 },
    ]);
    expect(r.totals).toEqual({
      received: 7,
      sent: 9,
      delivered: 6,
      read: 2,
      failed: 2,
      delivery_rate: 0.6667,
      read_rate: 0.3333,
    });
    expect(r.by_category).toEqual([
      { category: 'service', sent: 7, delivered: 5, read: 1, failed: 1, delivery_rate: 0.7143, read_rate: 0.2 },
      { category: 'marketing', sent: 1, delivered: 0, read: 0, failed: 1, delivery_rate: 0, read_rate: null },
      { category: 'utility', sent: 1, delivered: 1, read: 1, failed: 0, delivery_rate: 1, read_rate: 1 },
    ]);
    expect(r.by_template).toEqual([
      { template: 'class_reminder', sent: 1, delivered: 0, read: 0, failed: 1, delivery_rate: 0, read_rate: null },
      { template: 'welcome_offer', sent: 1, delivered: 1, read: 1, failed: 0, delivery_rate: 1, read_rate: 1 },
    ]);
    expect(r.failures).toEqual([
      { code: '131026', title: 'Message undeliverable', failed: 1 },
      { code: '131049', title: 'Not delivered to keep engagement healthy', failed: 1 },
    ]);
  });

  it("a member of staff's own: what they sent and what their leads sent in", async () => {
    const r = await report(`conversations?${WEEK}`, await sessionOf(w.sam));
    expect(r.totals).toMatchObject({ received: 3, sent: 3, delivered: 2, failed: 1 });
  });

  it("days are the company's own: after the clocks go forward, 23:30 UTC is the next day in London", async () => {
    const lead = await insertPerson(w.company.id, { club: w.leeds, owner: null, createdAt: at('2026-03-30T20:00:00') });
    await inbound(w.company.id, lead, at('2026-03-30T23:30:00'));
    const r30 = await report('conversations?from=2026-03-30&to=2026-03-31');
    expect(r30.days).toEqual([
      { date: '2026-03-30', received: 0, sent: 0 },
      { date: '2026-03-31', received: 1, sent: 0 },
    ]);
  });
});

describe('funnel', () => {
  it('leads added per stage, wins in the range, by owner and source', async () => {
    const r = await report(`funnel?${WEEK}`);
    expect((r.stages as Json[]).map((s) => [s.name, s.leads])).toEqual([
      ['Enquiry', 2],
      ['Tour booked', 1],
      ['Trial', 1],
      ['Joined', 1],
      ['Not interested', 1],
    ]);
    expect(r).toMatchObject({ added: 6, won: 2, win_rate: 0.3333 });
    const byUser = Object.fromEntries((r.by_user as Json[]).map((u) => [String(u.name), [u.added, u.won]]));
    expect(byUser).toEqual({ Sam: [3, 1], Ria: [2, 1], null: [1, 0] });
    const bySource = Object.fromEntries((r.by_source as Json[]).map((s) => [String(s.source), [s.added, s.won]]));
    expect(bySource).toEqual({ whatsapp: [5, 2], api: [1, 0] });
  });
});

describe('templates and automated items', () => {
  it('sent, delivered, read, replied within 48 hours, per template and item', async () => {
    const r = await report(`templates?${WEEK}`);
    expect(r.items).toEqual([
      {
        template: 'class_reminder',
        automation_id: null,
        automation_name: null,
        sent: 1,
        delivered: 0,
        read: 0,
        replied: 0,
        delivery_rate: 0,
        read_rate: null,
        reply_rate: 0,
      },
      {
        template: 'welcome_offer',
        automation_id: w.automationId,
        automation_name: 'Welcome',
        sent: 1,
        delivered: 1,
        read: 1,
        replied: 1,
        delivery_rate: 1,
        read_rate: 1,
        reply_rate: 1,
      },
    ]);
  });
});

describe('ranges', () => {
  it('refuses to before from, more than 366 days, and a bad date', async () => {
    await expectError(
      await api(w.company, 'GET', '/api/v1/reports/funnel?from=2026-03-08&to=2026-03-02'),
      422,
      'validation_failed',
    );
    await expectError(
      await api(w.company, 'GET', '/api/v1/reports/funnel?from=2025-01-01&to=2026-01-02'),
      422,
      'validation_failed',
    );
    await expectError(
      await api(w.company, 'GET', '/api/v1/reports/templates?from=2026-02-30&to=2026-03-02'),
      422,
      'validation_failed',
    );
    expect((await api(w.company, 'GET', '/api/v1/reports/funnel?from=2025-01-01&to=2026-01-01')).status).toBe(200);
  });

  it('needs a login or key', async () => {
    const { exports } = await import('cloudflare:workers');
    const res = await exports.default.fetch(`http://clubchat.test/api/v1/reports/funnel?${WEEK}`);
    expect(res.status).toBe(401);
  });
});

describe('kept by the real send path', () => {
  it('an API key’s send is no human reply; a member of staff’s is, once, even when two race', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await sim.inbound({ from: person.phone, text: 'Hi, how much is membership?' });
    const sam = await staffSession(company, 'staff');
    const ria = await staffSession(company, 'staff');
    const send = (s: { fetch: typeof sam.fetch }, text: string) =>
      s.fetch(`/api/v1/people/${person.id}/whatsapp/messages`, { method: 'POST', body: { text } });
    const key = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, { text: 'Auto: thanks!' });
    expect(key.status).toBe(202);
    const [a, b] = await Promise.all([send(sam, 'Hi, Sam here'), send(ria, 'Hi, Ria here')]);
    expect([a.status, b.status]).toEqual([202, 202]);
    await sim.flushWebhooks();
    const row = await env.DB.prepare('SELECT lead_at, first_reply_at, first_reply_by FROM people WHERE id = ?1')
      .bind(person.id)
      .first<{ lead_at: number; first_reply_at: number; first_reply_by: string }>();
    expect(row?.lead_at).not.toBeNull();
    expect([sam.user.id, ria.user.id]).toContain(row?.first_reply_by);
    const res = await api(company, 'GET', `/api/v1/reports/speed-to-lead?${AROUND_NOW}`);
    const r = (await res.json()) as { overall: Json };
    expect(r.overall).toMatchObject({ leads: 1, answered: 1 });
    const conv = (await (await api(company, 'GET', `/api/v1/reports/conversations?${AROUND_NOW}`)).json()) as {
      totals: Json;
    };
    expect(conv.totals).toMatchObject({ received: 1, sent: 3 });
  });

  it('a stage change to a won stage through the API counts as a win once', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const stages = ((await (await api(company, 'GET', '/api/v1/pipeline')).json()) as { stages: Json[] }).stages;
    const joined = stages.find((s) => s.outcome === 'won');
    const trial = stages.find((s) => s.name === 'Trial');
    for (const stage of [joined, trial, joined])
      expect((await api(company, 'PATCH', `/api/v1/people/${person.id}`, { stage: stage?.id })).status).toBe(200);
    const r = (await (await api(company, 'GET', `/api/v1/reports/funnel?${AROUND_NOW}`)).json()) as Json;
    expect(r).toMatchObject({ added: 1, won: 1 });
    expect(r.by_source).toEqual([{ source: 'api', added: 1, won: 1, win_rate: 1 }]);
  });
});
