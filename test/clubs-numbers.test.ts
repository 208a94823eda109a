// Clubs, each with its own WhatsApp numbers: the clubs API, the platform admin's numbers, inbound messages routed
// to the club of the number they were sent to, replies from the number the person wrote to, and Meta's window
// counted per person and number.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { auditOf } from './helpers/audit';
import { ALL_DAY, makeItem } from './helpers/automations';
import { api, approveTemplate, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

interface ClubJson {
  id: string;
  name: string;
  timezone: string;
  assignment: string;
  numbers: { phone_number_id: string; enabled: boolean }[];
}
interface NumberJson {
  id: string;
  club_id: string;
  phone_number_id: string;
  first: boolean;
  enabled: boolean;
}

const admin = (method: string, path: string, body?: unknown) =>
  exports.default.fetch(`${BASE}/api/admin${path}`, {
    method,
    headers: {
      Authorization: 'Bearer test-admin-token',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const newNumberId = () => `1066${Math.floor(Math.random() * 1e11)}`;

async function clubsOf(company: TestCompany): Promise<ClubJson[]> {
  const res = await api(company, 'GET', '/api/v1/clubs');
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: ClubJson[] }).collection;
}

/** A company with a second club and a number of its own: `{ company, first, second, number }`. */
async function twoClubs() {
  const company = await makeCompany();
  const [first] = await clubsOf(company);
  if (!first) throw new Error('a company starts with one club');
  const res = await api(company, 'POST', '/api/v1/clubs', { name: 'Leeds City', address: '1 Park Row, Leeds' });
  expect(res.status).toBe(201);
  const second = (await res.json()) as ClubJson;
  const added = await admin('POST', `/companies/${company.id}/whatsapp/numbers`, {
    club_id: second.id,
    phone_number_id: newNumberId(),
    display_phone_number: '+44 113 496 0000',
  });
  expect(added.status).toBe(201);
  const number = (await added.json()) as NumberJson;
  return { company, first, second, number };
}

const personRow = (id: string) =>
  env.DB.prepare('SELECT club_id, last_number_id, owner_user_id FROM people WHERE id = ?').bind(id).first<{
    club_id: string;
    last_number_id: string | null;
  }>();

describe('clubs', () => {
  it('a company starts with one club, named after it, holding its first number', async () => {
    const company = await makeCompany({ name: 'Iron Works Gym' });
    const clubs = await clubsOf(company);
    expect(clubs).toMatchObject([
      {
        name: 'Iron Works Gym',
        timezone: 'Europe/London',
        assignment: 'manual',
        numbers: [{ phone_number_id: company.phoneNumberId, enabled: true }],
      },
    ]);
  });

  it('admins add and change clubs, with names unique in the company and real time zones; each change audited', async () => {
    const { company, second } = await twoClubs();
    expect(second).toMatchObject({ name: 'Leeds City', timezone: 'Europe/London', assignment: 'manual', numbers: [] });
    await expectError(await api(company, 'POST', '/api/v1/clubs', { name: 'Leeds City' }), 409, 'club_name_taken');
    await expectError(
      await api(company, 'POST', '/api/v1/clubs', { name: 'Mars', timezone: 'Mars/Olympus' }),
      422,
      'invalid_timezone',
    );
    await expectError(await api(company, 'POST', '/api/v1/clubs', { name: 'X', colour: 'red' }), 422, 'unknown_field');
    const res = await api(company, 'PATCH', `/api/v1/clubs/${second.id}`, {
      assignment: 'round_robin',
      timezone: 'europe/dublin',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ assignment: 'round_robin', timezone: 'Europe/Dublin' });
    expect((await clubsOf(company)).map((c) => c.name)).toEqual(['Test Gym', 'Leeds City']);
    const entries = await auditOf(company.id, 'club.updated');
    expect(entries[0]?.details).toMatchObject({
      name: 'Leeds City',
      changed: { assignment: { from: 'manual', to: 'round_robin' } },
    });
    expect(await auditOf(company.id, 'club.created')).toHaveLength(1);
  });

  it("another company's club answers 404; staff read clubs but may not change them", async () => {
    const { company, second } = await twoClubs();
    const other = await makeCompany();
    await expectError(await api(other, 'PATCH', `/api/v1/clubs/${second.id}`, { name: 'Mine now' }), 404, 'not_found');
    await expectError(await api(other, 'GET', `/api/v1/clubs/${second.id}`), 404, 'not_found');
    const staff = await staffSession(company);
    expect((await staff.fetch('/api/v1/clubs')).status).toBe(200);
    const refused = await staff.fetch('/api/v1/clubs', { method: 'POST', body: { name: 'Bradford' } });
    await expectError(refused, 403, 'forbidden');
  });
});

describe('WhatsApp numbers per club', () => {
  it('the platform admin lists, adds and disables numbers; a number is connected to one place only', async () => {
    const { company, second, number } = await twoClubs();
    const list = await admin('GET', `/companies/${company.id}/whatsapp/numbers`);
    expect(((await list.json()) as { collection: NumberJson[] }).collection).toMatchObject([
      { phone_number_id: company.phoneNumberId, first: true, enabled: true },
      { phone_number_id: number.phone_number_id, club_id: second.id, first: false, enabled: true },
    ]);
    const other = await makeCompany();
    const [otherClub] = await clubsOf(other);
    const taken = await admin('POST', `/companies/${other.id}/whatsapp/numbers`, {
      club_id: otherClub?.id,
      phone_number_id: number.phone_number_id,
      display_phone_number: '+44 113 496 0001',
    });
    await expectError(taken, 409, 'phone_number_taken');
    // Nor may a company's first number be one another company already has as a club's number.
    const put = await admin('PUT', `/companies/${other.id}/whatsapp`, {
      enabled: true,
      waba_id: '1022000',
      phone_number_id: number.phone_number_id,
      display_phone_number: '+44 113 496 0001',
      access_token: 'x',
    });
    await expectError(put, 409, 'phone_number_taken');
    const wrongClub = await admin('POST', `/companies/${company.id}/whatsapp/numbers`, {
      club_id: otherClub?.id,
      phone_number_id: newNumberId(),
      display_phone_number: '+44 113 496 0002',
    });
    await expectError(wrongClub, 422, 'unknown_club');
    const disabled = await admin('PATCH', `/companies/${company.id}/whatsapp/numbers/${number.id}`, { enabled: false });
    expect(await disabled.json()).toMatchObject({ enabled: false });
    expect(await auditOf(company.id, 'whatsapp.number_disabled')).toHaveLength(1);
  });

  it("an unknown sender on a club's number becomes a lead of that club, and the reply goes from that number", async () => {
    const { company, second, number } = await twoClubs();
    const clubSim = env.META_SANDBOX.getByName(number.phone_number_id);
    await clubSim.configure({ delivery: 'manual' });
    const firstSim = await manualSimulator(company);
    await clubSim.inbound({ from: '447700900123', text: 'Hi, do you have a pool?', name: 'Jo Bloggs' });
    const found = await api(company, 'GET', '/api/v1/people?q=447700900123');
    const [person] = ((await found.json()) as { collection: { id: string }[] }).collection;
    if (!person) throw new Error('the sender should be a lead now');
    expect(await personRow(person.id)).toMatchObject({ club_id: second.id, last_number_id: number.phone_number_id });

    expect((await sendText(company, person.id, 'Yes, 25 m')).status).toBe(202);
    expect((await clubSim.listMessages()).map((m) => m.to)).toEqual(['447700900123']);
    expect(await firstSim.listMessages()).toEqual([]);
  });

  it('counts the window per number: a person who wrote to one number is outside the window on another', async () => {
    const { company, number } = await twoClubs();
    const clubSim = env.META_SANDBOX.getByName(number.phone_number_id);
    await clubSim.configure({ delivery: 'manual' });
    const firstSim = await manualSimulator(company);
    // Sheena belongs to the first club but writes to the Leeds number: the reply goes from Leeds, in its window.
    const person = await makePerson(company);
    await clubSim.inbound({ from: person.phone, text: 'Is Leeds open late?' });
    expect((await sendText(company, person.id, 'Until 22:00')).status).toBe(202);
    // Leeds' number is switched off: replies go from her club's number, where she never wrote, so only a
    // template may go (Meta would refuse free text there).
    await admin('PATCH', `/companies/${company.id}/whatsapp/numbers/${number.id}`, { enabled: false });
    await expectError(await sendText(company, person.id, 'Still there?'), 409, 'window_closed');
    // Once she writes to that number too, its window is open.
    await firstSim.inbound({ from: person.phone, text: 'Hello?' });
    expect((await sendText(company, person.id, 'Yes!')).status).toBe(202);
    expect(await firstSim.listMessages()).toHaveLength(1);
    expect(await clubSim.listMessages()).toHaveLength(1);
  });

  it('a disabled number still delivers what people send to it: nothing Meta sends is lost', async () => {
    const { company, number } = await twoClubs();
    await admin('PATCH', `/companies/${company.id}/whatsapp/numbers/${number.id}`, { enabled: false });
    const clubSim = env.META_SANDBOX.getByName(number.phone_number_id);
    const person = await makePerson(company);
    const res = await clubSim.inbound({ from: person.phone, text: 'Anyone there?' });
    expect(res.status).toBe(200);
    const history = await api(company, 'GET', `/api/v1/people/${person.id}/history?filter=whatsapp`);
    expect(((await history.json()) as { collection: { body: string }[] }).collection.map((n) => n.body)).toEqual([
      'Anyone there?',
    ]);
  });

  it('a first message sent to two numbers at once makes one lead, with both messages', async () => {
    const { company, number } = await twoClubs();
    const clubSim = env.META_SANDBOX.getByName(number.phone_number_id);
    const firstSim = env.META_SANDBOX.getByName(company.phoneNumberId);
    await Promise.all([
      clubSim.inbound({ from: '447700900777', text: 'to Leeds' }),
      firstSim.inbound({ from: '447700900777', text: 'to the first club' }),
    ]);
    const rows = await env.DB.prepare('SELECT id FROM people WHERE company_id = ? AND phone = ?')
      .bind(company.id, '+447700900777')
      .all<{ id: string }>();
    expect(rows.results).toHaveLength(1);
    const id = rows.results[0]?.id ?? '';
    const history = await api(company, 'GET', `/api/v1/people/${id}/history?filter=whatsapp`);
    const bodies = ((await history.json()) as { collection: { body: string }[] }).collection.map((n) => n.body);
    expect(bodies.sort()).toEqual(['to Leeds', 'to the first club']);
  });
});

describe('automated items by club', () => {
  it('an item for some clubs reaches only their people; an unknown club is refused', async () => {
    const { company, second } = await twoClubs();
    await approveTemplate(company.id, { name: 'come_back' });
    const item = await makeItem(company, {
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: ALL_DAY,
      audience: { club_ids: [second.id] },
    });
    const leeds = await makePerson(company, { first_name: 'Leeds' });
    await makePerson(company, { first_name: 'Elsewhere' });
    await env.DB.prepare('UPDATE people SET club_id = ? WHERE id = ?').bind(second.id, leeds.id).run();
    const preview = await api(company, 'POST', `/api/v1/whatsapp/automations/${item.id}/preview`);
    expect(await preview.json()).toMatchObject({ due: 1, would_send: [{ person_id: leeds.id }] });
    const refused = await api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, {
      audience: { club_ids: ['clb_nope'] },
    });
    await expectError(refused, 422, 'unknown_club');
  });

  it('a manager limited to one club previews only that club’s people', async () => {
    const { company, first, second } = await twoClubs();
    await approveTemplate(company.id, { name: 'come_back' });
    const item = await makeItem(company, {
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: ALL_DAY,
    });
    const leeds = await makePerson(company, { first_name: 'Leeds', club_id: second.id });
    const home = await makePerson(company, { first_name: 'Home', club_id: first.id });
    const path = `/api/v1/whatsapp/automations/${item.id}/preview`;
    const whole = await api(company, 'POST', path);
    expect(await whole.json()).toMatchObject({ due: 2 });
    const manager = await staffSession(company, 'manager', { clubIds: [second.id] });
    const mine = (await (await manager.fetch(path, { method: 'POST' })).json()) as {
      due: number;
      would_send: { person_id: string }[];
    };
    expect(mine.due).toBe(1);
    expect(mine.would_send.map((p) => p.person_id)).toEqual([leeds.id]);
    expect(mine.would_send.map((p) => p.person_id)).not.toContain(home.id);
  });
});
