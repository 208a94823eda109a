// Round-robin: in a club whose assignment is 'round_robin' (PATCH /api/v1/clubs/:id), a lead who writes while
// unowned goes to whoever on shift has waited longest, through the owner-change path (note, audit entry, push);
// and the shift itself (PUT /api/v1/me/shift, /me's on_shift, off at logout).
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import * as roundRobin from '../worker/people/round-robin';
import { auditOf } from './helpers/audit';
import { api, BASE, makeCompany, makePerson, type TestCompany, uniquePhone } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { browserSubscription, decryptPush, pushDeliveries } from './helpers/push';
import { expectError } from './helpers/sandbox';
import { appFetch, login, makeUser, sessionCookieOf, staffSession, type TestUser } from './helpers/staff';
import { inboundPayload, postWebhook, wamid } from './helpers/webhooks';

type Staff = Awaited<ReturnType<typeof staffSession>>;

interface Note {
  type: string;
  body: string | null;
  content: { from: unknown; to: { id: string; name: string } | null };
  actor: { kind: string; id: string; name: string } | null;
}

const sql = (query: string, ...params: unknown[]) =>
  env.DB.prepare(query)
    .bind(...params)
    .run();

const admin = (method: string, path: string, body?: unknown) =>
  exports.default.fetch(`${BASE}/api/admin${path}`, {
    method,
    headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function setAssignment(company: TestCompany, club: string, assignment: 'manual' | 'round_robin') {
  const res = await api(company, 'PATCH', `/api/v1/clubs/${club}`, { assignment });
  expect({ status: res.status, body: await res.json() }).toMatchObject({ status: 200, body: { assignment } });
}

/** A company whose first club (the one it starts with, holding its first number) assigns by round-robin. */
async function roundRobinCompany(): Promise<{ company: TestCompany; club: string }> {
  const company = await makeCompany();
  const res = await api(company, 'GET', '/api/v1/clubs');
  const [first] = ((await res.json()) as { collection: { id: string }[] }).collection;
  if (!first) throw new Error('a company starts with one club');
  await setAssignment(company, first.id, 'round_robin');
  return { company, club: first.id };
}

/** A second club with a WhatsApp number of its own: leads who write to that number are its leads. */
async function secondClub(company: TestCompany, name: string) {
  const res = await api(company, 'POST', '/api/v1/clubs', { name });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const phoneNumberId = `1067${Math.floor(Math.random() * 1e11)}`;
  const added = await admin('POST', `/companies/${company.id}/whatsapp/numbers`, {
    club_id: id,
    phone_number_id: phoneNumberId,
    display_phone_number: '+44 113 496 0000',
  });
  expect(added.status).toBe(201);
  return { id, phoneNumberId };
}

async function named(staff: Staff | TestUser, name: string, lastAssignedAt: number | null = null) {
  const id = 'user' in staff ? staff.user.id : staff.id;
  await sql('UPDATE users SET name = ?, last_assigned_at = ? WHERE id = ?', name, lastAssignedAt, id);
  return id;
}

async function goOnShift(staff: Staff, onShift = true): Promise<void> {
  const res = await staff.fetch('/api/v1/me/shift', { method: 'PUT', body: { on_shift: onShift } });
  expect({ status: res.status, body: await res.json() }).toEqual({ status: 200, body: { on_shift: onShift } });
}

/** A message from a WhatsApp id, as Meta posts it; answers the person it was stored for. */
async function inbound(
  company: TestCompany,
  from: string,
  text = 'Hi, how much is membership?',
  number = company.phoneNumberId,
) {
  const res = await postWebhook(inboundPayload(number, { from, text, name: 'New Lead' }));
  expect(res.status).toBe(200);
  const found = await env.DB.prepare('SELECT id FROM people WHERE company_id = ? AND wa_id = ?')
    .bind(company.id, from.replace(/^\+/, ''))
    .first<{ id: string }>();
  if (!found) throw new Error(`no person for ${from}`);
  return found.id;
}

const newWaId = () => uniquePhone().slice(1);

async function ownerOf(company: TestCompany, personId: string): Promise<string | null> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}`);
  return ((await res.json()) as { owner_user_id: string | null }).owner_user_id;
}

async function ownerNotes(company: TestCompany, personId: string): Promise<Note[]> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}/history`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: Note[] }).collection.filter((n) => n.type === 'owner_changed');
}

const lastAssignedAt = async (userId: string) =>
  (
    await env.DB.prepare('SELECT last_assigned_at AS at FROM users WHERE id = ?')
      .bind(userId)
      .first<{ at: number | null }>()
  )?.at ?? null;

describe('round-robin', () => {
  it('gives a new lead to the member on shift who waited longest, as a noted, audited and pushed assignment', async () => {
    const { company } = await roundRobinCompany();
    const [ana, ben, cleo] = await Promise.all([0, 1, 2].map(() => staffSession(company, 'staff')));
    if (!ana || !ben || !cleo) throw new Error('no staff');
    await named(ana, 'Ana', 3_000);
    const benId = await named(ben, 'Ben', 1_000);
    await named(cleo, 'Cleo', 2_000);
    for (const s of [ana, ben, cleo]) await goOnShift(s);
    const browser = await browserSubscription();
    expect((await ben.fetch('/api/v1/push/subscriptions', { method: 'POST', body: browser.json })).status).toBe(201);

    const lead = await inbound(company, newWaId());
    expect(await ownerOf(company, lead)).toBe(benId);
    const notes = await ownerNotes(company, lead);
    expect(notes).toEqual([
      expect.objectContaining({
        body: 'Assigned to Ben by Round-robin',
        content: { from: null, to: { id: benId, name: 'Ben' } },
        actor: { kind: 'system', id: 'round_robin', name: 'Round-robin' },
      }),
    ]);
    expect(await auditOf(company.id, 'person.owner_changed')).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: 'round_robin', name: 'Round-robin' },
        target: { type: 'person', id: lead },
        details: { from: null, to: benId },
      }),
    ]);
    // Ben now waits least: the next two leads go to Cleo, then Ana.
    expect(await lastAssignedAt(benId)).toBeGreaterThan(3_000);
    expect(await ownerOf(company, await inbound(company, newWaId()))).toBe(cleo.user.id);
    expect(await ownerOf(company, await inbound(company, newWaId()))).toBe(ana.user.id);

    // Ben's inbox has it under Mine, and his phone says so.
    const mine = await ben.fetch('/api/v1/conversations?owner=me');
    expect(((await mine.json()) as { collection: { person_id: string }[] }).collection.map((r) => r.person_id)).toEqual(
      [lead],
    );
    await vi.waitFor(async () => {
      const payloads = await Promise.all((await pushDeliveries(browser)).map((d) => decryptPush(browser, d)));
      expect(payloads).toContainEqual({
        title: 'New Lead is yours',
        body: 'Assigned to you by Round-robin',
        tag: `owner-${lead}`,
        url: `/c/${lead}`,
      });
    });
  });

  it('skips whoever is off shift, deactivated, limited to another club, or an admin or manager', async () => {
    const { company, club: city } = await roundRobinCompany();
    const leeds = await secondClub(company, 'Leeds');
    await setAssignment(company, leeds.id, 'round_robin');
    // Everyone below but the last has waited longer (never given a lead) than the one who may take it.
    const offShift = await makeUser(company, 'staff');
    const leaver = await makeUser(company, 'staff');
    const cityOnly = await makeUser(company, 'staff');
    const admin = await makeUser(company, 'admin');
    const manager = await makeUser(company, 'manager');
    const available = await makeUser(company, 'staff');
    const onShift = [leaver, cityOnly, admin, manager, available].map((u) => u.id);
    await sql('UPDATE users SET on_shift = 1 WHERE id IN (?, ?, ?, ?, ?)', ...onShift);
    await sql('UPDATE users SET deactivated_at = ? WHERE id = ?', Date.now(), leaver.id);
    await sql('UPDATE users SET club_ids = ? WHERE id = ?', JSON.stringify([city]), cityOnly.id);
    await sql(
      'UPDATE users SET club_ids = ?, last_assigned_at = ? WHERE id = ?',
      JSON.stringify([leeds.id]),
      Date.now(),
      available.id,
    );

    // A lead who writes to the Leeds number is a Leeds lead: only the one allowed in Leeds may have them.
    const lead = await inbound(company, newWaId(), 'Hi Leeds', leeds.phoneNumberId);
    expect(await ownerOf(company, lead)).toBe(available.id);
    for (const skipped of [offShift, leaver, cityOnly, admin, manager])
      expect(await lastAssignedAt(skipped.id)).toBeNull();
    // The city's lead goes to the one allowed there who waited longest: the Leeds-only one is not.
    expect(await ownerOf(company, await inbound(company, newWaId()))).toBe(cityOnly.id);
  });

  it('assigns a lead who wrote before their club turned to round-robin, at their next message', async () => {
    // Their first message was stored under manual assignment, and what the lookup found (no round-robin club)
    // was remembered with them as a sender: turning the club to round-robin must not wait for that to expire.
    const company = await makeCompany();
    const res = await api(company, 'GET', '/api/v1/clubs');
    const [club] = ((await res.json()) as { collection: { id: string }[] }).collection;
    if (!club) throw new Error('a company starts with one club');
    const ana = await staffSession(company, 'staff');
    await goOnShift(ana);
    const from = newWaId();
    const lead = await inbound(company, from);
    expect(await ownerOf(company, lead)).toBeNull();

    await setAssignment(company, club.id, 'round_robin');
    expect(await inbound(company, from, 'Still there?')).toBe(lead);
    expect(await ownerOf(company, lead)).toBe(ana.user.id);
  });

  it('gives leads to salespeople on shift too (the role is text: round-robin reads it as it is stored)', async () => {
    const { company } = await roundRobinCompany();
    const salesperson = await makeUser(company, 'staff');
    await sql(`UPDATE users SET role = 'salesperson', on_shift = 1 WHERE id = ?`, salesperson.id);
    expect(await ownerOf(company, await inbound(company, newWaId()))).toBe(salesperson.id);
  });

  it('leaves the lead unassigned when nobody is on shift, and writes nothing about it', async () => {
    const { company } = await roundRobinCompany();
    const off = await staffSession(company, 'staff');
    await goOnShift(off);
    await goOnShift(off, false);

    const lead = await inbound(company, newWaId());
    expect(await ownerOf(company, lead)).toBeNull();
    expect(await ownerNotes(company, lead)).toEqual([]);
    expect(await auditOf(company.id, 'person.owner_changed')).toEqual([]);
  });

  it('assigns an existing unowned person who writes, and leaves an owned one with their owner', async () => {
    const { company } = await roundRobinCompany();
    const sam = await staffSession(company, 'staff');
    await goOnShift(sam);
    const kept = await makeUser(company, 'staff');
    const unowned = await makePerson(company, { first_name: 'Priya' });
    const owned = await makePerson(company, { first_name: 'Tom' });
    expect((await api(company, 'PATCH', `/api/v1/people/${owned.id}`, { owner_user_id: kept.id })).status).toBe(200);

    await inbound(company, owned.phone);
    expect(await ownerOf(company, owned.id)).toBe(kept.id);
    expect((await ownerNotes(company, owned.id)).map((n) => n.body)).toEqual(['Assigned to Test staff by test key']);
    expect(await lastAssignedAt(sam.user.id)).toBeNull();

    await inbound(company, unowned.phone);
    expect(await ownerOf(company, unowned.id)).toBe(sam.user.id);
    // Later messages from her change nothing: she has an owner now.
    await inbound(company, unowned.phone, 'Are you open on Sunday?');
    expect(await ownerNotes(company, unowned.id)).toHaveLength(1);
  });

  it('never assigns in a manual club, however many are on shift, even beside a round-robin club', async () => {
    const { company, club } = await roundRobinCompany();
    const sam = await staffSession(company, 'staff');
    await goOnShift(sam);
    const manual = await secondClub(company, 'Manual Street');
    const lead = await inbound(company, newWaId(), 'Hi', manual.phoneNumberId);
    expect(await ownerOf(company, lead)).toBeNull();
    // The round-robin club switched back to manual: its leads stay unassigned too.
    await setAssignment(company, club, 'manual');
    const existing = await makePerson(company);
    await inbound(company, existing.phone);
    expect(await ownerOf(company, existing.id)).toBeNull();
    expect(await ownerOf(company, await inbound(company, newWaId()))).toBeNull();
    expect(await lastAssignedAt(sam.user.id)).toBeNull();
  });

  it('does not give anyone a lead whose message is STOP, nor assign again on a redelivered message', async () => {
    const { company } = await roundRobinCompany();
    const sam = await staffSession(company, 'staff');
    await goOnShift(sam);
    const stopped = await inbound(company, newWaId(), 'STOP');
    expect(await ownerOf(company, stopped)).toBeNull();

    // A redelivery of a message stored while nobody was on shift stores nothing, and assigns nothing either.
    await goOnShift(sam, false);
    const from = newWaId();
    const payload = inboundPayload(company.phoneNumberId, { from, id: wamid(), text: 'Hello?' });
    expect((await postWebhook(payload)).status).toBe(200);
    await goOnShift(sam);
    expect((await postWebhook(payload)).status).toBe(200);
    const person = await env.DB.prepare('SELECT owner_user_id AS owner FROM people WHERE wa_id = ?')
      .bind(from)
      .first<{ owner: string | null }>();
    expect(person?.owner).toBeNull();
  });

  it('shares nine leads written at once among three on shift, three each', async () => {
    const { company } = await roundRobinCompany();
    const team = await Promise.all([0, 1, 2].map(() => staffSession(company, 'staff')));
    for (const s of team) await goOnShift(s);

    const senders = Array.from({ length: 9 }, newWaId);
    const answers = await Promise.all(
      senders.map((from, i) => postWebhook(inboundPayload(company.phoneNumberId, { from, text: `Lead ${i}` }))),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(9).fill(200));

    const { results } = await env.DB.prepare(
      `SELECT owner_user_id AS owner, COUNT(*) AS n FROM people WHERE company_id = ? GROUP BY owner_user_id`,
    )
      .bind(company.id)
      .all<{ owner: string | null; n: number }>();
    expect(results.map((r) => r.n)).toEqual([3, 3, 3]);
    expect(results.map((r) => r.owner).sort()).toEqual(team.map((s) => s.user.id).sort());
    // One note and one audit entry per lead: nobody was given anyone twice.
    const notes = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM history_notes WHERE company_id = ? AND type = 'owner_changed'`,
    )
      .bind(company.id)
      .first<{ n: number }>();
    expect(notes?.n).toBe(9);
    expect(await auditOf(company.id, 'person.owner_changed')).toHaveLength(9);
  });

  it('sends each new owner to the back of the line even when the objects deciding disagree about the time', async () => {
    const { company } = await roundRobinCompany();
    const team = await Promise.all([0, 1, 2].map(() => staffSession(company, 'staff')));
    for (const s of team) await goOnShift(s);
    const owners: (string | null)[] = [];
    // Each batch decided by a clock a second behind the one before it.
    for (const now of [6_000, 5_000, 4_000, 3_000, 2_000, 1_000]) {
      const person = await makePerson(company);
      const noteId = `his_rr${now}${Date.now()}`;
      await sql(
        `INSERT INTO history_notes (id, company_id, person_id, type, occurred_at) VALUES (?, ?, ?, 'whatsapp_event', ?)`,
        noteId,
        company.id,
        person.id,
        now,
      );
      await env.DB.batch(roundRobin.statements(env.DB, { companyId: company.id, personId: person.id, noteId }, now));
      owners.push(await ownerOf(company, person.id));
    }
    const ids = team.map((s) => s.user.id).sort();
    expect(owners).toEqual([...ids, ...ids]);
  });

  it('picks by walking the company’s users on shift in line order, never the whole directory', async () => {
    const plan = (
      await queryPlan({ sql: `SELECT ${roundRobin.PICK_SQL} FROM people p WHERE p.id = ?`, params: ['per_x'] })
    ).join('\n');
    expect(plan).toMatch(/SEARCH u USING INDEX users_company_on_shift \(company_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    expect(plan).not.toMatch(/SCAN u/);
  });

  it('never gives a lead two owners when a claim races round-robin', async () => {
    const { company } = await roundRobinCompany();
    const onShift = await staffSession(company, 'staff');
    await goOnShift(onShift);
    // A salesperson may claim only an unowned lead: whichever of the two commits second changes nothing. (A
    // member of staff may also reassign, so their claim after round-robin is a second, legitimate change.)
    const claimer = await staffSession(company, 'salesperson');

    for (let i = 0; i < 4; i++) {
      const person = await makePerson(company);
      const [, claim] = await Promise.all([
        inbound(company, person.phone),
        claimer.fetch(`/api/v1/people/${person.id}`, { method: 'PATCH', body: { owner_user_id: claimer.user.id } }),
      ]);
      const owner = await ownerOf(company, person.id);
      if (claim.status === 200) expect(owner).toBe(claimer.user.id);
      else {
        await expectError(claim, 409, 'already_owned');
        expect(owner).toBe(onShift.user.id);
      }
      expect(await ownerNotes(company, person.id)).toHaveLength(1);
    }
  });
});

describe('shifts', () => {
  const me = async (cookie: string) =>
    (await (await appFetch('/api/auth/me', { cookie })).json()) as { on_shift: boolean };
  const shift = async (staff: Staff) => (await (await staff.fetch('/api/v1/me/shift')).json()) as { on_shift: boolean };

  it('starts off, goes on and off with PUT, shows in /me, and ends at logout', async () => {
    const company = await makeCompany();
    const sam = await staffSession(company, 'staff');
    expect(await shift(sam)).toEqual({ on_shift: false });
    expect((await me(sam.cookie)).on_shift).toBe(false);
    expect(((await me(sam.cookie)) as unknown as { permissions: string[] }).permissions).toContain('take_leads');

    await goOnShift(sam);
    expect(await shift(sam)).toEqual({ on_shift: true });
    expect((await me(sam.cookie)).on_shift).toBe(true);
    await goOnShift(sam, false);
    expect(await shift(sam)).toEqual({ on_shift: false });

    await goOnShift(sam);
    const out = await appFetch('/api/auth/logout', { method: 'POST', cookie: sam.cookie });
    expect(out.status).toBe(204);
    const again = sessionCookieOf(await login(sam.user.email));
    expect((await me(again)).on_shift).toBe(false);
  });

  it('refuses an API key (no shift of its own), admins and managers, and bodies that are not {on_shift}', async () => {
    const company = await makeCompany();
    const sam = await staffSession(company, 'staff');
    const boss = await staffSession(company, 'manager');

    await expectError(await api(company, 'PUT', '/api/v1/me/shift', { on_shift: true }), 403, 'session_required');
    await expectError(await api(company, 'GET', '/api/v1/me/shift'), 403, 'session_required');
    await expectError(await appFetch('/api/v1/me/shift'), 401, 'unauthorized');
    await expectError(
      await boss.fetch('/api/v1/me/shift', { method: 'PUT', body: { on_shift: true } }),
      403,
      'forbidden',
    );
    expect(await shift(boss)).toEqual({ on_shift: false });
    await expectError(
      await sam.fetch('/api/v1/me/shift', { method: 'PUT', body: { on_shift: 'yes' } }),
      422,
      'validation_failed',
    );
    await expectError(
      await sam.fetch('/api/v1/me/shift', { method: 'PUT', body: { on_shift: true, club: 'x' } }),
      422,
      'unknown_field',
    );
    // A cookie write from another site is refused like every other.
    await expectError(
      await sam.fetch('/api/v1/me/shift', {
        method: 'PUT',
        body: { on_shift: true },
        headers: { Origin: 'https://evil.example' },
      }),
      403,
      'bad_origin',
    );
    expect(await shift(sam)).toEqual({ on_shift: false });
  });
});
