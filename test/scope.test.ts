// Who sees whom (#common/scope): a salesperson sees, searches and messages only the people they own and unowned
// leads; a user limited to clubs sees only those clubs' people. Everyone else answers 404, as another company's
// person does, on every route about one person; every list, count, usage figure, live event and push leaves
// them out.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { firstClub, makeClub } from './helpers/clubs';
import { api, approveTemplate, BASE, makeCompany, makePerson, type TestCompany, uniquePhone } from './helpers/fixtures';
import { browserSubscription, pushDeliveries } from './helpers/push';
import { expectError, manualSimulator } from './helpers/sandbox';
import { appFetch, makeUser, staffSession } from './helpers/staff';

type Staff = Awaited<ReturnType<typeof staffSession>>;

interface Listed {
  collection: { id?: string; person_id?: string }[];
}

const idsOf = async (res: Response): Promise<string[]> => {
  expect(res.status).toBe(200);
  return ((await res.json()) as Listed).collection.map((r) => r.id ?? r.person_id ?? '').sort();
};

const setOwner = (company: TestCompany, personId: string, owner: string | null) =>
  api(company, 'PATCH', `/api/v1/people/${personId}`, { owner_user_id: owner });

/** Every route about one person, as the app and integrators call them. */
function perPersonRoutes(id: string): { method: string; path: string; body?: unknown }[] {
  return [
    { method: 'GET', path: `/api/v1/people/${id}` },
    { method: 'GET', path: `/api/v1/people/${id}/history` },
    { method: 'PUT', path: `/api/v1/people/${id}`, body: { first_name: 'Renamed' } },
    { method: 'PATCH', path: `/api/v1/people/${id}`, body: { owner_user_id: null } },
    { method: 'POST', path: `/api/v1/people/${id}/whatsapp/opt-out`, body: {} },
    { method: 'POST', path: `/api/v1/people/${id}/whatsapp/messages`, body: { text: 'Hello' } },
    { method: 'GET', path: `/api/v1/conversations/${id}` },
    { method: 'GET', path: `/api/v1/conversations/${id}/messages` },
    { method: 'POST', path: `/api/v1/conversations/${id}/read`, body: {} },
    { method: 'POST', path: `/api/v1/conversations/${id}/unread`, body: {} },
  ];
}

/** Each route answers 404 `not_found` to this user, and nothing about the person changed. */
async function expectHidden(company: TestCompany, staff: Staff, personId: string) {
  const before = await (await api(company, 'GET', `/api/v1/people/${personId}`)).json();
  for (const r of perPersonRoutes(personId)) {
    const res = await staff.fetch(r.path, { method: r.method, body: r.body });
    expect(res.status, `${r.method} ${r.path}`).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
  }
  expect(await (await api(company, 'GET', `/api/v1/people/${personId}`)).json()).toEqual(before);
}

/** Opens the live socket the way the browser does and collects event frames. */
async function openLive(cookie: string) {
  const res = await appFetch('/api/v1/live', { cookie, headers: { Upgrade: 'websocket', Origin: BASE } });
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) throw new Error(`live: ${res.status}`);
  const events: { person_id: string; seq: number }[] = [];
  ws.accept();
  ws.addEventListener('message', (e) => {
    if (e.data === 'pong') return;
    const frame = JSON.parse(String(e.data)) as { type: string; event?: { person_id: string; seq: number } };
    if (frame.type === 'event' && frame.event) events.push(frame.event);
  });
  return { ws, events };
}

describe('a salesperson', () => {
  /** A gym with a salesperson's own lead, a colleague's, an unowned lead and an unowned member, each written to. */
  async function gym() {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const sally = await staffSession(company, 'salesperson', { name: 'Sally Sales' });
    const colleague = await makeUser(company, 'salesperson');
    const mine = await makePerson(company, { first_name: 'Mina', status: 'lead' });
    const theirs = await makePerson(company, { first_name: 'Theo', status: 'lead' });
    const open = await makePerson(company, { first_name: 'Olive', status: 'lead' });
    const member = await makePerson(company, { first_name: 'Max', status: 'member' });
    expect((await setOwner(company, mine.id, sally.user.id)).status).toBe(200);
    expect((await setOwner(company, theirs.id, colleague.id)).status).toBe(200);
    for (const p of [mine, theirs, open, member])
      await sim.inbound({ from: p.phone.slice(1), text: `Hi from ${p.id}`, name: 'Someone' });
    return { company, sim, sally, colleague, mine, theirs, open, member };
  }

  it('sees, searches and counts only their own people and unowned leads', async () => {
    const { sally, mine, open } = await gym();
    const visible = [mine.id, open.id].sort();
    expect(await idsOf(await sally.fetch('/api/v1/people'))).toEqual(visible);
    expect(await idsOf(await sally.fetch('/api/v1/people?page=1'))).toEqual(visible);
    expect(await idsOf(await sally.fetch('/api/v1/conversations'))).toEqual(visible);
    // Search finds nobody else, however well the name matches.
    expect(await idsOf(await sally.fetch('/api/v1/people?q=Theo'))).toEqual([]);
    expect(await idsOf(await sally.fetch('/api/v1/conversations?q=Theo'))).toEqual([]);
    expect(await idsOf(await sally.fetch('/api/v1/people?q=Mina'))).toEqual([mine.id]);
    // Views: Mine, Unassigned (leads only: the member nobody owns is not hers to see), All.
    expect(await idsOf(await sally.fetch('/api/v1/conversations?owner=me'))).toEqual([mine.id]);
    expect(await idsOf(await sally.fetch('/api/v1/conversations?owner=none'))).toEqual([open.id]);
    expect(await idsOf(await sally.fetch('/api/v1/people?owner=none'))).toEqual([open.id]);
    expect(await (await sally.fetch('/api/v1/conversations/counts')).json()).toEqual({
      mine: 1,
      unassigned: 1,
      all: 2,
      mentions: 0,
    });
    const counted = (await (await sally.fetch('/api/v1/people?count=true')).json()) as {
      pagination: { total_entries: number };
    };
    expect(counted.pagination.total_entries).toBe(2);
  });

  it('gets 404 for anyone else’s lead and an unowned member, on every route about one person', async () => {
    const { company, sally, theirs, member, mine } = await gym();
    await expectHidden(company, sally, theirs.id);
    await expectHidden(company, sally, member.id);
    // Export is for admins and API keys: a salesperson is refused it for anyone, as for another company's.
    const other = await makePerson(await makeCompany());
    for (const id of [theirs.id, other.id])
      await expectError(await sally.fetch(`/api/v1/people/${id}/export`), 403, 'forbidden');
    // A template preview shows the person's name in it: the same 404.
    await approveTemplate(company.id, { name: 'welcome', params: 0 });
    const templates = (await (await sally.fetch('/api/v1/whatsapp/templates')).json()) as Listed;
    const template = templates.collection[0]?.id;
    const preview = (personId: string) =>
      sally.fetch(`/api/v1/whatsapp/templates/${template}/preview`, { method: 'POST', body: { person_id: personId } });
    await expectError(await preview(theirs.id), 404, 'not_found');
    expect((await preview(mine.id)).status).toBe(200);
  });

  it('messages their own people and unowned leads', async () => {
    const { sally, mine, open } = await gym();
    for (const id of [mine.id, open.id]) {
      const res = await sally.fetch(`/api/v1/people/${id}/whatsapp/messages`, {
        method: 'POST',
        body: { text: 'Hello from Sally' },
      });
      expect(res.status, id).toBe(202);
      expect((await sally.fetch(`/api/v1/people/${id}/history`)).status).toBe(200);
    }
  });

  it('claims an unowned lead: of two claiming at once, one gets it and the other 409 already_owned', async () => {
    const { company, sally, open } = await gym();
    const sid = await staffSession(company, 'salesperson');
    const [a, b] = await Promise.all(
      [sally, sid].map((s) =>
        s.fetch(`/api/v1/people/${open.id}`, { method: 'PATCH', body: { owner_user_id: s.user.id } }),
      ),
    );
    const statuses = [a?.status, b?.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a?.status === 409 ? a : b;
    if (!loser) throw new Error('no loser');
    expect(((await loser.json()) as { error: { code: string } }).error.code).toBe('already_owned');
    const winner = a?.status === 200 ? sally : sid;
    const other = winner === sally ? sid : sally;
    // The lead is the winner's now: out of the loser's sight, and a later claim still says who was first.
    expect((await winner.fetch(`/api/v1/people/${open.id}`)).status).toBe(200);
    await expectError(await other.fetch(`/api/v1/people/${open.id}`), 404, 'not_found');
    await expectError(
      await other.fetch(`/api/v1/people/${open.id}`, { method: 'PATCH', body: { owner_user_id: other.user.id } }),
      409,
      'already_owned',
    );
  });

  it('may claim and release, but not assign; a person they add is theirs', async () => {
    const { sally, colleague, open, mine } = await gym();
    await expectError(
      await sally.fetch(`/api/v1/people/${open.id}`, { method: 'PATCH', body: { owner_user_id: colleague.id } }),
      403,
      'forbidden',
    );
    const released = await sally.fetch(`/api/v1/people/${mine.id}`, { method: 'PATCH', body: { owner_user_id: null } });
    expect(released.status).toBe(200);
    expect(await released.json()).toMatchObject({ id: mine.id, owner_user_id: null });

    const made = await sally.fetch('/api/v1/people', {
      method: 'POST',
      body: { first_name: 'Walk-in', phone: uniquePhone(), status: 'member' },
    });
    expect(made.status).toBe(201);
    const person = (await made.json()) as { id: string; owner_user_id: string };
    expect(person.owner_user_id).toBe(sally.user.id);
    const history = (await (await sally.fetch(`/api/v1/people/${person.id}/history`)).json()) as {
      collection: { type: string; body: string }[];
    };
    expect(history.collection).toEqual([
      expect.objectContaining({ type: 'owner_changed', body: 'Assigned to Sally Sales by Sally Sales' }),
    ]);
  });

  it('may not manage templates, automated items, users or read usage, like staff', async () => {
    const { sally } = await gym();
    const me = (await (await sally.fetch('/api/auth/me')).json()) as { role: string; permissions: string[] };
    expect(me.role).toBe('salesperson');
    // Like staff, less assigning: they chat, and go on shift for round-robin's leads.
    expect(me.permissions).toEqual(['conversations', 'take_leads']);
    await expectError(await sally.fetch('/api/v1/whatsapp/automations'), 403, 'forbidden');
    await expectError(await sally.fetch('/api/v1/users'), 403, 'forbidden');
    await expectError(await sally.fetch('/api/v1/whatsapp/usage?from=2026-01-01&to=2026-01-02'), 403, 'forbidden');
    expect((await sally.fetch('/api/v1/whatsapp/templates')).status).toBe(200);
  });
});

describe('a user limited to clubs', () => {
  /** Two clubs, a person in each written to, and a user of the first club only. */
  async function twoClubs(role: 'staff' | 'admin' | 'manager' = 'staff') {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const north = await firstClub(company);
    const south = await makeClub(company, 'South');
    const here = await makePerson(company, { first_name: 'Nora', club_id: north });
    const there = await makePerson(company, { first_name: 'Sid', club_id: south });
    for (const p of [here, there]) await sim.inbound({ from: p.phone.slice(1), text: 'Hi', name: 'Someone' });
    const nell = await staffSession(company, role, { clubIds: [north] });
    return { company, sim, north, south, here, there, nell };
  }

  it('gets 404 for the other club’s person on every route, and export too for an admin limited to clubs', async () => {
    const { company, nell, here, there } = await twoClubs('admin');
    await expectHidden(company, nell, there.id);
    await expectError(await nell.fetch(`/api/v1/people/${there.id}/export`), 404, 'not_found');
    await expectError(
      await nell.fetch(`/api/v1/people/${there.id}/erase`, { method: 'POST', body: { confirm: true } }),
      404,
      'not_found',
    );
    expect((await nell.fetch(`/api/v1/people/${here.id}/export`)).status).toBe(200);
    expect((await nell.fetch(`/api/v1/people/${here.id}/history`)).status).toBe(200);
  });

  it('sees only their clubs in the clubs list, and 404 for another', async () => {
    const { nell, north, south } = await twoClubs();
    const listed = (await (await nell.fetch('/api/v1/clubs')).json()) as { collection: { id: string }[] };
    expect(listed.collection.map((c) => c.id)).toEqual([north]);
    await expectError(await nell.fetch(`/api/v1/clubs/${south}`), 404, 'not_found');
    expect((await nell.fetch(`/api/v1/clubs/${north}`)).status).toBe(200);
  });

  it('gets 404 for the other club’s media, and the file for their own', async () => {
    const { company, sim, nell, here, there } = await twoClubs();
    const mediaOf = async (personId: string) => {
      const page = (await (await api(company, 'GET', `/api/v1/conversations/${personId}/messages`)).json()) as {
        collection: { media: { url: string } | null }[];
      };
      const url = page.collection.find((m) => m.media)?.media?.url;
      if (!url) throw new Error('no media');
      return url;
    };
    for (const p of [here, there])
      await sim.inbound({ from: p.phone.slice(1), type: 'document', text: 'Form', name: 'Someone' });
    expect((await nell.fetch(await mediaOf(here.id))).status).toBe(200);
    await expectError(await nell.fetch(await mediaOf(there.id)), 404, 'not_found');
  });

  it('lists, searches and counts only their clubs’ people, and reads only their events', async () => {
    const { company, sim, nell, here, there, south } = await twoClubs();
    expect(await idsOf(await nell.fetch('/api/v1/people'))).toEqual([here.id]);
    expect(await idsOf(await nell.fetch('/api/v1/people?q=Sid'))).toEqual([]);
    expect(await idsOf(await nell.fetch(`/api/v1/people?club=${south}`))).toEqual([]);
    expect(await idsOf(await nell.fetch('/api/v1/conversations'))).toEqual([here.id]);
    expect(await idsOf(await nell.fetch('/api/v1/conversations?owner=none'))).toEqual([here.id]);
    expect(await idsOf(await nell.fetch(`/api/v1/conversations?club=${south}`))).toEqual([]);
    expect(await (await nell.fetch('/api/v1/conversations/counts')).json()).toEqual({
      mine: 0,
      unassigned: 1,
      all: 1,
      mentions: 0,
    });
    // The company's API key sees both.
    expect(await idsOf(await api(company, 'GET', '/api/v1/conversations'))).toEqual([here.id, there.id].sort());
    expect(await (await api(company, 'GET', '/api/v1/conversations/counts')).json()).toMatchObject({ all: 2 });

    await sim.inbound({ from: there.phone.slice(1), text: 'Again', name: 'Sid' });
    const all = (await (await api(company, 'GET', '/api/v1/events?since=0')).json()) as {
      events: { person_id: string }[];
      seq: number;
    };
    const mine = (await (await nell.fetch('/api/v1/events?since=0')).json()) as typeof all;
    expect(new Set(all.events.map((e) => e.person_id))).toEqual(new Set([here.id, there.id]));
    expect(new Set(mine.events.map((e) => e.person_id))).toEqual(new Set([here.id]));
    expect(mine.seq).toBe(all.seq);
  });

  it('counts usage of their clubs only', async () => {
    const { company, nell, here, there } = await twoClubs('manager');
    for (const p of [here, there]) {
      const res = await api(company, 'POST', `/api/v1/people/${p.id}/whatsapp/messages`, { text: 'Hello' });
      expect(res.status).toBe(202);
    }
    const day = new Date().toISOString().slice(0, 10);
    const usage = async (who: (path: string) => Promise<Response>, query = '') => {
      const res = await who(`/api/v1/whatsapp/usage?from=${day}&to=${day}${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { totals: { service: { sent: number } } }).totals.service.sent;
    };
    const byKey = (path: string) => api(company, 'GET', path);
    await vi.waitFor(async () => expect(await usage(byKey)).toBe(2));
    expect(await usage(nell.fetch)).toBe(1);
    const south = await makeClub(company, 'East');
    expect(await usage(byKey, `&club=${south}`)).toBe(0);
  });

  it('gets live events and pushes only about their clubs’ people', async () => {
    const { company, sim, nell, here, there } = await twoClubs();
    const everyone = await staffSession(company, 'staff');
    const [limited, unlimited] = [await openLive(nell.cookie), await openLive(everyone.cookie)];
    await sim.inbound({ from: there.phone.slice(1), text: 'South again', name: 'Sid' });
    await sim.inbound({ from: here.phone.slice(1), text: 'North again', name: 'Nora' });
    await vi.waitFor(() => expect(unlimited.events.map((e) => e.person_id)).toEqual([there.id, here.id]));
    await env.INBOX.getByName(company.id).scopedSettled();
    await vi.waitFor(() => expect(limited.events.map((e) => e.person_id)).toEqual([here.id]));
    limited.ws.close();
    unlimited.ws.close();

    // With their apps closed: a push for Nora's club reaches Nell; one for the other club does not.
    const browser = await browserSubscription();
    expect((await nell.fetch('/api/v1/push/subscriptions', { method: 'POST', body: browser.json })).status).toBe(201);
    await sim.inbound({ from: there.phone.slice(1), text: 'Not for Nell', name: 'Sid' });
    await env.INBOX.getByName(company.id).pushesSettled();
    expect(await pushDeliveries(browser)).toHaveLength(0);
    await sim.inbound({ from: here.phone.slice(1), text: 'For Nell', name: 'Nora' });
    await env.INBOX.getByName(company.id).pushesSettled();
    await vi.waitFor(async () => expect(await pushDeliveries(browser)).toHaveLength(1));
  });

  it('adds people to their own club, and may not put anyone in another', async () => {
    const { company, nell, north, south } = await twoClubs();
    const made = await nell.fetch('/api/v1/people', { method: 'POST', body: { first_name: 'New', status: 'lead' } });
    expect(made.status).toBe(201);
    const person = (await made.json()) as { id: string; club_id: string };
    expect(person.club_id).toBe(north);
    await expectError(
      await nell.fetch('/api/v1/people', { method: 'POST', body: { first_name: 'X', club_id: south } }),
      422,
      'unknown_club',
    );
    await expectError(
      await nell.fetch(`/api/v1/people/${person.id}`, { method: 'PUT', body: { club_id: south } }),
      422,
      'unknown_club',
    );
    // The company's API key may move them; then they are out of Nell's sight.
    expect((await api(company, 'PUT', `/api/v1/people/${person.id}`, { club_id: south })).status).toBe(200);
    await expectError(await nell.fetch(`/api/v1/people/${person.id}`), 404, 'not_found');
  });
});

describe('the live socket of a salesperson', () => {
  it('carries events about their own people and unowned leads only, in order, and the one that takes one away', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const sally = await staffSession(company, 'salesperson');
    const theirs = await makePerson(company, { first_name: 'Theo' });
    const open = await makePerson(company, { first_name: 'Olive' });
    expect((await setOwner(company, theirs.id, (await makeUser(company, 'staff')).id)).status).toBe(200);
    const live = await openLive(sally.cookie);
    for (let i = 0; i < 3; i++) {
      await sim.inbound({ from: theirs.phone.slice(1), text: `Theo ${i}`, name: 'Theo' });
      await sim.inbound({ from: open.phone.slice(1), text: `Olive ${i}`, name: 'Olive' });
    }
    await env.INBOX.getByName(company.id).scopedSettled();
    await vi.waitFor(() => expect(live.events).toHaveLength(3));
    expect(live.events.every((e) => e.person_id === open.id)).toBe(true);
    const seqs = live.events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    // Olive given to someone else: out of Sally's sight from now on, but this one change still reaches her app,
    // so its list drops her; what happens to Olive after that does not.
    expect((await setOwner(company, open.id, (await makeUser(company, 'staff')).id)).status).toBe(200);
    await env.INBOX.getByName(company.id).scopedSettled();
    await vi.waitFor(() => expect(live.events).toHaveLength(4));
    expect(live.events[3]).toMatchObject({ person_id: open.id, type: 'person' });
    await sim.inbound({ from: open.phone.slice(1), text: 'Olive again', name: 'Olive' });
    await env.INBOX.getByName(company.id).scopedSettled();
    expect(live.events).toHaveLength(4);
    live.ws.close();
  });
});
