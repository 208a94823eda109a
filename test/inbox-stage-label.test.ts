// The inbox by lead stage and label (GET /api/v1/conversations?stage=&label=): one or several of each, paged by
// cursor; the conversation row's stage mirror (migrations/0022_inbox_stage_filter.sql) kept under every stage
// change and its backfill; each filter read as index walks in the list's order (EXPLAIN QUERY PLAN).
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { type ConversationView, conversationsPage, type LabelPlan } from '../worker/inbox/conversations';
import { encodeCursor } from '../worker/pagination';
import { MAX_STAGES } from '../worker/pipeline/schemas';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { queryPlan, walkPages } from './helpers/pages';
import { expectError, manualSimulator } from './helpers/sandbox';
import { makeUser, staffSession } from './helpers/staff';

interface Stage {
  id: string;
  name: string;
}

const stagesOf = async (company: TestCompany): Promise<Stage[]> =>
  ((await (await api(company, 'GET', '/api/v1/pipeline')).json()) as { stages: Stage[] }).stages;

const makeLabel = async (company: TestCompany, name: string): Promise<string> =>
  ((await (await api(company, 'POST', '/api/v1/labels', { name })).json()) as { id: string }).id;

const setStage = async (company: TestCompany, personId: string, stage: string | null) =>
  expect((await api(company, 'PATCH', `/api/v1/people/${personId}`, { stage })).status).toBe(200);

const setLabels = async (company: TestCompany, personId: string, labelIds: string[]) =>
  expect((await api(company, 'PUT', `/api/v1/people/${personId}/labels`, { label_ids: labelIds })).status).toBe(200);

/** The inbox's person ids for a query, every page walked by cursor (2 a page, so merges cross pages). */
async function inbox(company: TestCompany, query: string, get = (path: string) => api(company, 'GET', path)) {
  const { ids } = await walkPages(
    (q) => get(`/api/v1/conversations?${query}&${q}`),
    2,
    (r) => String(r.person_id),
  );
  return ids;
}

describe('the inbox by stage and label', () => {
  /** Nine people who wrote (newest last), spread over three stages and two labels; one who never wrote. */
  async function chain() {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const [enquiry, tour, trial] = await stagesOf(company);
    if (!enquiry || !tour || !trial) throw new Error('stages');
    const student = await makeLabel(company, 'Student');
    const price = await makeLabel(company, 'Price objection');
    const made: { id: string; stage: string; labels: string[] }[] = [];
    for (let i = 0; i < 9; i++) {
      const stage = [enquiry, tour, trial][i % 3]?.id ?? '';
      const labels = [[student], [price], [student, price], []][i % 4] ?? [];
      const person = await makePerson(company, { first_name: `P${i}` });
      if (stage !== enquiry.id) await setStage(company, person.id, stage);
      if (labels.length) await setLabels(company, person.id, labels);
      await sim.inbound({ from: person.phone.slice(1), text: `Hi ${i}`, name: `P${i}` });
      made.unshift({ id: person.id, stage, labels });
    }
    const quiet = await makePerson(company, { first_name: 'Quiet' });
    await setStage(company, quiet.id, tour.id);
    await setLabels(company, quiet.id, [student]);
    return { company, sim, enquiry, tour, trial, student, price, made };
  }

  it('filters by one or several stages and labels, newest first, page by page', async () => {
    const { company, enquiry, tour, trial, student, price, made } = await chain();
    const expectInbox = async (query: string, keep: (p: (typeof made)[number]) => boolean) =>
      expect(await inbox(company, query), query).toEqual(made.filter(keep).map((p) => p.id));
    await expectInbox(`stage=${tour.id}`, (p) => p.stage === tour.id);
    await expectInbox(`stage=${tour.id},${trial.id}`, (p) => p.stage === tour.id || p.stage === trial.id);
    await expectInbox(`label=${student}`, (p) => p.labels.includes(student));
    // Someone wearing both labels shows once.
    await expectInbox(`label=${student},${price}`, (p) => p.labels.length > 0);
    await expectInbox(
      `stage=${enquiry.id},${trial.id}&label=${price}`,
      (p) => p.stage !== tour.id && p.labels.includes(price),
    );
    await expectInbox(
      `stage=${tour.id}&label=${student}&unread=true`,
      (p) => p.stage === tour.id && p.labels.includes(student),
    );
    // Another company's stage or label, or none at all, matches nobody.
    expect(await inbox(company, 'stage=stg_nowhere')).toEqual([]);
    expect(await inbox(company, 'label=lbl_nowhere')).toEqual([]);
    // Totals with page= count the same rows.
    const paged = (await (
      await api(company, 'GET', `/api/v1/conversations?stage=${tour.id},${trial.id}&page=1&per_page=4`)
    ).json()) as { pagination: { total_entries: number } };
    expect(paged.pagination.total_entries).toBe(6);
    for (const bad of ['stage=a,,b', 'stage=a,', `label=${Array.from({ length: 21 }, (_, i) => `l${i}`).join(',')}`])
      await expectError(await api(company, 'GET', `/api/v1/conversations?${bad}`), 422, 'validation_failed');
  });

  it('follows a stage change and labels put on or taken off at once, and a new row starts in its person’s stage', async () => {
    const { company, sim, tour, trial, student, price, made } = await chain();
    const [first] = made;
    if (!first) throw new Error('people');
    await setStage(company, first.id, trial.id);
    expect(await inbox(company, `stage=${trial.id}`)).toContain(first.id);
    expect(await inbox(company, `stage=${tour.id}`)).not.toContain(first.id);
    await setStage(company, first.id, null);
    expect(await inbox(company, `stage=${trial.id}`)).not.toContain(first.id);

    await setLabels(company, first.id, [price]);
    expect(await inbox(company, `label=${price}`)).toContain(first.id);
    expect(await inbox(company, `label=${student}`)).not.toContain(first.id);
    await setLabels(company, first.id, []);
    expect(await inbox(company, `label=${price},${student}`)).not.toContain(first.id);

    // A lead in Tour booked before they ever wrote: their first message's row is in Tour booked.
    const later = await makePerson(company, { first_name: 'Later' });
    await setStage(company, later.id, tour.id);
    await sim.inbound({ from: later.phone.slice(1), text: 'Hello' });
    expect((await inbox(company, `stage=${tour.id}`))[0]).toBe(later.id);
  });

  it('a first message and a stage change at the same time leave the row in the stage the person is in', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const [, tour] = await stagesOf(company);
    if (!tour) throw new Error('stages');
    const people = await Promise.all([1, 2, 3, 4].map((i) => makePerson(company, { first_name: `R${i}` })));
    await Promise.all(
      people.flatMap((p) => [
        sim.inbound({ from: p.phone.slice(1), text: 'Hi' }),
        api(company, 'PATCH', `/api/v1/people/${p.id}`, { stage: tour.id }),
      ]),
    );
    expect((await inbox(company, `stage=${tour.id}`)).sort()).toEqual(people.map((p) => p.id).sort());
  });

  it('a salesperson filtering by stages sees only their own and unowned leads in them', async () => {
    const { company, tour, trial, made } = await chain();
    const seller = await staffSession(company, 'salesperson');
    const other = await makeUser(company, 'staff');
    const owners = [seller.user.id, other.id, null];
    for (const [i, p] of made.entries())
      await api(company, 'PATCH', `/api/v1/people/${p.id}`, { owner_user_id: owners[i % 3] ?? null });
    const expected = made
      .filter((p, i) => owners[i % 3] !== other.id && (p.stage === tour.id || p.stage === trial.id))
      .map((p) => p.id);
    expect(await inbox(company, `stage=${tour.id},${trial.id}`, (path) => seller.fetch(path))).toEqual(expected);
    // Every stage named, and more walks than D1 takes in one compound SELECT: the same people, newest first.
    const every = (await stagesOf(company)).map((s) => s.id);
    const mine = made.filter((_, i) => owners[i % 3] !== other.id).map((p) => p.id);
    expect(await inbox(company, `stage=${every.join(',')}`, (path) => seller.fetch(path))).toEqual(mine);
  });

  it('the migration backfills the stage of conversation rows written before it', async () => {
    const { company, tour, made } = await chain();
    await env.DB.prepare('UPDATE conversations SET stage_id = NULL WHERE company_id = ?').bind(company.id).run();
    expect(await inbox(company, `stage=${tour.id}`)).toEqual([]);
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0022_'));
    const backfills = migration?.queries.filter((q) => /^UPDATE `conversations` SET `stage_id`/m.test(q)) ?? [];
    expect(backfills).toHaveLength(1);
    for (const q of backfills) await env.DB.prepare(q).run();
    expect(await inbox(company, `stage=${tour.id}`)).toEqual(made.filter((p) => p.stage === tour.id).map((p) => p.id));
  });
});

describe('the plans', () => {
  /** The page's key walk (before its rows are joined and the page's own rows sorted). */
  const keysPlan = async (view: Partial<ConversationView>, labels: LabelPlan = 'broad', query = {}) => {
    const page = conversationsPage(
      'com_x',
      { per_page: 25, ...query },
      Date.now(),
      null,
      { scope: UNSCOPED, owner: null, club: null, ...view },
      labels,
    );
    const [keys] = (await queryPlan({ sql: page.sql, params: page.params })).join('\n').split('SCAN k');
    return keys ?? '';
  };
  const seller = { clubIds: null, ownOnly: 'usr_s' };

  it('walks one stage, or several merged, on conversations_company_stage_last in order', async () => {
    const one = await keysPlan({ stages: ['stg_a'] });
    expect(one).toMatch(/conversations_company_stage_last \(company_id=\? AND stage_id=\?\)/);
    expect(one).not.toMatch(/TEMP B-TREE|SCAN c/);

    const three = await keysPlan({ stages: ['stg_a', 'stg_b', 'stg_c'] });
    expect(three).toMatch(/MERGE \(UNION ALL\)/);
    expect(three.match(/conversations_company_stage_last \(company_id=\? AND stage_id=\?\)/g)).toHaveLength(3);
    expect(three).not.toMatch(/TEMP B-TREE|SCAN c/);

    // A salesperson's two walks times two stages: four ordered walks, merged.
    const sold = await keysPlan({ scope: seller, stages: ['stg_a', 'stg_b'] });
    expect(sold).toMatch(/MERGE \(UNION ALL\)/);
    expect(sold.match(/SEARCH c USING INDEX/g)).toHaveLength(4);
    expect(sold).not.toMatch(/TEMP B-TREE|SCAN c/);

    // Every stage a pipeline may have, for a salesperson: 24 walks, more than D1 takes in one compound SELECT
    // (five), so nested in groups; still ordered walks, merged.
    const stages = Array.from({ length: MAX_STAGES }, (_, i) => `stg_${i}`);
    const all = await keysPlan({ scope: seller, stages });
    expect(all.match(/SEARCH c USING INDEX/g)).toHaveLength(2 * MAX_STAGES);
    expect(all).not.toMatch(/SCAN c/);
  });

  it('a broad label walks the inbox in order probing person_labels’ key; a narrow one walks its wearers', async () => {
    const broad = await keysPlan({ labels: ['lbl_a', 'lbl_b'] }, 'broad');
    expect(broad).toMatch(/SEARCH c USING (COVERING )?INDEX conversations_company_last \(company_id=\?\)/);
    expect(broad).toMatch(
      /SEARCH l USING COVERING INDEX sqlite_autoindex_person_labels_1 \(person_id=\? AND label_id=\?\)/,
    );
    expect(broad).not.toMatch(/TEMP B-TREE|SCAN c/);

    // With stages, the stages' walks lead and the label is probed on their rows.
    const staged = await keysPlan({ labels: ['lbl_a'], stages: ['stg_a', 'stg_b'] }, 'broad');
    expect(staged.match(/conversations_company_stage_last/g)).toHaveLength(2);
    expect(staged).toMatch(/sqlite_autoindex_person_labels_1 \(person_id=\? AND label_id=\?\)/);
    expect(staged).not.toMatch(/TEMP B-TREE|SCAN c/);

    // At most 1,000 wearers (labelPlan's probe): their index range, each conversation by its key, then one sort
    // of those few keys.
    const narrow = await keysPlan({ labels: ['lbl_a', 'lbl_b'], stages: ['stg_a'] }, 'narrow');
    expect(narrow).toMatch(/person_labels_label \(company_id=\? AND label_id=\?\)/);
    expect(narrow).toMatch(/SEARCH c USING INDEX sqlite_autoindex_conversations_1 \(person_id=\?\)/);
    expect(narrow).not.toMatch(/SCAN c\b/);
  });

  it('with the Mentions view, its few unread mentions lead and stages and labels are checked on their rows', async () => {
    const plan = await keysPlan(
      { me: 'usr_x', mentions: true, labels: ['lbl_a'], stages: ['stg_a', 'stg_b'] },
      'narrow',
    );
    expect(plan).toMatch(/SEARCH mentions USING/);
    expect(plan).toMatch(/SEARCH c USING INDEX sqlite_autoindex_conversations_1 \(person_id=\?\)/);
    expect(plan).toMatch(/sqlite_autoindex_person_labels_1 \(person_id=\? AND label_id=\?\)/);
    expect(plan).not.toMatch(/SCAN c\b/);
  });

  it('both label plans give the same pages', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const student = await makeLabel(company, 'Student');
    const price = await makeLabel(company, 'Price objection');
    const wearers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const p = await makePerson(company, { first_name: `W${i}` });
      if (i % 3 !== 0) await setLabels(company, p.id, i % 2 ? [student, price] : [price]);
      if (i % 3 !== 0) wearers.unshift(p.id);
      await sim.inbound({ from: p.phone.slice(1), text: 'Hi' });
    }
    for (const plan of ['narrow', 'broad'] as const) {
      const ids: string[] = [];
      let cursor: [number, string] | undefined;
      for (let n = 0; n < 5; n++) {
        const query = { per_page: 2, ...(cursor ? { cursor: encodeCursor(cursor) } : {}) };
        const view = { scope: UNSCOPED, owner: null, club: null, labels: [student, price] };
        const page = conversationsPage(company.id, query, Date.now(), null, view, plan);
        const { results } = await env.DB.prepare(page.sql)
          .bind(...page.params)
          .all<{ id: string; last_at: number }>();
        ids.push(...results.slice(0, 2).map((r) => r.id));
        const last = results[1];
        if (results.length <= 2 || !last) break;
        cursor = [last.last_at, last.id];
      }
      expect(ids, plan).toEqual(wearers);
    }
  });
});
