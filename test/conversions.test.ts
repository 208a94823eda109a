// Meta's Conversions API for ad leads: LeadSubmitted when a lead comes from an ad, Purchase when they reach a won
// stage, each recorded once per person (whatever redeliveries and races do), reported once (a claim before Meta is
// called; Meta's event_id de-duplicates a retried call), retried with back-off, and shown in the person's history.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { reportConversion } from '../worker/conversions/consumer';
import { getDb } from '../worker/db/client';
import { newId } from '../worker/ids';
import { CONVERSION_RETRY } from '../worker/whatsapp/policy';
import { api, makeCompany, makePerson, type TestCompany, uniquePhone } from './helpers/fixtures';
import { expectError, historyOf } from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { inboundPayload, postWebhook, wamid } from './helpers/webhooks';

vi.setConfig({ testTimeout: 30_000 });

interface EventRow {
  id: string;
  person_id: string;
  event: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  ctwa_clid: string;
}

const datasetId = () => String(Math.floor(1e14 + Math.random() * 9e14));
const dataset = (id: string) => env.META_SANDBOX.getByName(`dataset:${id}`);

async function reportingCompany(settings: Record<string, unknown> = {}) {
  const company = await makeCompany();
  const id = datasetId();
  const res = await api(company, 'PUT', '/api/v1/whatsapp/conversions', { dataset_id: id, ...settings });
  expect(res.status).toBe(200);
  return { company, datasetId: id };
}

function adMessage(company: TestCompany, phone: string, id = wamid()) {
  return inboundPayload(company.phoneNumberId, {
    from: phone,
    id,
    message: {
      type: 'text',
      text: { body: 'Hi, is the offer on?' },
      referral: { source_id: 'ad_capi', source_type: 'ad', headline: 'Offer', ctwa_clid: `clid-${phone.slice(1)}` },
    },
  });
}

/** The person's history notes about Meta events (the Conversions API's among them), newest first. */
async function eventNotes(company: TestCompany, personId: string): Promise<(string | null)[]> {
  return (await historyOf(company, personId)).filter((n) => n.type === 'whatsapp_event').map((n) => n.body);
}

async function eventsOf(personId: string): Promise<EventRow[]> {
  const { results } = await getDb(env)
    .$client.prepare('SELECT * FROM conversion_events WHERE person_id = ?1 ORDER BY event')
    .bind(personId)
    .all<EventRow>();
  return results;
}

async function personIdOf(company: TestCompany, phone: string): Promise<string> {
  const res = await api(company, 'GET', `/api/v1/people?phone=${encodeURIComponent(phone)}`);
  const id = ((await res.json()) as { collection: { id: string }[] }).collection[0]?.id;
  if (!id) throw new Error('no person');
  return id;
}

type Received = {
  data: { event_name: string; event_id: string; user_data: Record<string, string>; custom_data?: object }[];
};
const received = async (id: string) => (await dataset(id).listConversions()).map((r) => r.body as Received);

describe('settings', () => {
  it('admins and API keys set the dataset; others may not; a bad id is refused; the platform admin sets it too', async () => {
    const company = await makeCompany();
    expect(await (await api(company, 'GET', '/api/v1/whatsapp/conversions')).json()).toEqual({
      dataset_id: null,
      currency: 'USD',
      purchase_value: 0,
    });
    await expectError(
      await api(company, 'PUT', '/api/v1/whatsapp/conversions', { dataset_id: 'abc' }),
      422,
      'validation_failed',
    );
    const staff = await staffSession(company);
    await expectError(
      await staff.fetch('/api/v1/whatsapp/conversions', { method: 'PUT', body: { dataset_id: '123' } }),
      403,
      'forbidden',
    );
    const admin = await staffSession(company, 'admin');
    const saved = await admin.fetch('/api/v1/whatsapp/conversions', {
      method: 'PUT',
      body: { dataset_id: '123', currency: 'GBP', purchase_value: 49 },
    });
    expect(saved.status).toBe(200);
    const res = await api(
      { apiKey: '' },
      'PUT',
      `/api/admin/companies/${company.id}/conversions`,
      { dataset_id: null },
      {
        Authorization: `Bearer ${env.PLATFORM_ADMIN_TOKEN}`,
      },
    );
    expect(await res.json()).toEqual({ dataset_id: null, currency: 'GBP', purchase_value: 49 });
  });
});

describe('LeadSubmitted', () => {
  it('is reported once for a lead from an ad, with the click id and the WABA, and shows in their history', async () => {
    const { company, datasetId } = await reportingCompany();
    const phone = uniquePhone();
    const payload = adMessage(company, phone);
    // Meta delivers the same webhook three times, twice at once.
    await Promise.all([postWebhook(payload), postWebhook(payload)]);
    await postWebhook(payload);
    const personId = await personIdOf(company, phone);
    // The queue consumer reports it (the real queue, as deployed).
    await vi.waitFor(async () => expect((await eventsOf(personId))[0]?.state).toBe('sent'), { timeout: 15_000 });
    const events = await eventsOf(personId);
    expect(events.map((e) => [e.event, e.state])).toEqual([['LeadSubmitted', 'sent']]);
    const bodies = await received(datasetId);
    expect(bodies).toHaveLength(1);
    expect(bodies[0]?.data).toEqual([
      {
        event_name: 'LeadSubmitted',
        event_time: expect.any(Number),
        event_id: events[0]?.id,
        action_source: 'business_messaging',
        messaging_channel: 'whatsapp',
        user_data: { whatsapp_business_account_id: company.wabaId, ctwa_clid: `clid-${phone.slice(1)}` },
      },
    ]);
    expect(await eventNotes(company, personId)).toEqual(['Reported to Meta: a new lead from an ad (LeadSubmitted)']);
    // Reporting it again (a redelivered queue message, the sweep) calls Meta no more.
    expect(await reportConversion(env, company.id, events[0]?.id ?? '')).toEqual({ kind: 'skipped' });
    expect(await received(datasetId)).toHaveLength(1);
  });

  it('is not recorded without a dataset, for a member, or for a message from no ad', async () => {
    const plain = await makeCompany();
    const phone = uniquePhone();
    await postWebhook(adMessage(plain, phone));
    expect(await eventsOf(await personIdOf(plain, phone))).toEqual([]);

    const { company } = await reportingCompany();
    const member = await makePerson(company, { status: 'member' });
    await postWebhook(adMessage(company, member.phone));
    expect(await eventsOf(member.id)).toEqual([]);
    const organic = uniquePhone();
    await postWebhook(inboundPayload(company.phoneNumberId, { from: organic, text: 'hello' }));
    expect(await eventsOf(await personIdOf(company, organic))).toEqual([]);
  });
});

describe('Purchase', () => {
  it('is recorded once when an ad lead reaches a won stage, however many moves race, with the company’s value', async () => {
    const { company, datasetId } = await reportingCompany({ currency: 'GBP', purchase_value: 39.5 });
    const phone = uniquePhone();
    await postWebhook(adMessage(company, phone));
    const personId = await personIdOf(company, phone);
    const stages = (
      (await (await api(company, 'GET', '/api/v1/pipeline')).json()) as { stages: { id: string; outcome: string }[] }
    ).stages;
    const won = stages.find((s) => s.outcome === 'won');
    const open = stages.find((s) => s.outcome === 'open' && s !== stages[0]);
    if (!won || !open) throw new Error('stages');
    await Promise.all([
      api(company, 'PATCH', `/api/v1/people/${personId}`, { stage: won.id }),
      api(company, 'PATCH', `/api/v1/people/${personId}`, { stage: won.id }),
    ]);
    // Out of Joined and back in: still one Purchase.
    await api(company, 'PATCH', `/api/v1/people/${personId}`, { stage: open.id });
    await api(company, 'PATCH', `/api/v1/people/${personId}`, { stage: won.id });
    await vi.waitFor(
      async () =>
        expect((await eventsOf(personId)).map((e) => [e.event, e.state])).toEqual([
          ['LeadSubmitted', 'sent'],
          ['Purchase', 'sent'],
        ]),
      { timeout: 15_000 },
    );
    const purchases = (await received(datasetId)).flatMap((b) => b.data).filter((e) => e.event_name === 'Purchase');
    expect(purchases).toHaveLength(1);
    expect(purchases[0]?.custom_data).toEqual({ currency: 'GBP', value: 39.5 });
    expect(await eventNotes(company, personId)).toContain('Reported to Meta: joined (Purchase)');
  });
});

/** An event row made directly (no queue message), so only the test's own calls report it. */
async function pendingEvent(company: TestCompany, id: string): Promise<{ eventId: string; personId: string }> {
  const person = await makePerson(company);
  const eventId = newId('cev');
  await getDb(env)
    .$client.prepare(
      `INSERT INTO conversion_events (id, company_id, person_id, event, dataset_id, ctwa_clid, event_time, next_attempt_at, created_at)
       VALUES (?1, ?2, ?3, 'LeadSubmitted', ?4, 'clid-direct', ?5, ?5, ?5)`,
    )
    .bind(eventId, company.id, person.id, id, Date.now())
    .run();
  return { eventId, personId: person.id };
}

describe('reporting', () => {
  it('calls Meta once for an event, however many consumers report it at once', async () => {
    const { company, datasetId } = await reportingCompany();
    const { eventId } = await pendingEvent(company, datasetId);
    const results = await Promise.all(Array.from({ length: 5 }, () => reportConversion(env, company.id, eventId)));
    expect(results.filter((r) => r.kind === 'sent')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'skipped')).toHaveLength(4);
    expect(await received(datasetId)).toHaveLength(1);
  });

  it('retries with back-off after a throttle or a timeout, sending the same event id, then reports it once', async () => {
    const { company, datasetId } = await reportingCompany();
    const { eventId, personId } = await pendingEvent(company, datasetId);
    await dataset(datasetId).queueFaults([
      { kind: 'http', status: 429, code: 80007, retryAfterSeconds: 90 },
      { kind: 'timeout', hangMs: 2_000 },
    ]);
    const t0 = Date.now();
    const first = await reportConversion(env, company.id, eventId, t0);
    expect(first).toEqual({ kind: 'retry', delayMs: 90_000 });
    // While the back-off runs the row is free to claim again (the queue holds the message back, not the row).
    const second = await reportConversion(env, company.id, eventId);
    expect(second).toMatchObject({ kind: 'retry' });
    const third = await reportConversion(env, company.id, eventId);
    expect(third).toEqual({ kind: 'sent' });
    const [row] = await eventsOf(personId);
    expect(row).toMatchObject({ state: 'sent', attempts: 3 });
    // The timed-out call reached Meta too: both carry the one event id, which Meta counts once.
    const ids = (await received(datasetId)).flatMap((b) => b.data.map((e) => e.event_id));
    expect(ids).toEqual([eventId, eventId]);
    expect(await eventNotes(company, personId)).toEqual(['Reported to Meta: a new lead from an ad (LeadSubmitted)']);
  });

  it('fails for good on an error no retry changes, or after the last try, and says so in the history', async () => {
    const { company, datasetId } = await reportingCompany();
    const refused = await pendingEvent(company, datasetId);
    await dataset(datasetId).queueFaults([{ kind: 'http', status: 400, code: 100, title: 'Invalid parameter' }]);
    expect(await reportConversion(env, company.id, refused.eventId)).toEqual({ kind: 'failed' });
    expect(await eventNotes(company, refused.personId)).toEqual([
      'Not reported to Meta: a new lead from an ad (LeadSubmitted). Invalid parameter (after 1 attempts)',
    ]);

    const flaky = await pendingEvent(company, datasetId);
    await dataset(datasetId).queueFaults(
      Array.from({ length: CONVERSION_RETRY.maxAttempts }, () => ({ kind: 'http' as const, status: 503, code: 2 })),
    );
    const outcomes = [];
    for (let i = 0; i < CONVERSION_RETRY.maxAttempts; i++)
      outcomes.push((await reportConversion(env, company.id, flaky.eventId)).kind);
    expect(outcomes).toEqual([...Array(CONVERSION_RETRY.maxAttempts - 1).fill('retry'), 'failed']);
    expect((await eventsOf(flaky.personId))[0]).toMatchObject({
      state: 'failed',
      attempts: CONVERSION_RETRY.maxAttempts,
    });
  });
});
