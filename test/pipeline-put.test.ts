// PUT /api/v1/pipeline as the Settings editor uses it: who may change it, won and lost, names, a removed stage
// (not while people are in it or an automated item uses it),
// and a removal racing a lead moved into that stage (one of them wins, nobody is left in a stage that is gone).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { makeItem } from './helpers/automations';
import { api, approveTemplate, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

interface Stage {
  id: string;
  name: string;
  position: number;
  outcome: 'open' | 'won' | 'lost';
}

const stagesOf = async (company: TestCompany): Promise<Stage[]> =>
  ((await (await api(company, 'GET', '/api/v1/pipeline')).json()) as { stages: Stage[] }).stages;

const put = (company: TestCompany, stages: object[]) => api(company, 'PUT', '/api/v1/pipeline', { stages });
const asInput = (s: Stage) => ({ id: s.id, name: s.name, outcome: s.outcome });

describe('the pipeline editor’s rules', () => {
  it('admins mark stages won or lost and swap two; managers and staff read it but may not change it', async () => {
    const company = await makeCompany();
    const [enquiry, tour, trial, joined, lost] = await stagesOf(company);
    if (!enquiry || !tour || !trial || !joined || !lost) throw new Error('five stages');
    const admin = await staffSession(company, 'admin');
    const res = await admin.fetch('/api/v1/pipeline', {
      method: 'PUT',
      body: {
        stages: [
          asInput(enquiry),
          asInput(trial),
          asInput(tour),
          { ...asInput(joined), outcome: 'won' },
          { ...asInput(lost), outcome: 'open' },
          { name: 'Cancelled', outcome: 'lost' },
        ],
      },
    });
    expect(res.status).toBe(200);
    const now = await stagesOf(company);
    expect(now.map((s) => [s.name, s.position, s.outcome])).toEqual([
      ['Enquiry', 0, 'open'],
      ['Trial', 1, 'open'],
      ['Tour booked', 2, 'open'],
      ['Joined', 3, 'won'],
      ['Not interested', 4, 'open'],
      ['Cancelled', 5, 'lost'],
    ]);
    // Kept stages keep their ids (and so their people).
    expect(now[1]?.id).toBe(trial.id);

    for (const role of ['manager', 'staff', 'salesperson'] as const) {
      const user = await staffSession(company, role);
      expect((await user.fetch('/api/v1/pipeline')).status).toBe(200);
      await expectError(
        await user.fetch('/api/v1/pipeline', { method: 'PUT', body: { stages: now.map(asInput) } }),
        403,
        'forbidden',
      );
    }
  });

  it('refuses twelve-plus-one stages, an empty list, the same name twice, a stage of another pipeline', async () => {
    const company = await makeCompany();
    const stages = await stagesOf(company);
    const twelve = [...stages.map(asInput), ...Array.from({ length: 7 }, (_, i) => ({ name: `Step ${i}` }))];
    expect((await put(company, twelve)).status).toBe(200);
    const full = await stagesOf(company);
    expect(full).toHaveLength(12);
    await expectError(await put(company, [...full.map(asInput), { name: 'Thirteen' }]), 422, 'validation_failed');
    await expectError(await put(company, []), 422, 'validation_failed');
    await expectError(await put(company, [{ name: 'Trial' }, { name: ' trial ' }]), 422, 'validation_failed');
    await expectError(await put(company, [{ name: 'x', outcome: 'maybe' }]), 422, 'validation_failed');
    const [foreign] = await stagesOf(await makeCompany());
    await expectError(await put(company, [{ id: foreign?.id, name: 'Theirs' }]), 422, 'unknown_stage');
    expect(await stagesOf(company)).toEqual(full);
  });

  it('removes an empty stage; a stage with people stays until they move, and the inbox filter on a removed one is empty', async () => {
    const company = await makeCompany();
    const stages = await stagesOf(company);
    const [enquiry, tour, trial] = stages;
    if (!enquiry || !tour || !trial) throw new Error('stages');
    const lead = await makePerson(company);
    await api(company, 'PATCH', `/api/v1/people/${lead.id}`, { stage: trial.id });
    const withoutTrial = stages.filter((s) => s.id !== trial.id).map(asInput);
    const refused = await put(company, withoutTrial);
    await expectError(refused, 409, 'stage_in_use');
    await api(company, 'PATCH', `/api/v1/people/${lead.id}`, { stage: tour.id });
    expect((await put(company, withoutTrial)).status).toBe(200);
    expect((await stagesOf(company)).map((s) => s.name)).not.toContain('Trial');
    const listed = await api(company, 'GET', `/api/v1/conversations?stage=${trial.id}`);
    expect(((await listed.json()) as { collection: unknown[] }).collection).toEqual([]);
  });

  it('keeps a stage an automated item waits for or sends to, naming the item', async () => {
    const company = await makeCompany();
    await approveTemplate(company.id, { name: 'come_back' });
    const [, tour, trial] = await stagesOf(company);
    if (!tour || !trial) throw new Error('stages');
    await makeItem(company, {
      name: 'Tour reminder',
      trigger: { event: 'stage_changed', stage_id: tour.id, offset_hours: 2 },
    });
    const nudge = await makeItem(company, {
      name: 'Trial nudge',
      trigger: { event: 'person_created', offset_hours: 1 },
      audience: { stage_ids: [trial.id] },
    });
    const without = async (id: string) => (await stagesOf(company)).filter((s) => s.id !== id).map(asInput);
    const tourGone = await put(company, await without(tour.id));
    await expectError(tourGone, 409, 'stage_in_use');
    const trialGone = await put(company, await without(trial.id));
    expect(((await trialGone.json()) as { error: { message: string } }).error.message).toBe(
      'The automated item “Trial nudge” uses Trial: change it before removing the stage',
    );
    await api(company, 'PATCH', `/api/v1/whatsapp/automations/${nudge.id}`, { audience: null });
    expect((await put(company, await without(trial.id))).status).toBe(200);
  });

  it('a removal and a lead moved into that stage at once: one wins, and nobody is left in a removed stage', async () => {
    for (let round = 0; round < 4; round++) {
      const company = await makeCompany();
      const stages = await stagesOf(company);
      const trial = stages[2];
      if (!trial) throw new Error('stages');
      const lead = await makePerson(company);
      const [removal, move] = await Promise.all([
        put(company, stages.filter((s) => s.id !== trial.id).map(asInput)),
        api(company, 'PATCH', `/api/v1/people/${lead.id}`, { stage: trial.id }),
      ]);
      const left = await stagesOf(company);
      const row = await env.DB.prepare('SELECT stage_id FROM people WHERE id = ?')
        .bind(lead.id)
        .first<{ stage_id: string | null }>();
      // The person's stage always exists: either the removal went and the move was refused, or the reverse.
      expect(left.some((s) => s.id === row?.stage_id)).toBe(true);
      // Exactly one goes: a removal that lost answers 409 stage_in_use; a move that lost, 409 or 422 (stage gone).
      expect([removal.status, move.status].filter((s) => s === 200)).toHaveLength(1);
      expect([409, 422]).toContain(removal.status === 200 ? move.status : removal.status);
      if (removal.status === 200) expect(row?.stage_id).not.toBe(trial.id);
    }
  });
});
