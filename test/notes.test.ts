// Internal notes and @mentions: a note is a history note of its own that goes nowhere (not to Meta, not into
// unread, usage, counters or the conversation's last message); a mention is refused for anyone who may not see
// the person, pushes the mentioned user alone, and files the conversation under their Mentions until they read it.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { conversationsPage } from '../worker/inbox/conversations';
import { mentionsCountStatement } from '../worker/inbox/counts';
import { localDate } from '../worker/usage/service';
import { auditOf } from './helpers/audit';
import { makeClub } from './helpers/clubs';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { queryPlan } from './helpers/pages';
import { browserSubscription, decryptPush, pushDeliveries } from './helpers/push';
import { countersOf, expectError, manualSimulator } from './helpers/sandbox';
import { makeUser, staffSession } from './helpers/staff';

type Staff = Awaited<ReturnType<typeof staffSession>>;

interface NoteJson {
  id: string;
  type: string;
  body: string | null;
  direction: string | null;
  content: { mentions: { id: string; name: string }[] };
  actor: { kind: string; id: string; name: string } | null;
}

interface Row {
  person_id: string;
  unread_count: number;
  mentions_unread: number;
  last_message: { id: string; preview: string } | null;
}

const addNote = (staff: Staff, personId: string, text: string) =>
  staff.fetch(`/api/v1/people/${personId}/notes`, { method: 'POST', body: { text } });

async function noteOf(res: Response): Promise<NoteJson> {
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as NoteJson;
}

async function rows(staff: Staff, query = ''): Promise<Row[]> {
  const res = await staff.fetch(`/api/v1/conversations${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: Row[] }).collection;
}

async function counts(staff: Staff) {
  return (await (await staff.fetch('/api/v1/conversations/counts')).json()) as Record<string, number | null>;
}

/** A person who wrote once (a conversation row, one unread message). */
async function writtenTo(company: TestCompany, fields: Record<string, unknown> = {}) {
  const sim = await manualSimulator(company);
  const person = await makePerson(company, fields);
  await sim.inbound({ from: person.phone, text: 'Hi, how much is it?' });
  return { sim, person };
}

describe('a note', () => {
  it('is a history note of its own, by its author, listed with ?filter=note and in the conversation in order', async () => {
    const company = await makeCompany();
    const { person } = await writtenTo(company);
    const sam = await staffSession(company, 'staff', { name: 'Sam Staff' });

    const note = await noteOf(await addNote(sam, person.id, '  Called her back: tour on Friday.  '));
    expect(note).toMatchObject({
      type: 'note',
      body: 'Called her back: tour on Friday.',
      direction: null,
      content: { mentions: [] },
      actor: { kind: 'user', id: sam.user.id, name: 'Sam Staff' },
    });

    const history = await api(company, 'GET', `/api/v1/people/${person.id}/history?filter=note`);
    expect(((await history.json()) as { collection: NoteJson[] }).collection.map((n) => n.id)).toEqual([note.id]);
    const all = await api(company, 'GET', `/api/v1/people/${person.id}/history`);
    expect(((await all.json()) as { collection: NoteJson[] }).collection[0]?.id).toBe(note.id);

    const messages = await sam.fetch(`/api/v1/conversations/${person.id}/messages`);
    const shown = ((await messages.json()) as { collection: NoteJson[] }).collection;
    expect(shown.map((m) => [m.type, m.body])).toEqual([
      ['note', 'Called her back: tour on Friday.'],
      ['whatsapp_received', 'Hi, how much is it?'],
    ]);
    expect(await auditOf(company.id, 'person.note_added')).toMatchObject([
      { target: { type: 'person', id: person.id }, details: { note_id: note.id, mentions: [] } },
    ]);
  });

  it('is never sent, and counted nowhere: not unread, not the last message, not in counters or usage', async () => {
    const company = await makeCompany();
    const { sim, person } = await writtenTo(company);
    const sam = await staffSession(company, 'staff');
    const before = (await rows(sam))[0];
    const sentBefore = await sim.sendRequests();

    await noteOf(await addNote(sam, person.id, 'Price objection: offer the student rate.'));

    const after = (await rows(sam))[0];
    expect(after).toMatchObject({
      person_id: person.id,
      unread_count: 1,
      last_message: { id: before?.last_message?.id, preview: 'Hi, how much is it?' },
    });
    expect(await counts(sam)).toMatchObject({ all: 1, unassigned: 1 });
    expect(await sim.sendRequests()).toBe(sentBefore);
    expect(await countersOf(company, person.id)).toEqual({
      membership: { sent: 0, received: 1 },
      secondary: { sent: 0, received: 0 },
    });
    const today = localDate(Date.now(), 'Europe/London');
    const usage = await api(company, 'GET', `/api/v1/whatsapp/usage?from=${today}&to=${today}`);
    const totals = ((await usage.json()) as { totals: Record<string, { sent: number }> }).totals;
    expect(Object.values(totals).every((t) => t.sent === 0)).toBe(true);
  });

  it('may be written on someone who never wrote, which makes no inbox row', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const sam = await staffSession(company, 'staff');
    await noteOf(await addNote(sam, person.id, 'Met at the open day.'));
    expect(await rows(sam)).toEqual([]);
    const row = await sam.fetch(`/api/v1/conversations/${person.id}`);
    expect(await row.json()).toMatchObject({ last_message: null, unread_count: 0 });
  });

  it('refuses empty and over-long text, unknown fields, and someone the caller may not see', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const person = await makePerson(company);
    const stranger = await makePerson(other);
    const sam = await staffSession(company, 'staff');
    await expectError(await addNote(sam, person.id, '   '), 422, 'validation_failed');
    await expectError(await addNote(sam, person.id, 'x'.repeat(4001)), 422, 'validation_failed');
    await expectError(
      await sam.fetch(`/api/v1/people/${person.id}/notes`, { method: 'POST', body: { text: 'a', pinned: true } }),
      422,
      'unknown_field',
    );
    await expectError(await addNote(sam, stranger.id, 'hello'), 404, 'not_found');
    expect((await addNote(sam, person.id, 'x'.repeat(4000))).status).toBe(201);
  });
});

describe('mentions', () => {
  it('stores the id, names the user in the note, and refuses (422, by name) a user who may not see the person', async () => {
    const company = await makeCompany();
    const leeds = await makeClub(company, 'Leeds');
    const { person } = await writtenTo(company);
    const sam = await staffSession(company, 'staff', { name: 'Sam Staff' });
    const ben = await makeUser(company, 'staff', { name: 'Ben Carter' });
    const lena = await makeUser(company, 'staff', { name: 'Lena Leeds', clubIds: [leeds] });
    const sid = await makeUser(company, 'salesperson', { name: 'Sid Seller' });
    const colleague = await makeUser(company, 'salesperson', { name: 'Cole Owner' });

    // Someone limited to another club may not see her.
    await expectError(await addNote(sam, person.id, `@[${lena.id}] can you call?`), 422, 'mention_not_allowed');
    const refused = await addNote(sam, person.id, `@[${lena.id}] and @[${ben.id}]`);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/^Lena Leeds may not see/);
    // An unowned lead is every salesperson's to see; once a colleague owns her, Sid may not see her.
    expect((await addNote(sam, person.id, `@[${sid.id}] yours?`)).status).toBe(201);
    expect((await api(company, 'PATCH', `/api/v1/people/${person.id}`, { owner_user_id: colleague.id })).status).toBe(
      200,
    );
    await expectError(await addNote(sam, person.id, `@[${sid.id}] yours?`), 422, 'mention_not_allowed');
    await expectError(await addNote(sam, person.id, '@[usr_nobody0000000000000] hi'), 422, 'unknown_mention');

    const note = await noteOf(await addNote(sam, person.id, `@[${ben.id}] she wants a tour; @[${colleague.id}] FYI`));
    expect(note.body).toBe(`@[${ben.id}] she wants a tour; @[${colleague.id}] FYI`);
    expect(note.content.mentions).toEqual([
      { id: ben.id, name: 'Ben Carter' },
      { id: colleague.id, name: 'Cole Owner' },
    ]);
    // Refused notes wrote nothing.
    const notes = await api(company, 'GET', `/api/v1/people/${person.id}/history?filter=note`);
    expect(((await notes.json()) as { collection: NoteJson[] }).collection).toHaveLength(2);
  });

  it('offers in the @ list only active users who may see the person, the caller left out', async () => {
    const company = await makeCompany();
    const leeds = await makeClub(company, 'Leeds');
    const person = await makePerson(company);
    const sam = await staffSession(company, 'staff', { name: 'Sam Staff' });
    const ben = await makeUser(company, 'manager', { name: 'Ben Carter' });
    await makeUser(company, 'staff', { name: 'Lena Leeds', clubIds: [leeds] });
    const leaver = await makeUser(company, 'staff', { name: 'Al Gone' });
    await env.DB.prepare('UPDATE users SET deactivated_at = ?1 WHERE id = ?2').bind(Date.now(), leaver.id).run();
    const sid = await makeUser(company, 'salesperson', { name: 'Sid Seller' });

    const res = await sam.fetch(`/api/v1/people/${person.id}/mentionable`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { collection: { id: string; name: string }[] }).collection).toEqual([
      { id: ben.id, name: 'Ben Carter', role: 'manager' },
      { id: sid.id, name: 'Sid Seller', role: 'salesperson' },
    ]);
    const stranger = await makePerson(await makeCompany());
    await expectError(await sam.fetch(`/api/v1/people/${stranger.id}/mentionable`), 404, 'not_found');
  });

  it('pushes "Sam mentioned you" to the mentioned user only, opening the conversation', async () => {
    const company = await makeCompany();
    const { person } = await writtenTo(company, { first_name: 'Maria', last_name: 'Gomez' });
    const sam = await staffSession(company, 'staff', { name: 'Sam Staff' });
    const ben = await staffSession(company, 'staff', { name: 'Ben Carter' });
    const cleo = await staffSession(company, 'staff', { name: 'Cleo Other' });
    const subscribed = async (s: Staff) => {
      const browser = await browserSubscription();
      expect((await s.fetch('/api/v1/push/subscriptions', { method: 'POST', body: browser.json })).status).toBe(201);
      return browser;
    };
    const [samPhone, benPhone, cleoPhone] = [await subscribed(sam), await subscribed(ben), await subscribed(cleo)];

    await noteOf(
      await addNote(sam, person.id, `@[${ben.user.id}] she asked for you, call her today @[${sam.user.id}]`),
    );

    await vi.waitFor(async () => expect(await pushDeliveries(benPhone)).toHaveLength(1));
    const [delivery] = await pushDeliveries(benPhone);
    if (!delivery) throw new Error('no push');
    expect(await decryptPush(benPhone, delivery)).toEqual({
      title: 'Maria Gomez',
      body: 'Sam Staff mentioned you: @Ben Carter she asked for you, call her today @Sam Staff',
      tag: `mention-${person.id}`,
      url: `/c/${person.id}`,
    });
    // A later note mentioning Cleo reaches her, which shows Ben's push was all the first note sent.
    await noteOf(await addNote(ben, person.id, `@[${cleo.user.id}] over to you`));
    await vi.waitFor(async () => expect(await pushDeliveries(cleoPhone)).toHaveLength(1));
    expect(await pushDeliveries(samPhone)).toEqual([]);
    expect(await pushDeliveries(benPhone)).toHaveLength(1);
  });

  it('files the conversation under Mentions for the mentioned user until they read it, and only for them', async () => {
    const company = await makeCompany();
    const a = await writtenTo(company, { first_name: 'Ann' });
    const b = await writtenTo(company, { first_name: 'Bob' });
    const c = await writtenTo(company, { first_name: 'Cat' });
    const sam = await staffSession(company, 'staff', { name: 'Sam Staff' });
    const ben = await staffSession(company, 'staff', { name: 'Ben Carter' });

    await noteOf(await addNote(sam, a.person.id, `@[${ben.user.id}] first`));
    await noteOf(await addNote(sam, a.person.id, `@[${ben.user.id}] second`));
    await noteOf(await addNote(sam, c.person.id, `@[${ben.user.id}] third`));
    await noteOf(await addNote(ben, b.person.id, `@[${sam.user.id}] for Sam`));

    // Newest conversation first, as every inbox view.
    expect((await rows(ben, '?mentions=me')).map((r) => [r.person_id, r.mentions_unread])).toEqual([
      [c.person.id, 1],
      [a.person.id, 2],
    ]);
    expect((await rows(sam, '?mentions=me')).map((r) => r.person_id)).toEqual([b.person.id]);
    expect((await rows(ben, '?mentions=me&per_page=1')).map((r) => r.person_id)).toEqual([c.person.id]);
    expect(await counts(ben)).toMatchObject({ mentions: 2, all: 3 });

    // Sam reading Ann's conversation reads nothing of Ben's.
    expect((await sam.fetch(`/api/v1/conversations/${a.person.id}/read`, { method: 'POST', body: {} })).status).toBe(
      200,
    );
    expect((await rows(ben, '?mentions=me')).map((r) => r.person_id)).toEqual([c.person.id, a.person.id]);
    const read = await ben.fetch(`/api/v1/conversations/${a.person.id}/read`, { method: 'POST', body: {} });
    expect(await read.json()).toMatchObject({ person_id: a.person.id, mentions_unread: 0 });
    expect((await rows(ben, '?mentions=me')).map((r) => r.person_id)).toEqual([c.person.id]);
    expect(await counts(ben)).toMatchObject({ mentions: 1 });
    // A new mention after reading counts again.
    await noteOf(await addNote(sam, a.person.id, `@[${ben.user.id}] one more`));
    expect(await counts(ben)).toMatchObject({ mentions: 2 });
    // An API key is nobody: it has no Mentions.
    await expectError(await api(company, 'GET', '/api/v1/conversations?mentions=me'), 422, 'validation_failed');
    expect(await (await api(company, 'GET', '/api/v1/conversations/counts')).json()).toMatchObject({ mentions: null });
  });

  it('leaves out of Mentions a conversation the user may no longer see', async () => {
    const company = await makeCompany();
    const { person } = await writtenTo(company);
    const sam = await staffSession(company, 'staff');
    const sid = await staffSession(company, 'salesperson');
    const colleague = await makeUser(company, 'salesperson');
    await noteOf(await addNote(sam, person.id, `@[${sid.user.id}] a lead for you?`));
    expect((await rows(sid, '?mentions=me')).map((r) => r.person_id)).toEqual([person.id]);
    expect((await api(company, 'PATCH', `/api/v1/people/${person.id}`, { owner_user_id: colleague.id })).status).toBe(
      200,
    );
    expect(await rows(sid, '?mentions=me')).toEqual([]);
    expect(await counts(sid)).toMatchObject({ mentions: 0 });
  });

  it('keeps every mention of notes written at once, and a read racing new notes leaves only the newer unread', async () => {
    const company = await makeCompany();
    const { person } = await writtenTo(company);
    const sam = await staffSession(company, 'staff');
    const ben = await staffSession(company, 'staff');
    await noteOf(await addNote(sam, person.id, `@[${ben.user.id}] before`));

    const notes = Array.from({ length: 8 }, (_, i) => addNote(sam, person.id, `@[${ben.user.id}] note ${i}`));
    const [readRes, ...written] = await Promise.all([
      ben.fetch(`/api/v1/conversations/${person.id}/read`, { method: 'POST', body: {} }),
      ...notes,
    ]);
    expect(readRes?.status).toBe(200);
    expect(written.every((r) => r.status === 201)).toBe(true);
    // Every note's mention exists once; the read took exactly those written before it.
    const { results } = await env.DB.prepare(
      `SELECT h.body, m.read_at FROM mentions m JOIN history_notes h ON h.id = m.note_id
        WHERE m.company_id = ?1 AND m.user_id = ?2 ORDER BY h.created_at`,
    )
      .bind(company.id, ben.user.id)
      .all<{ body: string; read_at: number | null }>();
    expect(results).toHaveLength(9);
    expect(results[0]?.read_at).not.toBeNull();
    const unread = results.filter((r) => r.read_at === null).length;
    const row = (await rows(ben)).find((r) => r.person_id === person.id);
    expect(row?.mentions_unread).toBe(unread);
    expect(await counts(ben)).toMatchObject({ mentions: unread > 0 ? 1 : 0 });
  });

  it('reads the Mentions view and its count from the unread mentions, never by walking the inbox', async () => {
    const view = { scope: UNSCOPED, owner: null, club: null, me: 'usr_x', mentions: true };
    const page = conversationsPage('com_x', { per_page: 25 }, Date.now(), null, view);
    const plan = (await queryPlan({ sql: page.sql, params: page.params })).join('\n');
    expect(plan).toMatch(/mentions USING (COVERING )?INDEX mentions_user_unread \(company_id=\? AND user_id=\?\)/);
    expect(plan).not.toMatch(/SCAN c\b|SCAN conversations|history_notes_person/);
    const counted = (await queryPlan(mentionsCountStatement('com_x', 'usr_x', UNSCOPED, null))).join('\n');
    expect(counted).toMatch(/mentions_user_unread/);
    expect(counted).not.toMatch(/SCAN c\b|SCAN conversations/);
  });
});
