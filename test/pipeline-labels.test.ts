// Lead stages and labels: every company's default pipeline, an admin's changes to it, a person's stage with its
// history note and audit entry (once under concurrency), the stage_changed trigger, and labels.

import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import type { CompanyAuth } from '../worker/auth/actor';
import { getDb } from '../worker/db/client';
import { people } from '../worker/db/schema';
import { setStage } from '../worker/pipeline/stage';
import { auditOf } from './helpers/audit';
import { ALL_DAY, makeItem, sweepAt } from './helpers/automations';
import { api, approveTemplate, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, historyOf } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

interface Stage {
  id: string;
  name: string;
  outcome: string;
}

async function stagesOf(company: TestCompany): Promise<Stage[]> {
  const res = await api(company, 'GET', '/api/v1/pipeline');
  expect(res.status).toBe(200);
  return ((await res.json()) as { stages: Stage[] }).stages;
}

const personRow = async (id: string) => getDb(env).select().from(people).where(eq(people.id, id)).get();
const auth = (company: TestCompany): CompanyAuth => ({
  companyId: company.id,
  actor: { kind: 'api_key', id: 'key_test', name: 'test key' },
  scope: UNSCOPED,
});
const by = { actor: { kind: 'api_key' as const, id: 'key_test', name: 'test key' }, ip: null };

describe('the pipeline', () => {
  it('starts with GymSales’ five stages; leads start in the first, members outside it', async () => {
    const company = await makeCompany();
    const stages = await stagesOf(company);
    expect(stages.map((s) => [s.name, s.outcome])).toEqual([
      ['Enquiry', 'open'],
      ['Tour booked', 'open'],
      ['Trial', 'open'],
      ['Joined', 'won'],
      ['Not interested', 'lost'],
    ]);
    const lead = await makePerson(company);
    const member = await makePerson(company, { status: 'member' });
    expect((await personRow(lead.id))?.stageId).toBe(stages[0]?.id);
    expect((await personRow(member.id))?.stageId).toBeNull();
  });

  it('admins rename, reorder and add stages; a stage with people in it stays; staff cannot change it', async () => {
    const company = await makeCompany();
    const [enquiry, tour, trial, joined, lost] = await stagesOf(company);
    if (!enquiry || !tour || !trial || !joined || !lost) throw new Error('five stages');
    const res = await api(company, 'PUT', '/api/v1/pipeline', {
      stages: [
        { id: enquiry.id, name: 'New lead' },
        { name: 'Called back' },
        { id: tour.id, name: 'Tour booked' },
        { id: joined.id, name: 'Joined', outcome: 'won' },
        { id: lost.id, name: 'Not interested', outcome: 'lost' },
      ],
    });
    expect(res.status).toBe(200);
    expect((await stagesOf(company)).map((s) => s.name)).toEqual([
      'New lead',
      'Called back',
      'Tour booked',
      'Joined',
      'Not interested',
    ]);
    expect(await auditOf(company.id, 'pipeline.changed')).toHaveLength(1);

    // Someone is in Tour booked: leaving it out is refused, and nothing changes.
    const lead = await makePerson(company);
    await setStage(env, auth(company), by, (await personRow(lead.id)) as typeof people.$inferSelect, tour.id);
    const without = (await stagesOf(company))
      .filter((s) => s.id !== tour.id)
      .map((s) => ({ id: s.id, name: s.name, outcome: s.outcome }));
    await expectError(await api(company, 'PUT', '/api/v1/pipeline', { stages: without }), 409, 'stage_in_use');
    expect(await stagesOf(company)).toHaveLength(5);

    const tooMany = Array.from({ length: 13 }, (_, i) => ({ name: `Stage ${i}` }));
    await expectError(await api(company, 'PUT', '/api/v1/pipeline', { stages: tooMany }), 422, 'validation_failed');
    const staff = await staffSession(company);
    await expectError(
      await staff.fetch('/api/v1/pipeline', { method: 'PUT', body: { stages: [{ name: 'x' }] } }),
      403,
      'forbidden',
    );
  });

  it('a stage change is a history note and an audit entry; two changes at once from the same stage move it once', async () => {
    const company = await makeCompany();
    const [enquiry, tour, trial] = await stagesOf(company);
    if (!enquiry || !tour || !trial) throw new Error('stages');
    const lead = await makePerson(company);
    const row = (await personRow(lead.id)) as typeof people.$inferSelect;
    const results = await Promise.allSettled([
      setStage(env, auth(company), by, row, tour.id),
      setStage(env, auth(company), by, row, trial.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(rejected?.status === 'rejected' && (rejected.reason as { code?: string }).code).toBe('stage_changed');
    const notes = await historyOf(company, lead.id, 'stage_changed');
    expect(notes).toHaveLength(1);
    expect(notes[0]?.body).toMatch(/^Stage: Enquiry → (Tour booked|Trial) by test key$/);
    expect(await auditOf(company.id, 'person.stage_changed')).toHaveLength(1);
    await expect(setStage(env, auth(company), by, row, 'stg_nope')).rejects.toMatchObject({ code: 'unknown_stage' });
  });
});

describe('labels', () => {
  it('managers add, rename and delete labels (unique names, 50 at most); deleting takes it off everyone', async () => {
    const company = await makeCompany();
    const manager = await staffSession(company, 'manager');
    const made = await manager.fetch('/api/v1/labels', { method: 'POST', body: { name: 'Student', color: 'blue' } });
    expect(made.status).toBe(201);
    const student = (await made.json()) as { id: string };
    await expectError(
      await manager.fetch('/api/v1/labels', { method: 'POST', body: { name: 'Student' } }),
      409,
      'label_name_taken',
    );
    await expectError(
      await manager.fetch('/api/v1/labels', { method: 'POST', body: { name: 'X', color: 'chartreuse' } }),
      422,
      'validation_failed',
    );
    const renamed = await manager.fetch(`/api/v1/labels/${student.id}`, {
      method: 'PATCH',
      body: { name: 'Students' },
    });
    expect(await renamed.json()).toMatchObject({ name: 'Students', color: 'blue' });
    const staff = await staffSession(company);
    await expectError(await staff.fetch('/api/v1/labels', { method: 'POST', body: { name: 'Y' } }), 403, 'forbidden');
    expect(((await (await staff.fetch('/api/v1/labels')).json()) as { collection: unknown[] }).collection).toHaveLength(
      1,
    );

    for (let i = 1; i < 50; i++) await api(company, 'POST', '/api/v1/labels', { name: `L${i}` });
    await expectError(await api(company, 'POST', '/api/v1/labels', { name: 'One too many' }), 409, 'too_many_labels');

    expect((await manager.fetch(`/api/v1/labels/${student.id}`, { method: 'DELETE' })).status).toBe(204);
    const left = await env.DB.prepare('SELECT COUNT(*) AS n FROM person_labels WHERE label_id = ?')
      .bind(student.id)
      .first<{ n: number }>();
    expect(left?.n).toBe(0);
    expect(await auditOf(company.id, 'label.deleted')).toHaveLength(1);
  });
});

describe('stages and labels on people', () => {
  it('PATCH {stage} moves a person, filters find them, and a salesperson cannot see another’s lead to move it', async () => {
    const company = await makeCompany();
    const [, tour] = await stagesOf(company);
    if (!tour) throw new Error('stages');
    const lead = await makePerson(company, { first_name: 'Tess' });
    await makePerson(company, { first_name: 'Other' });
    const res = await api(company, 'PATCH', `/api/v1/people/${lead.id}`, { stage: tour.id });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stage_id: tour.id });
    const listed = await api(company, 'GET', `/api/v1/people?stage=${tour.id}`);
    expect(((await listed.json()) as { collection: { id: string }[] }).collection.map((p) => p.id)).toEqual([lead.id]);
    await expectError(
      await api(company, 'PATCH', `/api/v1/people/${lead.id}`, { stage: 'stg_nope' }),
      422,
      'unknown_stage',
    );
    const out = await api(company, 'PATCH', `/api/v1/people/${lead.id}`, { stage: null });
    expect(await out.json()).toMatchObject({ stage_id: null });
    expect((await historyOf(company, lead.id, 'stage_changed')).map((n) => n.body)).toEqual([
      'Taken out of the pipeline by test key',
      'Stage: Enquiry → Tour booked by test key',
    ]);
  });

  it('PUT labels replaces a person’s labels; the label filter finds them; unknown labels are refused', async () => {
    const company = await makeCompany();
    const make = async (name: string) =>
      ((await (await api(company, 'POST', '/api/v1/labels', { name })).json()) as { id: string }).id;
    const student = await make('Student');
    const price = await make('Price objection');
    const lead = await makePerson(company);
    await makePerson(company);
    const put = await api(company, 'PUT', `/api/v1/people/${lead.id}/labels`, { label_ids: [student, price] });
    expect(((await put.json()) as { labels: { name: string }[] }).labels.map((l) => l.name)).toEqual([
      'Price objection',
      'Student',
    ]);
    const listed = await api(company, 'GET', `/api/v1/people?label=${student}`);
    expect(((await listed.json()) as { collection: { id: string }[] }).collection.map((p) => p.id)).toEqual([lead.id]);
    const again = await api(company, 'PUT', `/api/v1/people/${lead.id}/labels`, { label_ids: [price] });
    expect(((await again.json()) as { labels: { name: string }[] }).labels.map((l) => l.name)).toEqual([
      'Price objection',
    ]);
    expect((await auditOf(company.id, 'person.labels_changed')).map((e) => e.details)).toEqual(
      expect.arrayContaining([
        { added: ['Student', 'Price objection'], removed: [] },
        { added: [], removed: ['Student'] },
      ]),
    );
    await expectError(
      await api(company, 'PUT', `/api/v1/people/${lead.id}/labels`, { label_ids: ['lbl_nope'] }),
      422,
      'unknown_label',
    );
    const other = await makeCompany();
    await expectError(await api(other, 'GET', `/api/v1/people/${lead.id}/labels`), 404, 'not_found');
  });
});

describe('the stage changed trigger', () => {
  it('falls due hours after a person’s stage became the item’s stage, and not for one who moved on', async () => {
    const { company, item, stages } = await (async () => {
      const company = await makeCompany();
      const stages = await stagesOf(company);
      await approveTemplate(company.id, { name: 'come_back' });
      const item = await makeItem(company, {
        trigger: { event: 'stage_changed', stage_id: stages[1]?.id, offset_hours: 2 },
        send_window: ALL_DAY,
      });
      return { company, item, stages };
    })();
    const [, tour, trial] = stages;
    if (!tour || !trial) throw new Error('stages');
    const booked = await makePerson(company, { first_name: 'Booked' });
    const movedOn = await makePerson(company, { first_name: 'Moved' });
    await api(company, 'PATCH', `/api/v1/people/${booked.id}`, { stage: tour.id });
    await api(company, 'PATCH', `/api/v1/people/${movedOn.id}`, { stage: tour.id });
    await api(company, 'PATCH', `/api/v1/people/${movedOn.id}`, { stage: trial.id });
    expect((await sweepAt(company, item.id, Date.now() + 60_000)).ids).toEqual([]);
    const due = await sweepAt(company, item.id, Date.now() + 2 * 3600_000 + 60_000);
    expect(due.ids).toHaveLength(1);
    expect(due.ids[0]).toContain(booked.id);
    await expectError(
      await api(company, 'POST', '/api/v1/whatsapp/automations', {
        name: 'x',
        template: { name: 'come_back', language: 'en_GB' },
        variables: ['first_name'],
        sale_type: 'membership',
        trigger: { event: 'stage_changed', stage_id: 'stg_nope', offset_hours: 1 },
      }),
      422,
      'unknown_stage',
    );
  });
});
