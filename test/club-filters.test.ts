// Clubs and owners in the people directory and the inbox: the `club=` and `owner=` filters (keyset-paged index
// walks), a person's `club_id` on every write, who may own whom (the owner must be allowed in the person's club),
// and users limited to clubs through the users API.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { getDb } from '../worker/db/client';
import { conversationsPage } from '../worker/inbox/conversations';
import { countsStatement } from '../worker/inbox/counts';
import { peoplePageQuery } from '../worker/people/list';
import { auditOf } from './helpers/audit';
import { firstClub, makeClub } from './helpers/clubs';
import { api, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { queryPlan, walkPages } from './helpers/pages';
import { expectError, manualSimulator } from './helpers/sandbox';
import { appFetch, makeUser, staffSession } from './helpers/staff';

interface Row {
  id?: string;
  person_id?: string;
  club_id: string | null;
  owner_user_id: string | null;
}

const list = async (res: Response): Promise<Row[]> => {
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: Row[] }).collection;
};

const setOwner = (company: TestCompany, personId: string, owner: string | null) =>
  api(company, 'PATCH', `/api/v1/people/${personId}`, { owner_user_id: owner });

describe('filters', () => {
  async function chain() {
    const company = await makeCompany();
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const me = await staffSession(company, 'staff');
    const sam = await makeUser(company, 'staff');
    const sim = await manualSimulator(company);
    // Newest last: six in each club, owned by me, Sam or nobody in turn.
    const made: { id: string; club: string; owner: string | null }[] = [];
    for (let i = 0; i < 12; i++) {
      const club = i % 2 === 0 ? north : south;
      const owner = [me.user.id, sam.id, null][i % 3] ?? null;
      const person = await makePerson(company, { first_name: `P${i}`, club_id: club });
      if (owner) expect((await setOwner(company, person.id, owner)).status).toBe(200);
      await sim.inbound({ from: person.phone.slice(1), text: `Hi ${i}`, name: `P${i}` });
      made.unshift({ id: person.id, club, owner });
    }
    return { company, north, south, me, sam, made };
  }

  it('filters people by club and owner (me, none, a user), newest first, by cursor and by page', async () => {
    const { company, south, me, sam, made } = await chain();
    const expectWalk = async (query: string, keep: (p: (typeof made)[number]) => boolean) => {
      const { ids } = await walkPages((q) => me.fetch(`/api/v1/people?${query}&${q}`), 2);
      expect(ids, query).toEqual(made.filter(keep).map((p) => p.id));
    };
    await expectWalk(`club=${south}`, (p) => p.club === south);
    await expectWalk('owner=me', (p) => p.owner === me.user.id);
    await expectWalk('owner=none', (p) => p.owner === null);
    await expectWalk(`owner=${sam.id}`, (p) => p.owner === sam.id);
    await expectWalk(`club=${south}&owner=none`, (p) => p.club === south && p.owner === null);
    // page= still works for GymSales-style clients, with totals.
    const paged = (await (await me.fetch(`/api/v1/people?club=${south}&page=2&per_page=4`)).json()) as {
      collection: Row[];
      pagination: { total_entries: number; total_pages: number };
    };
    expect(paged.collection.map((p) => p.id)).toEqual(
      made
        .filter((p) => p.club === south)
        .map((p) => p.id)
        .slice(4),
    );
    expect(paged.pagination).toMatchObject({ total_entries: 6, total_pages: 2 });
    expect(await list(await me.fetch('/api/v1/people?club=clb_nowhere'))).toEqual([]);
    await expectError(await api(company, 'GET', '/api/v1/people?owner=me'), 422, 'validation_failed');
  });

  it('filters the inbox and its counts by club', async () => {
    const { south, me, made } = await chain();
    const { ids } = await walkPages(
      (q) => me.fetch(`/api/v1/conversations?club=${south}&${q}`),
      2,
      (r) => String(r.person_id),
    );
    expect(ids).toEqual(made.filter((p) => p.club === south).map((p) => p.id));
    const rows = await list(await me.fetch(`/api/v1/conversations?club=${south}&owner=none`));
    expect(rows.map((r) => r.person_id)).toEqual(made.filter((p) => p.club === south && !p.owner).map((p) => p.id));
    expect(rows.every((r) => r.club_id === south)).toBe(true);
    expect(await (await me.fetch(`/api/v1/conversations/counts?club=${south}`)).json()).toEqual({
      mine: 2,
      unassigned: 2,
      all: 6,
      mentions: 0,
    });
    expect(await (await me.fetch('/api/v1/conversations/counts')).json()).toEqual({
      mine: 4,
      unassigned: 4,
      all: 12,
      mentions: 0,
    });
  });

  it('reads every filter and scope as index walks in the list order, never a sort of the keys or a scan', async () => {
    const db = getDb(env);
    const people = async (scope: typeof UNSCOPED, query: object, owner: Parameters<typeof peoplePageQuery>[3]) =>
      (
        await queryPlan(peoplePageQuery(db, { companyId: 'com_x', scope }, { per_page: 25, ...query }, owner).toSQL())
      ).join('\n');
    const oneClub = { clubIds: ['clb_a'], ownOnly: null };
    const seller = { clubIds: null, ownOnly: 'usr_s' };
    const cases: [string, RegExp][] = [
      [await people(UNSCOPED, { club: 'clb_a' }, null), /people_company_club_created \(company_id=\? AND club_id=\?\)/],
      [
        await people(UNSCOPED, {}, { kind: 'user', id: 'usr_x' }),
        /people_company_owner_created \(company_id=\? AND owner_user_id=\?\)/,
      ],
      [
        await people(UNSCOPED, {}, { kind: 'none' }),
        /people_company_owner_created \(company_id=\? AND owner_user_id=\?\)/,
      ],
      // A user of one club walks that club's index, as if they had asked for it.
      [await people(oneClub, {}, null), /people_company_club_created \(company_id=\? AND club_id=\?\)/],
      // A salesperson: their own and the unowned leads, two ordered walks merged.
      [
        await people(seller, {}, null),
        /MERGE \(UNION ALL\)[\s\S]*people_company_owner_created \(company_id=\? AND owner_user_id=\?\)[\s\S]*RIGHT\nSEARCH people USING INDEX people_company_(status|owner)_created/,
      ],
    ];
    for (const [plan, index] of cases) {
      expect(plan).toMatch(index);
      expect(plan).not.toMatch(/TEMP B-TREE|SCAN people /);
    }

    const inbox = async (view: Parameters<typeof conversationsPage>[4]) => {
      const page = conversationsPage('com_x', { per_page: 25 }, Date.now(), null, view);
      // The page's keys come off the index in order; only the page's own rows are sorted once joined.
      const [keys] = (await queryPlan({ sql: page.sql, params: page.params })).join('\n').split('SCAN k');
      expect(keys).not.toMatch(/TEMP B-TREE|SCAN c/);
      return keys;
    };
    const clubIndex = /conversations_company_club_last \(company_id=\? AND club_id=\?\)/;
    expect(await inbox({ scope: UNSCOPED, owner: null, club: 'clb_a' })).toMatch(clubIndex);
    expect(await inbox({ scope: oneClub, owner: null, club: null })).toMatch(clubIndex);
    expect(await inbox({ scope: seller, owner: null, club: null })).toMatch(
      /MERGE \(UNION ALL\)[\s\S]*conversations_company_owner_last[\s\S]*conversations_company_owner_last/,
    );
    expect(await inbox({ scope: seller, owner: { kind: 'none' }, club: null })).toMatch(
      /conversations_company_owner_last \(company_id=\? AND owner_user_id=\?\)/,
    );

    for (const [scope, club] of [
      [seller, null],
      [UNSCOPED, 'clb_a'],
    ] as const) {
      const counts = (await queryPlan(countsStatement('com_x', 'usr_x', scope, club))).join('\n');
      expect(counts.match(/INDEX conversations_company_owner_unread/g)).toHaveLength(3);
      expect(counts).not.toMatch(/SCAN c/);
    }
  });
});

describe("a person's club", () => {
  it('is in their JSON and their inbox row, set on create and by PUT and PATCH, and must be one of the company’s', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const foreign = await firstClub(other);

    const created = await api(company, 'POST', '/api/v1/people', { first_name: 'Sid', club_id: south });
    expect(created.status).toBe(201);
    const person = (await created.json()) as Row & { id: string };
    expect(person.club_id).toBe(south);
    const plain = (await (await api(company, 'POST', '/api/v1/people', { first_name: 'Nora' })).json()) as Row;
    expect(plain.club_id).toBe(north);

    for (const bad of [foreign, 'clb_nowhere']) {
      await expectError(
        await api(company, 'POST', '/api/v1/people', { first_name: 'X', club_id: bad }),
        422,
        'unknown_club',
      );
      await expectError(
        await api(company, 'PUT', `/api/v1/people/${person.id}`, { club_id: bad }),
        422,
        'unknown_club',
      );
      await expectError(
        await api(company, 'PATCH', `/api/v1/people/${person.id}`, { club_id: bad }),
        422,
        'unknown_club',
      );
    }
    const put = await api(company, 'PUT', `/api/v1/people/${person.id}`, { club_id: north });
    expect(await put.json()).toMatchObject({ club_id: north });
    const patched = await api(company, 'PATCH', `/api/v1/people/${person.id}`, { club_id: south });
    expect(await patched.json()).toMatchObject({ club_id: south });
    const row = await api(company, 'GET', `/api/v1/conversations/${person.id}`);
    expect(await row.json()).toMatchObject({ person_id: person.id, club_id: south });
  });
});

describe('who may own whom', () => {
  async function twoClubs() {
    const company = await makeCompany();
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const person = await makePerson(company, { first_name: 'Nora', club_id: north });
    const northSeller = await makeUser(company, 'salesperson', { clubIds: [north] });
    const southSeller = await makeUser(company, 'salesperson', { clubIds: [south] });
    const southStaff = await makeUser(company, 'staff', { clubIds: [south] });
    const anywhere = await makeUser(company, 'salesperson');
    const staff = await staffSession(company, 'staff');
    return { company, north, south, person, northSeller, southSeller, southStaff, anywhere, staff };
  }

  it('refuses an owner not allowed in the person’s club: 422 owner_not_in_club', async () => {
    const { person, northSeller, southSeller, southStaff, anywhere, staff } = await twoClubs();
    const assign = (to: string) =>
      staff.fetch(`/api/v1/people/${person.id}`, { method: 'PATCH', body: { owner_user_id: to } });
    await expectError(await assign(southStaff.id), 422, 'owner_not_in_club');
    await expectError(await assign(southSeller.id), 422, 'owner_not_in_club');
    // A salesperson of the person's club, or of every club, may own them (owning is what lets them see them).
    expect((await assign(northSeller.id)).status).toBe(200);
    expect((await assign(anywhere.id)).status).toBe(200);
  });

  it('moves a person only where their owner may follow, or with a new owner in the same request', async () => {
    const { company, south, person, northSeller, southSeller, staff } = await twoClubs();
    expect((await setOwner(company, person.id, northSeller.id)).status).toBe(200);
    await expectError(
      await staff.fetch(`/api/v1/people/${person.id}`, { method: 'PATCH', body: { club_id: south } }),
      422,
      'owner_not_in_club',
    );
    await expectError(
      await api(company, 'PUT', `/api/v1/people/${person.id}`, { club_id: south }),
      422,
      'owner_not_in_club',
    );
    const both = await staff.fetch(`/api/v1/people/${person.id}`, {
      method: 'PATCH',
      body: { owner_user_id: southSeller.id, club_id: south },
    });
    expect(both.status).toBe(200);
    expect(await both.json()).toMatchObject({ owner_user_id: southSeller.id, club_id: south });
  });

  it('lists owners with their role and clubs, so the app offers only those who may own a person', async () => {
    const { north, northSeller, staff } = await twoClubs();
    const owners = (await (await staff.fetch('/api/v1/owners')).json()) as {
      collection: { id: string; role: string; club_ids: string[] | null }[];
    };
    expect(owners.collection.find((o) => o.id === northSeller.id)).toMatchObject({
      role: 'salesperson',
      club_ids: [north],
    });
    expect(owners.collection.find((o) => o.id === staff.user.id)).toMatchObject({ role: 'staff', club_ids: null });
  });
});

describe('users limited to clubs', () => {
  it('are created and changed by admins with club_ids of the company (422 unknown_club), audited', async () => {
    const company = await makeCompany();
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const foreign = await firstClub(await makeCompany());
    const admin = await staffSession(company, 'admin');
    const create = (body: object) =>
      admin.fetch('/api/v1/users', {
        method: 'POST',
        body: { name: 'Sally Sales', password: 'long enough password', role: 'salesperson', ...body },
      });
    await expectError(await create({ email: 'x@test.gym', club_ids: [foreign] }), 422, 'unknown_club');
    await expectError(await create({ email: 'x@test.gym', club_ids: ['clb_nowhere'] }), 422, 'unknown_club');
    const email = `sally-${Date.now()}@test.gym`;
    const res = await create({ email, club_ids: [north] });
    expect(res.status).toBe(201);
    const user = (await res.json()) as { id: string; role: string; club_ids: string[] | null };
    expect(user).toMatchObject({ role: 'salesperson', club_ids: [north] });

    const patch = (body: object) => admin.fetch(`/api/v1/users/${user.id}`, { method: 'PATCH', body });
    await expectError(await patch({ club_ids: [south, foreign] }), 422, 'unknown_club');
    expect(await (await patch({ club_ids: [north, south] })).json()).toMatchObject({ club_ids: [north, south] });
    expect(await (await patch({ club_ids: [] })).json()).toMatchObject({ club_ids: null });
    expect(await (await patch({ role: 'staff', club_ids: [south] })).json()).toMatchObject({
      role: 'staff',
      club_ids: [south],
    });
    const audit = await auditOf(company.id, 'user.clubs_changed');
    expect(audit.map((a) => a.details)).toEqual([
      { email, from: [north], to: [north, south] },
      { email, from: [north, south], to: null },
      { email, from: null, to: [south] },
    ]);
    const listed = (await (await admin.fetch('/api/v1/users')).json()) as {
      collection: { id: string; club_ids: string[] | null }[];
    };
    expect(listed.collection.find((u) => u.id === user.id)?.club_ids).toEqual([south]);
  });

  it('see their clubs in /me; a change holds from the next request and reconnects their open app', async () => {
    const company = await makeCompany();
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const there = await makePerson(company, { club_id: south });
    const admin = await staffSession(company, 'admin');
    const nell = await staffSession(company, 'staff', { clubIds: [north, south] });
    expect(await (await nell.fetch('/api/auth/me')).json()).toMatchObject({ role: 'staff', club_ids: [north, south] });
    expect((await nell.fetch(`/api/v1/people/${there.id}`)).status).toBe(200);

    const live = await appFetch('/api/v1/live', {
      cookie: nell.cookie,
      headers: { Upgrade: 'websocket', Origin: BASE },
    });
    const ws = live.webSocket;
    if (!ws) throw new Error('no socket');
    ws.accept();
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
    const res = await admin.fetch(`/api/v1/users/${nell.user.id}`, { method: 'PATCH', body: { club_ids: [north] } });
    expect(res.status).toBe(200);
    expect(await closed).toBe(4002);
    await expectError(await nell.fetch(`/api/v1/people/${there.id}`), 404, 'not_found');
    expect(await (await nell.fetch('/api/auth/me')).json()).toMatchObject({ club_ids: [north] });
  });

  it('may be given only clubs of a limited admin’s own', async () => {
    const company = await makeCompany();
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const admin = await staffSession(company, 'admin', { clubIds: [north] });
    const body = (club_ids: string[] | null) => ({
      email: `u-${Math.random()}@test.gym`,
      name: 'U',
      password: 'long enough password',
      role: 'staff',
      club_ids,
    });
    await expectError(await admin.fetch('/api/v1/users', { method: 'POST', body: body([south]) }), 422, 'unknown_club');
    await expectError(
      await admin.fetch('/api/v1/users', { method: 'POST', body: body(null) }),
      422,
      'validation_failed',
    );
    expect((await admin.fetch('/api/v1/users', { method: 'POST', body: body([north]) })).status).toBe(201);
    expect(await auditOf(company.id, 'user.created')).toHaveLength(1);
  });
});
