// Broadcasts running: each person once (a sweep fired twice, a queue that redelivers), never to the opted out,
// paused and resumed where it left, cancelled; the report (sent, delivered, read, replied, failed and skipped by
// reason); the frequency cap across broadcasts and automated items, raced; Meta's 131049 a skip of its own.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../worker/db/client';
import { marketingSends } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { processOccurrences } from '../worker/whatsapp/automations/consumer';
import { processRecipients } from '../worker/whatsapp/broadcasts/consumer';
import { sweepAt as sweepItemAt } from './helpers/automations';
import {
  ALL_DAY,
  act,
  getBroadcastJson,
  inAnHour,
  makeBroadcast,
  recipientsOf,
  runAt,
  setUpCompany,
  sweepAt,
} from './helpers/broadcasts';
import { api, approveTemplate, makePerson } from './helpers/fixtures';
import { historyOf } from './helpers/sandbox';

vi.setConfig({ testTimeout: 30_000 });

async function started(company: Awaited<ReturnType<typeof setUpCompany>>['company'], fields = {}) {
  const b = await makeBroadcast(company, fields);
  const res = await act(company, b.id, 'start');
  if (res.status !== 200) throw new Error(`start: ${res.status} ${await res.text()}`);
  return b;
}

describe('a broadcast run', () => {
  it('reaches each person once, never the opted out, however often the cron and the queue repeat', async () => {
    const { company, sim } = await setUpCompany();
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await makePerson(company, { first_name: `P${i}` }));
    const out = await makePerson(company, { first_name: 'Out' });
    await api(company, 'POST', `/api/v1/people/${out.id}/whatsapp/opt-out`, {});
    const b = await started(company);
    expect((await getBroadcastJson(company, b.id)).state).toBe('scheduled');
    // Before its start time the sweep writes no one.
    expect((await sweepAt(company, b.id, Date.now())).result.written).toBe(0);
    const now = inAnHour();
    const [a, c] = await Promise.all([sweepAt(company, b.id, now), sweepAt(company, b.id, now)]);
    expect(a.result.written + c.result.written).toBe(5);
    const ids = [...a.ids, ...c.ids];
    await Promise.all([processRecipients(env, ids, now, company.id), processRecipients(env, ids, now, company.id)]);
    await processRecipients(env, ids, now, company.id);
    const sent = (await sim.listMessages()).map((m) => m.to).sort();
    expect(sent).toEqual(people.map((p) => p.phone.slice(1)).sort());
    const json = await getBroadcastJson(company, b.id);
    expect(json.state).toBe('finished');
    expect(json.report).toMatchObject({ recipients: 5, pending: 0, sent: 4, skipped: { opted_out: 1 } });
    const note = (await historyOf(company, people[0]?.id ?? ''))[0];
    expect(note?.actor).toMatchObject({ kind: 'broadcast', id: b.id, name: 'Open day' });
  });

  it('outside its send window waits, and goes when the window opens', async () => {
    const { company, sim } = await setUpCompany('UTILITY');
    await makePerson(company);
    // London 09:00-10:00 only; the sweep is run at 03:00 London, then at 09:30.
    const b = await started(company, {
      send_window: { start: '09:00', end: '10:00' },
      start_at: '2030-01-01T00:00:00Z',
    });
    const night = Date.parse('2030-01-02T03:00:00Z');
    expect((await runAt(company, b.id, night)).ids).toEqual([]);
    expect(await sim.listMessages()).toEqual([]);
    await runAt(company, b.id, Date.parse('2030-01-02T09:30:00Z'));
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('paused, claims no one new and resumes where it left; cancelled, skips whoever still waits', async () => {
    const { company, sim } = await setUpCompany('UTILITY');
    for (let i = 0; i < 3; i++) await makePerson(company, { first_name: `P${i}` });
    const b = await started(company);
    const now = inAnHour();
    const { ids } = await sweepAt(company, b.id, now);
    const [first, ...rest] = ids;
    await processRecipients(env, first ? [first] : [], now, company.id);
    expect((await (await act(company, b.id, 'pause')).json()) as { state: string }).toMatchObject({ state: 'paused' });
    // The queue still delivers the rest: nothing goes, and they are handed back for later.
    await processRecipients(env, rest, now, company.id);
    expect(await sim.listMessages()).toHaveLength(1);
    expect((await sweepAt(company, b.id, now)).ids).toEqual([]);
    await act(company, b.id, 'start');
    await runAt(company, b.id, now + 60_000);
    expect(await sim.listMessages()).toHaveLength(3);
    expect((await getBroadcastJson(company, b.id)).state).toBe('finished');

    const other = await started(company);
    const swept = await sweepAt(company, other.id, now);
    expect(swept.ids).toHaveLength(3);
    await act(company, other.id, 'cancel');
    await processRecipients(env, swept.ids, now, company.id);
    expect(await sim.listMessages()).toHaveLength(3);
    const json = await getBroadcastJson(company, other.id);
    expect(json.state).toBe('cancelled');
    expect(json.report?.skipped).toEqual({ cancelled: 3 });
  });

  it('reports delivered, read, replied and failed by reason from the status webhooks', async () => {
    const { company, sim } = await setUpCompany('UTILITY');
    const ann = await makePerson(company, { first_name: 'Ann' });
    await makePerson(company, { first_name: 'Bob' });
    const gone = await makePerson(company, { first_name: 'Gone' });
    await sim.failRecipient(gone.phone, 131026);
    await sim.configure({ statuses: ['sent', 'delivered', 'read'] });
    const b = await started(company);
    await runAt(company, b.id, inAnHour());
    await sim.flushWebhooks();
    await sim.inbound({ from: ann.phone, text: 'See you there' });
    const report = (await getBroadcastJson(company, b.id)).report;
    expect(report).toEqual({
      recipients: 3,
      pending: 0,
      sent: 2,
      delivered: 2,
      read: 2,
      replied: 1,
      failed: { '131026': 1 },
      skipped: {},
    });
  });
});

describe('the frequency cap', () => {
  it('skips a person who already had their marketing templates for the period, and counts a utility one never', async () => {
    const { company, sim } = await setUpCompany();
    const full = await makePerson(company, { first_name: 'Full' });
    const free = await makePerson(company, { first_name: 'Free' });
    const now = Date.now();
    await getDb(env)
      .insert(marketingSends)
      .values(
        [1, 2].map((i) => ({ id: newId('his'), companyId: company.id, personId: full.id, at: now - i * 86_400_000 })),
      );
    const b = await started(company);
    const preview = (await (await act(company, b.id, 'preview')).json()) as { skipped: Record<string, number> };
    expect(preview.skipped).toEqual({ frequency_cap: 1 });
    await runAt(company, b.id, inAnHour());
    expect((await sim.listMessages()).map((m) => m.to)).toEqual([free.phone.slice(1)]);
    expect((await getBroadcastJson(company, b.id)).report?.skipped).toEqual({ frequency_cap: 1 });
  });

  it('a broadcast and an automated item racing for the same person under the cap: exactly one goes', async () => {
    for (let round = 0; round < 3; round++) {
      const { company, sim } = await setUpCompany();
      // The automated item's own MARKETING template, due for the person at once.
      await approveTemplate(company.id, { name: 'come_back', category: 'MARKETING' });
      const itemRes = await api(company, 'POST', '/api/v1/whatsapp/automations', {
        name: 'Welcome',
        template: { name: 'come_back', language: 'en_GB' },
        variables: ['first_name'],
        sale_type: 'membership',
        trigger: { event: 'person_created', offset_hours: 0 },
        send_window: ALL_DAY,
      });
      const item = (await itemRes.json()) as { id: string };
      const person = await makePerson(company, { first_name: 'Racer' });
      // One marketing template already this week: room for one more under the default cap of 2 in 7 days.
      await getDb(env)
        .insert(marketingSends)
        .values({ id: newId('his'), companyId: company.id, personId: person.id, at: Date.now() - 86_400_000 });
      const b = await started(company);
      const now = inAnHour();
      const [broadcast, automation] = await Promise.all([
        sweepAt(company, b.id, now),
        sweepItemAt(company, item.id, now),
      ]);
      await Promise.all([
        processRecipients(env, broadcast.ids, now, company.id),
        processOccurrences(env, automation.ids, now, company.id),
      ]);
      expect(await sim.listMessages()).toHaveLength(1);
      const skippedBroadcast = (await recipientsOf(b.id)).filter((r) => r.reason === 'frequency_cap').length;
      const runs = (await (await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}/runs`)).json()) as {
        collection: { skipped: Record<string, number> }[];
      };
      const skippedItem = runs.collection.reduce((n, r) => n + (r.skipped.frequency_cap ?? 0), 0);
      expect(skippedBroadcast + skippedItem).toBe(1);
    }
  });
});

describe("Meta's 131049", () => {
  it('answered at once: skipped healthy_ecosystem, not retried, and the attempt keeps its place under the cap', async () => {
    const { company, sim } = await setUpCompany();
    const person = await makePerson(company);
    await sim.queueFaults([{ kind: 'http', status: 400, code: 131049 }]);
    const b = await started(company);
    const now = inAnHour();
    const { ids } = await runAt(company, b.id, now);
    await processRecipients(env, ids, now, company.id);
    expect(await sim.sendRequests()).toBe(1);
    const [row] = await recipientsOf(b.id);
    expect(row).toMatchObject({ state: 'skipped', reason: 'healthy_ecosystem' });
    expect((await getBroadcastJson(company, b.id)).report?.skipped).toEqual({ healthy_ecosystem: 1 });
    const ledger = await getDb(env).select().from(marketingSends).all();
    expect(ledger.filter((l) => l.personId === person.id)).toHaveLength(1);
  });

  it('reported later by a status webhook: counted as skipped healthy_ecosystem, not failed', async () => {
    const { company, sim } = await setUpCompany();
    const person = await makePerson(company);
    await sim.failRecipient(person.phone, 131049);
    const b = await started(company);
    await runAt(company, b.id, inAnHour());
    await sim.flushWebhooks();
    expect(await sim.sendRequests()).toBe(1);
    const report = (await getBroadcastJson(company, b.id)).report;
    expect(report).toMatchObject({ sent: 0, failed: {}, skipped: { healthy_ecosystem: 1 } });
  });
});
