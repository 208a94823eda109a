// A club's away reply: one free-text answer to a message outside its opening hours, at most once per person per
// 12 hours, never to STOP/START or an opted-out person, through the same send path as any message.
import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../worker/whatsapp/conversation';
import { api, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { conversation, expectError, historyOf, manualSimulator } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

const pad = (n: number) => String(n).padStart(2, '0');

/** Hours that exclude now: every day, one hour starting two hours from now (UTC), so the club is closed. */
function closedNow() {
  const opens = (new Date().getUTCHours() + 2) % 24;
  const interval: [string, string] = [`${pad(opens)}:00`, `${pad((opens + 1) % 24)}:00`];
  const hours = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [interval]]));
  return { hours, opens: `${pad(opens)}:00` };
}
const ALWAYS = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]),
);
const TEXT = 'Hi {{first_name}}, we are closed right now. We open at {{opens_at}}.';

async function firstClub(company: TestCompany): Promise<string> {
  const res = await api(company, 'GET', '/api/v1/clubs');
  return ((await res.json()) as { collection: { id: string }[] }).collection[0]?.id ?? '';
}

async function clubWithAwayReply(hours: Record<string, unknown>) {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const clubId = await firstClub(company);
  const res = await api(company, 'PATCH', `/api/v1/clubs/${clubId}`, {
    timezone: 'UTC',
    hours,
    away_reply: { enabled: true, text: TEXT },
  });
  expect(res.status).toBe(200);
  return { company, sim, clubId };
}

/** Every away reply the person's conversation object started has been decided (sent or refused). */
async function repliesSettled(company: TestCompany, personId: string): Promise<void> {
  await runInDurableObject(conversation(company, personId), async (instance: Conversation) => {
    await Promise.all([...instance.awayReplies]);
  });
}

const sentBodies = async (company: TestCompany, personId: string) =>
  (await historyOf(company, personId, 'whatsapp_sent')).map((n) => ({ body: n.body, by: n.actor?.name }));

describe('away replies', () => {
  it('answers a message outside the hours once, in the person’s name, marked automatic; the next 12 hours stay quiet', async () => {
    const { hours, opens } = closedNow();
    const { company, sim } = await clubWithAwayReply(hours);
    const person = await makePerson(company, { first_name: 'Sheena' });
    await sim.inbound({ from: person.phone, text: 'Are you open?' });
    await repliesSettled(company, person.id);
    const sent = await sentBodies(company, person.id);
    expect(sent).toEqual([
      { body: expect.stringMatching(/^Hi Sheena, we are closed right now\. We open at /), by: 'Away reply' },
    ]);
    expect(sent[0]?.body).toContain(opens);
    expect(await sim.listMessages()).toHaveLength(1);

    await sim.inbound({ from: person.phone, text: 'Hello??' });
    await repliesSettled(company, person.id);
    expect(await sentBodies(company, person.id)).toHaveLength(1);
    // Counted as a sent message, like any other.
    const counters = await api(company, 'GET', `/api/v1/people/${person.id}`);
    expect(await counters.json()).toMatchObject({ counters: { whatsapp: { membership: { sent: 1, received: 2 } } } });
  });

  it('asks with reply buttons when the club set them, and the person’s tap comes back', async () => {
    const { company, sim, clubId } = await clubWithAwayReply(closedNow().hours);
    const patched = await api(company, 'PATCH', `/api/v1/clubs/${clubId}`, {
      away_reply: { enabled: true, text: TEXT, buttons: ['Call me back', 'Book a tour'] },
    });
    expect(await patched.json()).toMatchObject({ away_reply: { buttons: ['Call me back', 'Book a tour'] } });
    const person = await makePerson(company, { first_name: 'Sheena' });
    await sim.inbound({ from: person.phone, text: 'Are you open?' });
    await repliesSettled(company, person.id);
    const [sent] = await sim.listMessages();
    expect(sent?.request).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: expect.stringMatching(/^Hi Sheena, we are closed right now/) },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'Call me back', title: 'Call me back' } },
            { type: 'reply', reply: { id: 'Book a tour', title: 'Book a tour' } },
          ],
        },
      },
    });
    expect(await sentBodies(company, person.id)).toEqual([
      { body: expect.stringMatching(/^Hi Sheena/), by: 'Away reply' },
    ]);
    await sim.answer({ wamid: sent?.wamid ?? '', choice: 'Book a tour' });
    expect((await historyOf(company, person.id, 'whatsapp_received'))[0]?.body).toBe('Book a tour');
  });

  it('refuses away reply buttons that break Meta’s rules', async () => {
    const { company, clubId } = await clubWithAwayReply(closedNow().hours);
    for (const buttons of [['a', 'b', 'c', 'd'], ['Twenty-one characters'], ['Same', 'Same'], ['']]) {
      const res = await api(company, 'PATCH', `/api/v1/clubs/${clubId}`, {
        away_reply: { enabled: true, text: TEXT, buttons },
      });
      await expectError(res, 422, 'validation_failed');
    }
  });

  it('sends one reply to two messages that arrive at once', async () => {
    const { company, sim } = await clubWithAwayReply(closedNow().hours);
    const person = await makePerson(company);
    await Promise.all([
      sim.inbound({ from: person.phone, text: 'one' }),
      sim.inbound({ from: person.phone, text: 'two' }),
    ]);
    await repliesSettled(company, person.id);
    expect(await sentBodies(company, person.id)).toHaveLength(1);
  });

  it('never answers STOP or START, nor anyone opted out', async () => {
    const { company, sim } = await clubWithAwayReply(closedNow().hours);
    const stopper = await makePerson(company);
    await sim.inbound({ from: stopper.phone, text: 'STOP' });
    await repliesSettled(company, stopper.id);
    // Opted out now: a later ordinary message gets no away reply either.
    await sim.inbound({ from: stopper.phone, text: 'what time do you open?' });
    await repliesSettled(company, stopper.id);
    expect(await sentBodies(company, stopper.id)).toEqual([]);
    expect(await sim.listMessages()).toEqual([]);
  });

  it('answers someone who wrote before the club set its hours, as soon as the hours are set', async () => {
    // Their first message was stored while the club had no away reply, and what the lookup found was remembered
    // with them as a sender: setting the hours must not wait for that to expire.
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const clubId = await firstClub(company);
    const person = await makePerson(company, { first_name: 'Sheena' });
    await sim.inbound({ from: person.phone, text: 'hi' });
    await repliesSettled(company, person.id);
    expect(await sentBodies(company, person.id)).toEqual([]);

    const res = await api(company, 'PATCH', `/api/v1/clubs/${clubId}`, {
      timezone: 'UTC',
      hours: closedNow().hours,
      away_reply: { enabled: true, text: TEXT },
    });
    expect(res.status).toBe(200);
    await sim.inbound({ from: person.phone, text: 'Are you open?' });
    await repliesSettled(company, person.id);
    expect(await sentBodies(company, person.id)).toEqual([
      { body: expect.stringMatching(/^Hi Sheena, we are closed right now/), by: 'Away reply' },
    ]);
  });

  it('stays quiet while the club is open, when switched off, and when no hours are set', async () => {
    const open = await clubWithAwayReply(ALWAYS);
    const a = await makePerson(open.company);
    await open.sim.inbound({ from: a.phone, text: 'hi' });
    await repliesSettled(open.company, a.id);
    expect(await sentBodies(open.company, a.id)).toEqual([]);

    const off = await clubWithAwayReply(closedNow().hours);
    await api(off.company, 'PATCH', `/api/v1/clubs/${off.clubId}`, { away_reply: { enabled: false, text: TEXT } });
    const b = await makePerson(off.company);
    await off.sim.inbound({ from: b.phone, text: 'hi' });
    await repliesSettled(off.company, b.id);
    expect(await sentBodies(off.company, b.id)).toEqual([]);
    expect(await off.sim.listMessages()).toEqual([]);

    const noHours = await clubWithAwayReply(closedNow().hours);
    await api(noHours.company, 'PATCH', `/api/v1/clubs/${noHours.clubId}`, { hours: null });
    const c = await makePerson(noHours.company);
    await noHours.sim.inbound({ from: c.phone, text: 'hi' });
    await repliesSettled(noHours.company, c.id);
    expect(await sentBodies(noHours.company, c.id)).toEqual([]);
  });

  it('managers set hours and the away reply, not the rest; staff neither; bad hours are refused', async () => {
    const company = await makeCompany();
    const clubId = await firstClub(company);
    const manager = await staffSession(company, 'manager');
    const path = `/api/v1/clubs/${clubId}`;
    const ok = await manager.fetch(path, { method: 'PATCH', body: { closed_dates: ['2026-12-26', '2026-12-25'] } });
    expect(await ok.json()).toMatchObject({ closed_dates: ['2026-12-25', '2026-12-26'] });
    await expectError(await manager.fetch(path, { method: 'PATCH', body: { name: 'Mine' } }), 403, 'forbidden');
    const staff = await staffSession(company);
    await expectError(await staff.fetch(path, { method: 'PATCH', body: { closed_dates: [] } }), 403, 'forbidden');
    const bad = { ...ALWAYS, mon: [['25:00', '26:00']] };
    await expectError(await api(company, 'PATCH', path, { hours: bad }), 422, 'validation_failed');
    const sixDays = { ...ALWAYS } as Record<string, unknown>;
    delete sixDays.sun;
    await expectError(await api(company, 'PATCH', path, { hours: sixDays }), 422, 'validation_failed');
    await expectError(
      await api(company, 'PATCH', path, { away_reply: { enabled: true, text: '' } }),
      422,
      'validation_failed',
    );
  });

  it('answers in the hours of the club whose number the person wrote to, from that number', async () => {
    const company = await makeCompany();
    const firstSim = await manualSimulator(company);
    const first = await firstClub(company);
    await api(company, 'PATCH', `/api/v1/clubs/${first}`, { hours: ALWAYS, away_reply: { enabled: true, text: TEXT } });
    const created = await api(company, 'POST', '/api/v1/clubs', { name: 'Night Owls', timezone: 'UTC' });
    const night = ((await created.json()) as { id: string }).id;
    await api(company, 'PATCH', `/api/v1/clubs/${night}`, {
      hours: closedNow().hours,
      away_reply: { enabled: true, text: 'Closed, {{first_name}}!' },
    });
    const nightNumber = `1067${Math.floor(Math.random() * 1e11)}`;
    const added = await exports.default.fetch(`${BASE}/api/admin/companies/${company.id}/whatsapp/numbers`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' },
      body: JSON.stringify({ club_id: night, phone_number_id: nightNumber, display_phone_number: '15550100077' }),
    });
    expect(added.status).toBe(201);
    const nightSim = env.META_SANDBOX.getByName(nightNumber);
    await nightSim.configure({ delivery: 'manual' });
    const person = await makePerson(company, { first_name: 'Ada' });
    // To the first club's number (open): nothing. To the night club's (closed): its own reply, from its number.
    await firstSim.inbound({ from: person.phone, text: 'hi' });
    await repliesSettled(company, person.id);
    expect(await sentBodies(company, person.id)).toEqual([]);
    await nightSim.inbound({ from: person.phone, text: 'hi again' });
    await repliesSettled(company, person.id);
    expect(await sentBodies(company, person.id)).toEqual([{ body: 'Closed, Ada!', by: 'Away reply' }]);
    expect(await nightSim.listMessages()).toHaveLength(1);
    expect(await firstSim.listMessages()).toEqual([]);
  });
});
