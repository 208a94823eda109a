// Settings > Meta Conversions API lists the company's recent events: newest first, a page at a time by cursor,
// each with where it stands (pending, sent, failed and Meta's reason), another company's never, an admin limited
// to clubs only their clubs' people's, and nobody but admins and API keys.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { reportConversion } from '../worker/conversions/consumer';
import { conversionEventsQuery } from '../worker/conversions/events-list';
import { getDb } from '../worker/db/client';
import { newId } from '../worker/ids';
import { makeClub } from './helpers/clubs';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

vi.setConfig({ testTimeout: 30_000 });

const PATH = '/api/v1/whatsapp/conversions/events';

interface ListJson {
  collection: {
    id: string;
    event: string;
    person_name: string;
    state: string;
    attempts: number;
    error: { code: number; title: string } | null;
  }[];
  pagination: { next_cursor?: string | null };
}

async function reportingCompany() {
  const company = await makeCompany();
  const datasetId = String(Math.floor(1e14 + Math.random() * 9e14));
  expect((await api(company, 'PUT', '/api/v1/whatsapp/conversions', { dataset_id: datasetId })).status).toBe(200);
  return { company, datasetId };
}

/** An event row as the inbound batch or a stage change records it, `minutesAgo` old. */
async function eventFor(
  company: TestCompany,
  datasetId: string,
  fields: { firstName: string; minutesAgo: number; event?: 'LeadSubmitted' | 'Purchase'; clubId?: string },
) {
  const person = await makePerson(company, {
    first_name: fields.firstName,
    ...(fields.clubId ? { club_id: fields.clubId } : {}),
  });
  const id = newId('cev');
  const at = Date.now() - fields.minutesAgo * 60_000;
  await getDb(env)
    .$client.prepare(
      `INSERT INTO conversion_events (id, company_id, person_id, event, dataset_id, ctwa_clid, event_time, next_attempt_at, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, 'clid-list', ?6, ?6, ?6)`,
    )
    .bind(id, company.id, person.id, fields.event ?? 'LeadSubmitted', datasetId, at)
    .run();
  return id;
}

const list = async (company: TestCompany, query = '') => {
  const res = await api(company, 'GET', `${PATH}${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ListJson;
};

describe('the recent conversion events', () => {
  it('come newest first, a page at a time, each with its outcome and Meta’s reason', async () => {
    const { company, datasetId } = await reportingCompany();
    const sent = await eventFor(company, datasetId, { firstName: 'Sent', minutesAgo: 30 });
    const failed = await eventFor(company, datasetId, { firstName: 'Failed', minutesAgo: 20, event: 'Purchase' });
    await eventFor(company, datasetId, { firstName: 'Waiting', minutesAgo: 10 });
    expect(await reportConversion(env, company.id, sent)).toEqual({ kind: 'sent' });
    await env.META_SANDBOX.getByName(`dataset:${datasetId}`).queueFaults([
      { kind: 'http', status: 400, code: 100, title: 'Invalid parameter' },
    ]);
    expect(await reportConversion(env, company.id, failed)).toEqual({ kind: 'failed' });
    // Another company's event is never listed.
    const other = await reportingCompany();
    await eventFor(other.company, other.datasetId, { firstName: 'Elsewhere', minutesAgo: 5 });

    const first = await list(company, '?per_page=2');
    expect(first.collection).toMatchObject([
      { person_name: 'Waiting', event: 'LeadSubmitted', state: 'pending', attempts: 0, error: null },
      {
        person_name: 'Failed',
        event: 'Purchase',
        state: 'failed',
        attempts: 1,
        error: { code: 100, title: 'Invalid parameter' },
      },
    ]);
    expect(first.pagination.next_cursor).toEqual(expect.any(String));
    const second = await list(company, `?per_page=2&cursor=${first.pagination.next_cursor}`);
    expect(second.collection).toMatchObject([{ person_name: 'Sent', state: 'sent', attempts: 1, error: null }]);
    expect(second.pagination.next_cursor).toBeNull();
  });

  it('an admin limited to clubs sees their clubs’ people only; managers and staff may not look', async () => {
    const { company, datasetId } = await reportingCompany();
    const north = await makeClub(company, 'North');
    const south = await makeClub(company, 'South');
    await eventFor(company, datasetId, { firstName: 'Northern', minutesAgo: 2, clubId: north });
    await eventFor(company, datasetId, { firstName: 'Southern', minutesAgo: 1, clubId: south });
    const northAdmin = await staffSession(company, 'admin', { clubIds: [north] });
    const seen = (await (await northAdmin.fetch(PATH)).json()) as ListJson;
    expect(seen.collection.map((e) => e.person_name)).toEqual(['Northern']);
    expect((await list(company)).collection.map((e) => e.person_name)).toEqual(['Southern', 'Northern']);
    for (const role of ['manager', 'staff'] as const)
      await expectError(await (await staffSession(company, role)).fetch(PATH), 403, 'forbidden');
    await expectError(await api(company, 'GET', `${PATH}?cursor=not-a-cursor`), 422, 'invalid_cursor');
  });

  it("walks the company's events index in the list's order, one person probe a row, a deep page as cheap", async () => {
    for (const after of [null, [Date.now(), 'cev_x'] as const]) {
      const plan = (await queryPlan(conversionEventsQuery('com_x', UNSCOPED, { after, limit: 20, offset: 0 }))).join(
        '\n',
      );
      expect(plan).toMatch(/conversion_events_company_created \(company_id=\?/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(plan).not.toMatch(/SCAN (p|people)\b/);
    }
  });
});
