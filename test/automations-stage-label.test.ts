// Automated items whose audience names pipeline stages and labels: the preview and the sweep reach only people in
// one of the stages and wearing one of the labels, unknown ids are refused, and every trigger's walk stays an
// index range with the audience checked on the rows it meets (EXPLAIN QUERY PLAN).
import { describe, expect, it } from 'vitest';
import { candidateQueries } from '../worker/whatsapp/automations/candidates';
import { lookupFor } from '../worker/whatsapp/automations/triggers';
import { ALL_DAY, makeItem, sweepAt } from './helpers/automations';
import { api, approveTemplate, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { expectError } from './helpers/sandbox';

const stagesOf = async (company: TestCompany): Promise<{ id: string }[]> =>
  ((await (await api(company, 'GET', '/api/v1/pipeline')).json()) as { stages: { id: string }[] }).stages;

const makeLabel = async (company: TestCompany, name: string): Promise<string> =>
  ((await (await api(company, 'POST', '/api/v1/labels', { name })).json()) as { id: string }).id;

describe('an automated item for some stages and labels', () => {
  it('previews and sends only to people in one of the stages wearing one of the labels', async () => {
    const company = await makeCompany();
    await approveTemplate(company.id, { name: 'come_back' });
    const [, tour, trial, joined] = await stagesOf(company);
    if (!tour || !trial || !joined) throw new Error('stages');
    const student = await makeLabel(company, 'Student');
    const price = await makeLabel(company, 'Price objection');
    const item = await makeItem(company, {
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: ALL_DAY,
      audience: { stage_ids: [tour.id, trial.id], label_ids: [student, price] },
    });
    const person = async (name: string, stage: string | null, labels: string[]) => {
      const p = await makePerson(company, { first_name: name });
      expect((await api(company, 'PATCH', `/api/v1/people/${p.id}`, { stage })).status).toBe(200);
      await api(company, 'PUT', `/api/v1/people/${p.id}/labels`, { label_ids: labels });
      return p.id;
    };
    const touring = await person('Touring', tour.id, [student]);
    const trialling = await person('Trialling', trial.id, [student, price]);
    await person('Joined', joined.id, [student]);
    await person('Unlabelled', tour.id, []);
    await person('Outside', null, [price]);

    const preview = (await (await api(company, 'POST', `/api/v1/whatsapp/automations/${item.id}/preview`)).json()) as {
      due: number;
      would_send: { person_id: string }[];
    };
    expect(preview.due).toBe(2);
    expect(preview.would_send.map((p) => p.person_id).sort()).toEqual([touring, trialling].sort());
    const swept = await sweepAt(company, item.id, Date.now() + 60_000);
    expect(swept.ids.map((id) => id.split(':')[1]).sort()).toEqual([touring, trialling].sort());

    // The item reads back as it was written; another company's stage or label is refused.
    const read = await api(company, 'GET', `/api/v1/whatsapp/automations/${item.id}`);
    expect(await read.json()).toMatchObject({
      audience: { stage_ids: [tour.id, trial.id], label_ids: [student, price] },
    });
    const other = await makeCompany();
    const [foreign] = await stagesOf(other);
    const patch = (audience: object) => api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, { audience });
    await expectError(await patch({ stage_ids: [foreign?.id] }), 422, 'unknown_stage');
    await expectError(await patch({ label_ids: [await makeLabel(other, 'Theirs')] }), 422, 'unknown_label');
    await expectError(await patch({ stage_ids: [] }), 422, 'validation_failed');

    // A label the item sends to stays until the item no longer names it.
    const deleted = await api(company, 'DELETE', `/api/v1/labels/${price}`);
    await expectError(deleted, 409, 'label_in_use');
    expect((await patch({ stage_ids: [tour.id, trial.id], label_ids: [student] })).status).toBe(200);
    expect((await api(company, 'DELETE', `/api/v1/labels/${price}`)).status).toBe(204);
  });

  it('keeps each trigger’s walk an index range, probing person_labels by its key', async () => {
    const now = Date.UTC(2026, 5, 15, 12);
    const audience = { stage_ids: ['stg_a', 'stg_b'], label_ids: ['lbl_a', 'lbl_b'], statuses: ['lead' as const] };
    const triggers = [
      { event: 'person_created', offset_hours: 2 },
      { event: 'stage_changed', stage_id: 'stg_a', offset_hours: 2 },
      { event: 'no_reply', offset_hours: 24 },
      { event: 'membership_end', offset_days: 3 },
      { event: 'date_of_birth' },
    ] as const;
    for (const trigger of triggers) {
      const lookup = lookupFor(trigger, now, 'Europe/London', ALL_DAY, now - 86_400_000);
      for (const q of candidateQueries('com_x', lookup, audience)) {
        const plan = (await queryPlan({ sql: `SELECT p.id ${q.whereSql}`, params: q.whereArgs })).join('\n');
        expect(plan, trigger.event).toMatch(/^SEARCH p USING (COVERING )?INDEX people_company_/m);
        expect(plan, trigger.event).not.toMatch(/SCAN p|SCAN l|TEMP B-TREE/);
        expect(plan, trigger.event).toMatch(
          /SEARCH l (EXISTS )?USING COVERING INDEX sqlite_autoindex_person_labels_1 \(person_id=\? AND label_id=\?\)/,
        );
      }
    }
  });
});
