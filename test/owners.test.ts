// Lead owners: who may set a person's owner and to whom, the note and audit entry every change leaves, claims
// racing for one lead, the new owner's push, and the inbox's Mine / Unassigned / All views with their counts.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { conversationsPage, type OwnerFilter } from '../worker/inbox/conversations';
import { COUNTS_SQL } from '../worker/inbox/counts';
import { auditOf } from './helpers/audit';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { browserSubscription, decryptPush, pushDeliveries } from './helpers/push';
import { expectError, manualSimulator } from './helpers/sandbox';
import { makeUser, staffSession } from './helpers/staff';

type Staff = Awaited<ReturnType<typeof staffSession>>;

interface Note {
  type: string;
  body: string | null;
  content: { from: { id: string; name: string } | null; to: { id: string; name: string } | null };
  actor: { kind: string; id: string; name: string } | null;
}

const setOwner = (company: TestCompany, personId: string, owner: string | null) =>
  api(company, 'PATCH', `/api/v1/people/${personId}`, { owner_user_id: owner });

const claim = (staff: Staff, personId: string, owner: string | null = staff.user.id) =>
  staff.fetch(`/api/v1/people/${personId}`, { method: 'PATCH', body: { owner_user_id: owner } });

async function ownerNotes(company: TestCompany, personId: string): Promise<Note[]> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}/history`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: Note[] }).collection.filter((n) => n.type === 'owner_changed');
}

async function ownerOf(company: TestCompany, personId: string): Promise<string | null> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}`);
  return ((await res.json()) as { owner_user_id: string | null }).owner_user_id;
}

describe('setting an owner', () => {
  it('assigns, reassigns and clears by API, each change a history note and an audit entry', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const sam = await makeUser(company, 'staff');
    const mo = await makeUser(company, 'manager');

    const res = await setOwner(company, person.id, sam.id);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: person.id, owner_user_id: sam.id });
    expect((await setOwner(company, person.id, mo.id)).status).toBe(200);
    expect((await setOwner(company, person.id, null)).status).toBe(200);
    // Setting the owner a person already has changes nothing and records nothing.
    expect((await setOwner(company, person.id, null)).status).toBe(200);

    expect(await ownerOf(company, person.id)).toBeNull();
    const notes = await ownerNotes(company, person.id);
    expect(notes.map((n) => n.body)).toEqual([
      'Unassigned from Test manager by test key',
      'Assigned to Test manager by test key',
      'Assigned to Test staff by test key',
    ]);
    expect(notes[1]?.content).toEqual({
      from: { id: sam.id, name: 'Test staff' },
      to: { id: mo.id, name: 'Test manager' },
    });
    expect(notes[0]?.actor).toMatchObject({ kind: 'api_key', name: 'test key' });
    const audit = await auditOf(company.id, 'person.owner_changed');
    expect(audit.map((a) => a.details)).toEqual([
      { from: null, to: sam.id },
      { from: sam.id, to: mo.id },
      { from: mo.id, to: null },
    ]);
    expect(audit.every((a) => a.target.id === person.id)).toBe(true);
  });

  it('accepts only an active user of the same company (422), and says 404 for another company’s person', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const person = await makePerson(company);
    const stranger = await makeUser(other, 'staff');
    const leaver = await makeUser(company, 'staff');
    await env.DB.prepare('UPDATE users SET deactivated_at = ?1 WHERE id = ?2').bind(Date.now(), leaver.id).run();

    await expectError(await setOwner(company, person.id, stranger.id), 422, 'validation_failed');
    await expectError(await setOwner(company, person.id, leaver.id), 422, 'validation_failed');
    await expectError(await setOwner(company, person.id, 'usr_nobody'), 422, 'validation_failed');
    await expectError(await setOwner(other, person.id, stranger.id), 404, 'not_found');
    await expectError(
      await api(company, 'PATCH', `/api/v1/people/${person.id}`, { owner_user_id: leaver.id, first_name: 'X' }),
      422,
      'unknown_field',
    );
    expect(await ownerOf(company, person.id)).toBeNull();
    expect(await ownerNotes(company, person.id)).toEqual([]);
    expect(await auditOf(company.id, 'person.owner_changed')).toEqual([]);
  });

  it('lets salespeople claim an unowned lead and release their own, but not take or give away anyone else’s', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const anna = await staffSession(company, 'salesperson');
    const ben = await staffSession(company, 'salesperson');
    const boss = await staffSession(company, 'manager');

    await expectError(await claim(anna, person.id, ben.user.id), 403, 'forbidden');
    expect((await claim(anna, person.id)).status).toBe(200);
    await expectError(await claim(ben, person.id), 409, 'already_owned');
    // Anna's lead is out of Ben's sight: releasing it is as if it did not exist.
    await expectError(await claim(ben, person.id, null), 404, 'not_found');
    expect((await claim(anna, person.id, null)).status).toBe(200);
    expect((await claim(ben, person.id)).status).toBe(200);
    await expectError(await claim(ben, person.id, anna.user.id), 403, 'forbidden');
    // Managers reassign an owned lead.
    expect((await claim(boss, person.id, anna.user.id)).status).toBe(200);
    expect(await ownerOf(company, person.id)).toBe(anna.user.id);
    expect((await ownerNotes(company, person.id)).map((n) => n.body)).toEqual([
      'Assigned to Test salesperson by Test manager',
      'Assigned to Test salesperson by Test salesperson',
      'Unassigned from Test salesperson by Test salesperson',
      'Assigned to Test salesperson by Test salesperson',
    ]);
  });

  it('lets staff assign anyone to anyone, like managers', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const sam = await staffSession(company, 'staff');
    const colleague = await makeUser(company, 'staff');
    const seller = await makeUser(company, 'salesperson');

    expect((await claim(sam, person.id, colleague.id)).status).toBe(200);
    expect((await claim(sam, person.id, seller.id)).status).toBe(200);
    expect((await claim(sam, person.id, null)).status).toBe(200);
    expect((await claim(sam, person.id)).status).toBe(200);
    expect((await claim(sam, person.id, colleague.id)).status).toBe(200);
    expect(await ownerOf(company, person.id)).toBe(colleague.id);
    expect((await ownerNotes(company, person.id)).map((n) => n.body)).toEqual([
      'Assigned to Test staff by Test staff',
      'Assigned to Test staff by Test staff',
      'Unassigned from Test salesperson by Test staff',
      'Assigned to Test salesperson by Test staff',
      'Assigned to Test staff by Test staff',
    ]);
  });

  it('gives a lead claimed by many at once to exactly one of them, and records only that claim', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const team = await Promise.all(Array.from({ length: 5 }, () => staffSession(company, 'salesperson')));

    const answers = await Promise.all(team.map(async (s) => ({ id: s.user.id, res: await claim(s, person.id) })));
    const winners = answers.filter((a) => a.res.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of answers.filter((a) => a.res.status !== 200)) await expectError(loser.res, 409, 'already_owned');
    expect(await ownerOf(company, person.id)).toBe(winners[0]?.id);
    expect(await ownerNotes(company, person.id)).toHaveLength(1);
    expect(await auditOf(company.id, 'person.owner_changed')).toMatchObject([
      { details: { from: null, to: winners[0]?.id } },
    ]);
  });

  it('pushes "assigned to you" to the new owner, but not to someone who claims for themselves', async () => {
    const company = await makeCompany();
    const person = await makePerson(company, { first_name: 'Priya', last_name: 'Shah' });
    const sam = await staffSession(company, 'staff');
    const browser = await browserSubscription();
    const sub = await sam.fetch('/api/v1/push/subscriptions', { method: 'POST', body: browser.json });
    expect(sub.status).toBe(201);

    expect((await claim(sam, person.id)).status).toBe(200);
    expect((await claim(sam, person.id, null)).status).toBe(200);
    expect((await setOwner(company, person.id, sam.user.id)).status).toBe(200);

    await vi.waitFor(async () => expect(await pushDeliveries(browser)).toHaveLength(1));
    const [delivery] = await pushDeliveries(browser);
    if (!delivery) throw new Error('no push');
    expect(await decryptPush(browser, delivery)).toEqual({
      title: 'Priya Shah is yours',
      body: 'Assigned to you by test key',
      tag: `owner-${person.id}`,
      url: `/c/${person.id}`,
    });
  });
});

describe('inbox views', () => {
  interface Row {
    person_id: string;
    owner_user_id: string | null;
  }

  async function inboxWith(count: number) {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const me = await staffSession(company, 'staff');
    const people: string[] = [];
    for (let i = 0; i < count; i++) {
      const person = await makePerson(company, { first_name: `Lead${i}` });
      await sim.inbound({ from: person.phone.slice(1), text: `Hi ${i}`, name: `Lead${i}` });
      people.unshift(person.id);
    }
    const list = async (query: string): Promise<Row[]> => {
      const res = await me.fetch(`/api/v1/conversations${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { collection: Row[] }).collection;
    };
    return { company, sim, me, people, list };
  }

  it('shows Mine, Unassigned, a colleague’s and All, newest first, paged by cursor', async () => {
    const { company, me, people, list } = await inboxWith(5);
    const colleague = await makeUser(company, 'staff');
    const [p0, p1, p2, p3, p4] = people as [string, string, string, string, string];
    for (const id of [p0, p2, p4]) expect((await claim(me, id)).status).toBe(200);
    expect((await setOwner(company, p3, colleague.id)).status).toBe(200);

    expect((await list('?owner=me')).map((r) => r.person_id)).toEqual([p0, p2, p4]);
    expect((await list('?owner=none')).map((r) => r.person_id)).toEqual([p1]);
    expect(await list(`?owner=${colleague.id}`)).toEqual([
      expect.objectContaining({ person_id: p3, owner_user_id: colleague.id }),
    ]);
    expect((await list('')).map((r) => r.person_id)).toEqual(people);

    const first = await me.fetch('/api/v1/conversations?owner=me&per_page=2');
    const page = (await first.json()) as { collection: Row[]; pagination: { next_cursor: string } };
    expect(page.collection.map((r) => r.person_id)).toEqual([p0, p2]);
    const rest = await list(`?owner=me&per_page=2&cursor=${page.pagination.next_cursor}`);
    expect(rest.map((r) => r.person_id)).toEqual([p4]);

    await expectError(await api(company, 'GET', '/api/v1/conversations?owner=me'), 422, 'validation_failed');
    expect((await api(company, 'GET', `/api/v1/conversations?owner=${me.user.id}`)).status).toBe(200);
  });

  it('files a first message from someone already owned under their owner', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const me = await staffSession(company, 'staff');
    const person = await makePerson(company);
    expect((await claim(me, person.id)).status).toBe(200);
    await sim.inbound({ from: person.phone.slice(1), text: 'Hello', name: 'Sheena' });
    const res = await me.fetch('/api/v1/conversations?owner=me');
    expect(((await res.json()) as { collection: Row[] }).collection).toEqual([
      expect.objectContaining({ person_id: person.id, owner_user_id: me.user.id }),
    ]);
  });

  it('counts unread conversations per view, and a read one leaves every count it was in', async () => {
    const { company, me, people } = await inboxWith(4);
    const [p0, p1, p2] = people as [string, string, string, string];
    const colleague = await makeUser(company, 'staff');
    expect((await claim(me, p0)).status).toBe(200);
    expect((await claim(me, p1)).status).toBe(200);
    expect((await setOwner(company, p2, colleague.id)).status).toBe(200);
    const counts = async () => (await me.fetch('/api/v1/conversations/counts')).json();

    expect(await counts()).toEqual({ mine: 2, unassigned: 1, all: 4, mentions: 0 });
    expect((await me.fetch(`/api/v1/conversations/${p0}/read`, { method: 'POST', body: {} })).status).toBe(200);
    expect(await counts()).toEqual({ mine: 1, unassigned: 1, all: 3, mentions: 0 });
    const byKey = await api(company, 'GET', '/api/v1/conversations/counts');
    expect(await byKey.json()).toEqual({ mine: null, unassigned: 1, all: 3, mentions: null });
  });

  it('reads each view and the counts as index walks, never a scan of the inbox', async () => {
    const plan = async (owner: OwnerFilter, unread?: boolean) => {
      const view = { scope: UNSCOPED, owner, club: null };
      const page = conversationsPage('com_x', { per_page: 25, ...(unread ? { unread } : {}) }, Date.now(), null, view);
      return (await queryPlan({ sql: page.sql, params: page.params })).join('\n');
    };
    for (const owner of [{ kind: 'none' } as const, { kind: 'user', id: 'usr_x' } as const]) {
      const p = await plan(owner);
      expect(p).toMatch(
        /SEARCH c USING (COVERING )?INDEX conversations_company_owner_last \(company_id=\? AND owner_user_id/,
      );
      // The page's keys come off the index in order; only the page's own rows are sorted once joined.
      const [keys] = p.split('SCAN k');
      expect(keys).not.toMatch(/TEMP B-TREE/);
    }
    const counts = (await queryPlan({ sql: COUNTS_SQL, params: ['com_x', 'usr_x'] })).join('\n');
    expect(counts.match(/COVERING INDEX conversations_company_owner_unread/g)).toHaveLength(3);
    expect(counts).not.toMatch(/SCAN conversations/);
  });
});
