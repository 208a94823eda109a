// The inbox API as the staff app uses it: conversation rows, messages with media, quotes and reactions,
// read state (also at Meta), the media proxy, and company isolation.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { historyNotes } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { conversationsPage } from '../worker/inbox/conversations';
import { messagesPageQuery } from '../worker/inbox/messages';
import { searchMatch } from '../worker/people/search';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { foreignCursor, queryPlan, rowsRead, walkPages } from './helpers/pages';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

interface Conversation {
  person_id: string;
  name: string;
  phone: string;
  last_message: { direction: string; preview: string; status: string | null } | null;
  unread_count: number;
  window_open: boolean;
  window_expires_at: string | null;
  opted_out: boolean;
  last_failed: boolean;
}

interface Message {
  id: string;
  wamid: string | null;
  direction: string | null;
  message_type: string | null;
  body: string | null;
  status: string | null;
  media: { id: string; mime_type: string; caption: string | null; url: string } | null;
  quoted: { wamid: string; body: string | null; direction: string } | null;
  reactions: { emoji: string; direction: string }[];
}

async function setUp() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const staff = await staffSession(company);
  const list = async (query = ''): Promise<Conversation[]> => {
    const res = await staff.fetch(`/api/v1/conversations${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { collection: Conversation[] }).collection;
  };
  const messages = async (personId: string): Promise<Message[]> => {
    const res = await staff.fetch(`/api/v1/conversations/${personId}/messages`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { collection: Message[] }).collection;
  };
  return { company, sim, staff, list, messages };
}

const digits = (phone: string) => phone.slice(1);

async function personWhoWrote(
  company: TestCompany,
  sim: Awaited<ReturnType<typeof manualSimulator>>,
  text: string,
  name: string,
) {
  const person = await makePerson(company, { first_name: name });
  const { wamid } = await sim.inbound({ from: digits(person.phone), text, name });
  return { ...person, wamid };
}

describe('conversations list', () => {
  it('shows conversations newest first with preview, unread count, window and markers', async () => {
    const { company, sim, list } = await setUp();
    const quiet = await makePerson(company, { first_name: 'Quiet' });
    const older = await personWhoWrote(company, sim, 'Is the pool open?', 'Olive');
    const newer = await personWhoWrote(company, sim, 'Hi, what are your prices?', 'Nadia');
    await sim.inbound({ from: digits(newer.phone), text: 'And do you have classes?', name: 'Nadia' });

    const rows = await list();
    expect(rows.map((r) => r.person_id)).toEqual([newer.id, older.id]);
    expect(rows.some((r) => r.person_id === quiet.id)).toBe(false);
    expect(rows[0]).toMatchObject({
      name: 'Nadia',
      last_message: { direction: 'inbound', preview: 'And do you have classes?' },
      unread_count: 2,
      window_open: true,
      opted_out: false,
      last_failed: false,
    });
    expect(Date.parse(rows[0]?.window_expires_at ?? '')).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it('searches by name or phone and filters by unread, open window and opt-out', async () => {
    const { company, sim, staff, list } = await setUp();
    const olive = await personWhoWrote(company, sim, 'Hello', 'Olive');
    const nadia = await personWhoWrote(company, sim, 'STOP', 'Nadia');
    await staff.fetch(`/api/v1/conversations/${olive.id}/read`, { method: 'POST', body: {} });

    expect((await list('?q=oli')).map((r) => r.person_id)).toEqual([olive.id]);
    expect((await list(`?q=${nadia.phone.slice(-6)}`)).map((r) => r.person_id)).toEqual([nadia.id]);
    expect((await list('?q=100%25')).length).toBe(0);
    expect((await list('?unread=true')).map((r) => r.person_id)).toEqual([nadia.id]);
    expect((await list('?opted_out=true')).map((r) => r.person_id)).toEqual([nadia.id]);
    expect((await list('?opted_out=false')).map((r) => r.person_id)).toEqual([olive.id]);
    expect((await list('?window_open=true')).length).toBe(2);
    const page = await staff.fetch('/api/v1/conversations?per_page=1&page=2');
    expect(await page.json()).toMatchObject({
      collection: [{ person_id: olive.id }],
      pagination: { total_entries: 2 },
    });
  });

  it('a broad search (over a thousand people match) walks the list in order and finds the same conversations', async () => {
    const { company, sim, list } = await setUp();
    // 1,100 "Mara…" in the gym's list (straight into D1: the API would take minutes), three of whom write.
    const now = Date.now();
    const rows = Array.from({ length: 1100 }, (_, i) =>
      env.DB.prepare(
        `INSERT INTO people (id, company_id, first_name, phone, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)`,
      ).bind(
        newId('per'),
        company.id,
        `Mara${i}`,
        `+4475${String(now % 1e5).padStart(5, '0')}${String(i).padStart(4, '0')}`,
        now,
      ),
    );
    for (let i = 0; i < rows.length; i += 100) await env.DB.batch(rows.slice(i, i + 100));
    const writers: string[] = [];
    for (const n of [7, 700, 1099]) {
      const person = await env.DB.prepare('SELECT id, phone FROM people WHERE company_id = ?1 AND first_name = ?2')
        .bind(company.id, `Mara${n}`)
        .first<{ id: string; phone: string }>();
      if (!person) throw new Error('not inserted');
      await sim.inbound({ from: digits(person.phone), text: `Hi from ${n}`, name: `Mara${n}` });
      writers.unshift(person.id);
    }
    const other = await personWhoWrote(company, sim, 'Hello', 'Olive');
    expect((await list('?q=mar')).map((r) => r.person_id)).toEqual(writers);
    // Both plans run in the search's one round trip; the one its count does not pick reads only that count.
    const read = async (q: string, plan: 'narrow' | 'broad') => {
      const match = searchMatch(q);
      const page = conversationsPage(company.id, { per_page: 25 }, Date.now(), { match, plan, guarded: true });
      const probe = 'SELECT COUNT(*) FROM (SELECT rowid FROM people_search WHERE people_search MATCH ?1 LIMIT 1001)';
      return { page: await rowsRead(page), count: await rowsRead({ sql: probe, params: [match] }) };
    };
    const notPicked = [await read('mar', 'narrow'), await read('olive', 'broad')];
    for (const r of notPicked) expect(r.page).toBeLessThanOrEqual(r.count + 2);
    expect(notPicked[0]?.count).toBeGreaterThanOrEqual(1000);
    expect((await list('?q=mara70')).map((r) => r.person_id)).toEqual([writers[1]]);
    expect((await list('?q=mar&unread=true&per_page=2')).map((r) => r.person_id)).toEqual(writers.slice(0, 2));
    expect((await list()).map((r) => r.person_id)).toContain(other.id);
  });

  it('reads every filter and both kinds of search as index walks, never a scan of the inbox', async () => {
    const q = { per_page: 25 };
    const plan = async (
      query: Parameters<typeof conversationsPage>[1],
      search: Parameters<typeof conversationsPage>[3],
    ) => {
      const page = conversationsPage('com_x', query, Date.now(), search);
      return (await queryPlan({ sql: page.sql, params: page.params })).join('\n');
    };
    expect(await plan(q, null)).toMatch(
      /SEARCH c USING (COVERING )?INDEX conversations_company_last \(company_id=\?\)/,
    );
    expect(await plan({ ...q, unread: true }, null)).toMatch(/conversations_company_unread/);
    expect(await plan({ ...q, opted_out: true }, null)).toMatch(/conversations_company_opted_out/);
    expect(await plan({ ...q, window_open: true }, null)).toMatch(/COVERING INDEX conversations_company_window/);
    // A narrow search goes from each match to its conversation by the search row id, never the company's list.
    const narrow = await plan({ ...q, q: 'oli' }, { match: 'terms : "oli" *', plan: 'narrow' });
    expect(narrow).toMatch(/SEARCH c USING INDEX conversations_search \(search_rowid=\?\)/);
    // A broad one walks the list in order, probing the matches.
    const broad = await plan({ ...q, q: 'ma' }, { match: 'terms : "ma" *', plan: 'broad' });
    expect(broad).toMatch(/conversations_company_last/);
    for (const p of [narrow, broad]) expect(p).not.toMatch(/SCAN c\b(?! VIRTUAL)/);
  });

  it('marks a failed last send and shows our own last message', async () => {
    const { company, sim, list } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Fay');
    await sim.failRecipient(digits(person.phone), 131026, 'Message undeliverable');
    expect((await sendText(company, person.id, 'Welcome!')).status).toBe(202);
    await sim.flushWebhooks();
    const [row] = await list();
    expect(row).toMatchObject({
      last_message: { direction: 'outbound', preview: 'Welcome!', status: 'failed' },
      last_failed: true,
    });
  });
});

describe('conversation messages', () => {
  it('carries media with the proxy url and caption, quoted replies and reactions on their message', async () => {
    const { company, sim, messages } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Mia');
    expect((await sendText(company, person.id, 'Here is our timetable')).status).toBe(202);
    const [sent] = (await sim.listMessages()).slice(-1);
    const ourWamid = sent?.wamid ?? '';
    await sim.inbound({ from: digits(person.phone), type: 'image', text: 'My membership card', name: 'Mia' });
    await sim.inbound({ from: digits(person.phone), text: 'Thanks!', context: { id: ourWamid }, name: 'Mia' });
    await sim.inbound({
      from: digits(person.phone),
      type: 'reaction',
      content: { message_id: ourWamid, emoji: '👍' },
      name: 'Mia',
    });

    const list = await messages(person.id);
    expect(list.map((m) => m.message_type)).toEqual(['text', 'image', 'text', 'text']);
    const [reply, image, ours] = list;
    expect(reply).toMatchObject({
      body: 'Thanks!',
      quoted: { wamid: ourWamid, body: 'Here is our timetable', direction: 'outbound' },
    });
    expect(image?.media).toMatchObject({ mime_type: 'image/jpeg', caption: 'My membership card' });
    expect(image?.media?.url).toBe(`/api/v1/media/${image?.media?.id}`);
    expect(ours).toMatchObject({
      wamid: ourWamid,
      direction: 'outbound',
      reactions: [{ emoji: '👍', direction: 'inbound' }],
    });
  });

  it('answers 404 for a person of another company', async () => {
    const { company, sim } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Ida');
    const other = await staffSession(await makeCompany());
    await expectError(await other.fetch(`/api/v1/conversations/${person.id}/messages`), 404, 'not_found');
    await expectError(await other.fetch(`/api/v1/conversations/${person.id}`), 404, 'not_found');
    const rows = (await (await other.fetch('/api/v1/conversations')).json()) as { collection: unknown[] };
    expect(rows.collection).toEqual([]);
  });
});

describe('read and unread', () => {
  it('marks read at Meta and clears the count; mark unread sets it back', async () => {
    const { company, sim, staff, list } = await setUp();
    const person = await personWhoWrote(company, sim, 'First', 'Rae');
    const { wamid: last } = await sim.inbound({ from: digits(person.phone), text: 'Second', name: 'Rae' });
    expect((await list())[0]?.unread_count).toBe(2);

    const read = await staff.fetch(`/api/v1/conversations/${person.id}/read`, { method: 'POST', body: {} });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ unread_count: 0 });
    // Marking the latest message read marks everything before it (blue ticks on the person's phone).
    expect((await sim.listReadReceipts()).map((r) => r.messageId)).toEqual([last]);

    const unread = await staff.fetch(`/api/v1/conversations/${person.id}/unread`, { method: 'POST', body: {} });
    expect(await unread.json()).toMatchObject({ unread_count: 1 });
    expect((await list('?unread=true')).map((r) => r.person_id)).toEqual([person.id]);
  });
});

describe('media proxy', () => {
  it('serves a company’s inbound media from Meta with its token, and nobody else’s', async () => {
    const { company, sim, staff, messages } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Lou');
    await sim.inbound({ from: digits(person.phone), type: 'document', text: 'Form', name: 'Lou' });
    const media = (await messages(person.id))[0]?.media;
    expect(media).toBeTruthy();
    const res = await staff.fetch(media?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/pdf');
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment/);
    expect(res.headers.get('Cache-Control')).toMatch(/^private/);
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(`sandbox media ${media?.id}`);

    const other = await staffSession(await makeCompany());
    await expectError(await other.fetch(media?.url ?? ''), 404, 'not_found');
    await expectError(await staff.fetch('/api/v1/media/123456789'), 404, 'not_found');
  });

  it('works with an API key too (one authorisation layer)', async () => {
    const { company, sim, messages } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Kim');
    await sim.inbound({ from: digits(person.phone), type: 'image', name: 'Kim' });
    const media = (await messages(person.id))[0]?.media;
    const res = await api(company, 'GET', media?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe('inline');
    await res.arrayBuffer();
  });
});

describe('conversation messages: cursors and cost', () => {
  const T = Date.UTC(2025, 6, 1, 9);
  type NoteInsert = typeof historyNotes.$inferInsert;

  /** The order messages appear in (history_notes.inbox_at): an inbound message no later than it reached us. */
  const inboxAt = (n: NoteInsert) =>
    n.type === 'whatsapp_received' ? Math.min(n.createdAt ?? 0, n.occurredAt + 999) : n.occurredAt;
  const newestFirst = (rows: NoteInsert[]) =>
    [...rows]
      .sort(
        (a, b) =>
          inboxAt(b) - inboxAt(a) ||
          (b.createdAt ?? 0) - (a.createdAt ?? 0) ||
          (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      )
      .map((r) => r.id);

  async function insert(rows: NoteInsert[]): Promise<void> {
    const db = getDb(env);
    const [first, ...rest] = rows.map((row) => db.insert(historyNotes).values(row));
    if (first) await db.batch([first, ...rest]);
  }

  /** Messages with ties on every part of the key, notes that are not messages, and reactions to some. */
  async function tiedConversation(company: TestCompany, personId: string) {
    const note = (n: Partial<NoteInsert> & Pick<NoteInsert, 'type' | 'occurredAt'>): NoteInsert => ({
      id: newId('his'),
      companyId: company.id,
      personId,
      ...n,
    });
    const sent = Array.from({ length: 12 }, (_, i) =>
      note({
        type: 'whatsapp_sent',
        wamid: `wamid.s${i}.${personId}`,
        messageType: 'text',
        body: `sent ${i}`,
        occurredAt: T + (i % 3) * 1000,
        createdAt: T + 10_000,
      }),
    );
    const received = Array.from({ length: 8 }, (_, i) =>
      note({
        type: 'whatsapp_received',
        wamid: `wamid.r${i}.${personId}`,
        messageType: 'text',
        body: `received ${i}`,
        // Whole seconds, as Meta stamps them, stored a little later.
        occurredAt: T + (i % 4) * 1000,
        createdAt: T + 20_000 + (i % 2),
      }),
    );
    const events = [
      note({ type: 'whatsapp_event', occurredAt: T + 1000, createdAt: T + 10_000 }),
      note({ type: 'whatsapp_opt_out', occurredAt: T + 2000, createdAt: T }),
    ];
    const react = (target: NoteInsert, emoji: string, at: number) =>
      note({
        type: 'whatsapp_received',
        wamid: `wamid.re${at}.${personId}`,
        messageType: 'reaction',
        body: emoji,
        content: { message_id: target.wamid, emoji },
        occurredAt: at,
        createdAt: at + 500,
      });
    const sentAt = (i: number): NoteInsert => {
      const n = sent[i];
      if (!n) throw new Error(`no sent note ${i}`);
      return n;
    };
    const [s0, s5, s11] = [sentAt(0), sentAt(5), sentAt(11)];
    const reactions = [
      react(s0, '👍', T + 30_000),
      react(s5, '❤️', T + 31_000),
      react(s5, '😂', T + 32_000),
      react(s11, '🙏', T + 33_000),
      // An empty emoji removes the reaction.
      react(s11, '', T + 34_000),
    ];
    await insert([...sent, ...received, ...events, ...reactions]);
    const expectedReactions = new Map([
      [s0.id, ['👍']],
      [s5.id, ['😂']],
    ]);
    return { messages: [...sent, ...received, ...events], expectedReactions };
  }

  it('walks every message exactly once, newest first, ties broken by id, reactions on their message', async () => {
    const { company, staff } = await setUp();
    const person = await makePerson(company, { first_name: 'Walker' });
    const other = await makePerson(company, { first_name: 'Other' });
    const { messages, expectedReactions } = await tiedConversation(company, person.id);
    await tiedConversation(company, other.id);

    for (const perPage of [1, 3, 7, 100]) {
      const reactions = new Map<string, string[]>();
      const { ids } = await walkPages(
        (q) => staff.fetch(`/api/v1/conversations/${person.id}/messages?${q}`),
        perPage,
        (row) => {
          const m = row as unknown as Message;
          if (m.reactions.length)
            reactions.set(
              m.id,
              m.reactions.map((r) => r.emoji),
            );
          return m.id;
        },
      );
      expect(ids).toEqual(newestFirst(messages));
      expect(reactions).toEqual(expectedReactions);
    }
  });

  it('gives totals only when asked, and refuses forged cursors and page= past the cap', async () => {
    const { company, staff } = await setUp();
    const person = await makePerson(company, { first_name: 'Counted' });
    await tiedConversation(company, person.id);
    const path = `/api/v1/conversations/${person.id}/messages`;
    const page = async (q: string) => (await (await staff.fetch(`${path}?${q}`)).json()) as { pagination: unknown };
    expect((await page('per_page=10')).pagination).toEqual({ next_cursor: expect.any(String) });
    expect((await page('per_page=10&count=true')).pagination).toEqual({
      next_cursor: expect.any(String),
      total_pages: 3,
      total_entries: 22,
    });
    expect((await page('per_page=10&page=3')).pagination).toEqual({
      next_cursor: null,
      total_pages: 3,
      total_entries: 22,
    });
    for (const cursor of ['forged!', foreignCursor([T, 'his_x']), foreignCursor([T, T, 'his_x', 1])]) {
      await expectError(await staff.fetch(`${path}?cursor=${encodeURIComponent(cursor)}`), 422, 'invalid_cursor');
    }
    await expectError(await staff.fetch(`${path}?per_page=100&page=101`), 422, 'page_too_deep');
  });

  it('reads a page of 25, and its reactions, at the same cost in a 10,000-note conversation', async () => {
    const { company, staff } = await setUp();
    const large = await makePerson(company, { first_name: 'Large' });
    // 10,000 notes: every 10th a reaction to the message before it, every 7th sent by us.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
       INSERT INTO history_notes (id, company_id, person_id, type, wamid, message_type, body, content, occurred_at, created_at)
       SELECT printf('his_big%05d', i), ?1, ?2,
         CASE WHEN i % 7 = 0 THEN 'whatsapp_sent' ELSE 'whatsapp_received' END, printf('wamid.big%05d', i),
         CASE WHEN i % 10 = 0 THEN 'reaction' ELSE 'text' END, 'hi',
         CASE WHEN i % 10 = 0 THEN json_object('message_id', printf('wamid.big%05d', i - 1), 'emoji', '👍') END,
         ?3 + i * 1000, ?3 + i * 1000 + 5 FROM n`,
    )
      .bind(company.id, large.id, T)
      .run();

    const db = getDb(env);
    const cost = async (personId: string, cursor?: string) => {
      const page = messagesPageQuery(db, company.id, personId, { per_page: 25, ...(cursor ? { cursor } : {}) }).toSQL();
      return { rows: await rowsRead(page), plan: (await queryPlan(page)).join('\n') };
    };
    const first = await cost(large.id);
    const deep = await cost(large.id, foreignCursor([T + 2_000_000, T + 2_000_005, 'his_big02000']));
    for (const c of [first, deep]) {
      // 26 rows (the 26th says a next page exists) and the reactions skipped among them, not 10,000 notes, plus
      // one probe per message for its reactions (about 29 and 31 rows here), all in one statement.
      expect(c.rows).toBeLessThan(80);
      expect(c.plan).toContain('SEARCH history_notes USING INDEX history_notes_person_inbox');
      expect(c.plan).toContain('SEARCH r USING INDEX history_notes_person_reactions');
      expect(c.plan).toContain('SEARCH q USING INDEX history_notes_company_wamid');
      expect(c.plan).not.toMatch(/SCAN history_notes|SCAN r\b|SCAN q\b/);
    }

    const res = await staff.fetch(`/api/v1/conversations/${large.id}/messages?per_page=25`);
    const body = (await res.json()) as { collection: Message[]; pagination: { next_cursor: string | null } };
    expect(body.collection).toHaveLength(25);
    expect(body.collection[0]).toMatchObject({ wamid: 'wamid.big09999', reactions: [{ emoji: '👍' }] });
    expect(body.collection.some((m) => m.message_type === 'reaction')).toBe(false);
    expect(body.pagination.next_cursor).toEqual(expect.any(String));
  });
});
