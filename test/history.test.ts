// GET /api/v1/people/:id/history: filters, pagination, newest first, and the note JSON.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { historyNotes } from '../worker/db/schema';
import { type HistoryQuery, historyPageQuery } from '../worker/history/service';
import { newId } from '../worker/ids';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { foreignCursor, queryPlan, rowsRead, walkPages } from './helpers/pages';

type NoteInsert = typeof historyNotes.$inferInsert;

interface NoteJson {
  id: string;
  type: string;
  occurred_at: string;
  [k: string]: unknown;
}
interface ListJson {
  collection: NoteJson[];
  pagination: { total_pages?: number; total_entries?: number; next_cursor?: string | null };
}

const T0 = Date.UTC(2025, 5, 1, 9, 0, 0);

async function insertNotes(companyId: string, personId: string, notes: Partial<NoteInsert>[]): Promise<NoteInsert[]> {
  const db = getDb(env);
  const rows = notes.map((n, i) => ({
    id: newId('his'),
    companyId,
    personId,
    type: 'whatsapp_sent' as const,
    occurredAt: T0 + i * 60_000,
    // Fixed, so that only occurred_at and id order these notes.
    createdAt: T0,
    ...n,
  }));
  const [first, ...rest] = rows.map((row) => db.insert(historyNotes).values(row));
  if (first) await db.batch([first, ...rest]);
  return rows;
}

async function history(company: Parameters<typeof api>[0], personId: string, query = ''): Promise<ListJson> {
  const res = await api(company, 'GET', `/api/v1/people/${personId}/history${query}`);
  expect(res.status).toBe(200);
  return res.json();
}

describe('history listing', () => {
  it('filters by type, newest first', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const rows = await insertNotes(company.id, id, [
      { type: 'whatsapp_sent', wamid: 'wamid.1' },
      { type: 'whatsapp_received', wamid: 'wamid.2' },
      { type: 'whatsapp_opt_out' },
      { type: 'whatsapp_sent', wamid: 'wamid.3' },
      { type: 'whatsapp_event' },
      { type: 'whatsapp_opt_in' },
    ]);
    const ids = (pred: (r: NoteInsert) => boolean) =>
      rows
        .filter(pred)
        .reverse()
        .map((r) => r.id);

    expect((await history(company, id)).collection.map((n) => n.id)).toEqual(ids(() => true));
    expect((await history(company, id, '?filter=whatsapp')).collection.map((n) => n.id)).toEqual(ids(() => true));
    expect((await history(company, id, '?filter=whatsapp_sent')).collection.map((n) => n.id)).toEqual(
      ids((r) => r.type === 'whatsapp_sent'),
    );
    const received = await history(company, id, '?filter=whatsapp_received&count=true');
    expect(received.collection.map((n) => n.id)).toEqual(ids((r) => r.type === 'whatsapp_received'));
    expect(received.pagination).toEqual({ total_pages: 1, total_entries: 1, next_cursor: null });

    const bad = await api(company, 'GET', `/api/v1/people/${id}/history?filter=sms`);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('breaks a tie on occurred_at (whole-second Meta timestamps) by the order the notes were stored', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const rows = await insertNotes(company.id, id, [
      { type: 'whatsapp_received', occurredAt: T0, createdAt: T0 + 10 },
      { type: 'whatsapp_received', occurredAt: T0, createdAt: T0 + 20 },
      { type: 'whatsapp_received', occurredAt: T0, createdAt: T0 + 30 },
    ]);
    const listed = await history(company, id, '?filter=whatsapp_received');
    expect(listed.collection.map((n) => n.id)).toEqual([rows[2]?.id, rows[1]?.id, rows[0]?.id]);
  });

  it('pages without gaps or repeats, breaking remaining ties by id', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    // Five notes in the same millisecond and two later ones.
    const rows = await insertNotes(company.id, id, [
      ...Array.from({ length: 5 }, () => ({ occurredAt: T0 })),
      { occurredAt: T0 + 1 },
      { occurredAt: T0 + 2 },
    ]);
    const expected = [
      rows[6]?.id,
      rows[5]?.id,
      ...rows
        .slice(0, 5)
        .map((r) => r.id)
        .sort()
        .reverse(),
    ];

    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await history(company, id, `?per_page=3&page=${page}`);
      expect(res.pagination).toEqual({
        total_pages: 3,
        total_entries: 7,
        next_cursor: page < 3 ? expect.any(String) : null,
      });
      seen.push(...res.collection.map((n) => n.id));
    }
    expect(seen).toEqual(expected);
    expect((await history(company, id, '?per_page=3&page=4')).collection).toEqual([]);

    expect((await api(company, 'GET', `/api/v1/people/${id}/history?per_page=101`)).status).toBe(422);
  });

  it("only lists this person's notes", async () => {
    const company = await makeCompany();
    const a = await makePerson(company);
    const b = await makePerson(company);
    await insertNotes(company.id, a.id, [{}, {}]);
    await insertNotes(company.id, b.id, [{}]);
    expect((await history(company, a.id, '?count=true')).pagination.total_entries).toBe(2);
    expect((await history(company, b.id)).collection.every((n) => n.person_id === b.id)).toBe(true);
  });

  it('answers 404 for an unknown person', async () => {
    const company = await makeCompany();
    const res = await api(company, 'GET', '/api/v1/people/per_doesnotexist/history');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('note JSON', () => {
  it('shows a failed template message with direction, template, status and error', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const actor = { kind: 'user', id: 'usr_1', name: 'Sam Coach' };
    const [row] = await insertNotes(company.id, id, [
      {
        type: 'whatsapp_sent',
        wamid: 'wamid.tpl',
        messageType: 'template',
        body: 'Hi Sheena',
        content: { name: 'welcome_offer', language: 'en_GB', category: 'UTILITY', params: ['Sheena'] },
        saleType: 'membership',
        status: 'failed',
        statusAt: T0 + 5_000,
        error: {
          code: 131026,
          title: 'Message undeliverable',
          message: 'Message undeliverable',
          details: 'Not on WhatsApp',
        },
        actor,
      },
    ]);
    const [note] = (await history(company, id)).collection;
    expect(note).toEqual({
      id: row?.id,
      person_id: id,
      type: 'whatsapp_sent',
      occurred_at: new Date(T0).toISOString(),
      wamid: 'wamid.tpl',
      direction: 'outbound',
      message_type: 'template',
      body: 'Hi Sheena',
      template: { name: 'welcome_offer', language: 'en_GB', category: 'UTILITY', params: ['Sheena'] },
      content: { name: 'welcome_offer', language: 'en_GB', category: 'UTILITY', params: ['Sheena'] },
      context_wamid: null,
      referral: null,
      sale_type: 'membership',
      status: 'failed',
      status_at: new Date(T0 + 5_000).toISOString(),
      error: {
        code: 131026,
        title: 'Message undeliverable',
        message: 'Message undeliverable',
        details: 'Not on WhatsApp',
      },
      actor,
      interactive: null,
      choice: null,
      automation: null,
    });
  });

  it('keeps our own refusal code as a string (a message stopped before it reached Meta)', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    await insertNotes(company.id, id, [
      {
        status: 'failed',
        error: { code: 'opted_out', title: null, message: 'This person has opted out', details: null },
      },
    ]);
    const [note] = (await history(company, id)).collection;
    expect(note?.error).toEqual({
      code: 'opted_out',
      title: null,
      message: 'This person has opted out',
      details: null,
    });
  });

  it('shows an inbound reply with its context and no template', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    await insertNotes(company.id, id, [
      {
        type: 'whatsapp_received',
        wamid: 'wamid.in',
        messageType: 'text',
        body: 'Does it come in another colour?',
        contextWamid: 'wamid.tpl',
        actor: { kind: 'whatsapp', id: '447412345678', name: 'Sheena' },
      },
    ]);
    const [note] = (await history(company, id)).collection;
    expect(note).toMatchObject({
      direction: 'inbound',
      message_type: 'text',
      body: 'Does it come in another colour?',
      template: null,
      context_wamid: 'wamid.tpl',
      error: null,
      status_at: null,
      actor: { kind: 'whatsapp', name: 'Sheena' },
    });
  });
});

describe('history cursors', () => {
  /** Notes sharing occurred_at, and some created_at too, so every part of the key (and the id) decides. */
  async function tiedNotes(companyId: string, personId: string): Promise<NoteInsert[]> {
    const types = ['whatsapp_sent', 'whatsapp_received', 'whatsapp_event', 'whatsapp_opt_out'] as const;
    return insertNotes(
      companyId,
      personId,
      Array.from({ length: 23 }, (_, i) => ({
        type: types[i % types.length],
        occurredAt: T0 + (i % 4) * 1000,
        createdAt: T0 + (i % 3),
      })),
    );
  }

  const newestFirst = (rows: NoteInsert[]) =>
    [...rows]
      .sort(
        (a, b) =>
          b.occurredAt - a.occurredAt ||
          (b.createdAt ?? 0) - (a.createdAt ?? 0) ||
          (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
      )
      .map((r) => r.id);

  it('walks every note exactly once, newest first, in all and by filter, ties broken by id', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const other = await makePerson(company);
    const rows = await tiedNotes(company.id, id);
    await tiedNotes(company.id, other.id);
    const path = (filter: string) => (q: string) =>
      api(company, 'GET', `/api/v1/people/${id}/history?${filter}${filter && '&'}${q}`);

    for (const perPage of [1, 4, 7, 23, 100]) {
      expect((await walkPages(path(''), perPage)).ids).toEqual(newestFirst(rows));
    }
    for (const type of ['whatsapp_sent', 'whatsapp_received'] as const) {
      const { ids } = await walkPages(path(`filter=${type}`), 2);
      expect(ids).toEqual(newestFirst(rows.filter((r) => r.type === type)));
    }
    expect((await walkPages(path('filter=whatsapp'), 5)).ids).toEqual(newestFirst(rows));
  });

  it('gives totals only when asked (count=true) or to page= clients', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    await tiedNotes(company.id, id);
    expect((await history(company, id, '?per_page=10')).pagination).toEqual({ next_cursor: expect.any(String) });
    expect((await history(company, id, '?per_page=10&count=true')).pagination).toEqual({
      next_cursor: expect.any(String),
      total_pages: 3,
      total_entries: 23,
    });
    expect((await history(company, id, '?filter=whatsapp_sent&count=true')).pagination).toEqual({
      next_cursor: null,
      total_pages: 1,
      total_entries: 6,
    });
    expect((await history(company, id, '?per_page=10&page=3')).pagination).toEqual({
      next_cursor: null,
      total_pages: 3,
      total_entries: 23,
    });
  });

  it('refuses a forged cursor (422 invalid_cursor) and page= past the cap (422 page_too_deep)', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    await tiedNotes(company.id, id);
    // A people-list cursor has the wrong shape here.
    for (const cursor of ['forged', foreignCursor([T0, 'his_x']), foreignCursor([T0, T0, 7]), foreignCursor(null)]) {
      const res = await api(company, 'GET', `/api/v1/people/${id}/history?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: { code: 'invalid_cursor', message: expect.any(String) } });
    }
    const deep = await api(company, 'GET', `/api/v1/people/${id}/history?per_page=50&page=201`);
    expect(deep.status).toBe(422);
    expect(await deep.json()).toEqual({ error: { code: 'page_too_deep', message: expect.any(String) } });
  });

  it("reads a page as a walk of the person's index in the list order, filtered or not: no sort", async () => {
    const db = getDb(env);
    const after = { cursor: foreignCursor([T0, T0, 'his_x']), per_page: 25 };
    const cases = [
      [undefined, 'history_notes_person_occurred (company_id=? AND person_id=?'],
      ['whatsapp', 'history_notes_person_occurred (company_id=? AND person_id=?'],
      ['whatsapp_sent', 'history_notes_person_type (company_id=? AND person_id=? AND type=?'],
      ['whatsapp_received', 'history_notes_person_type (company_id=? AND person_id=? AND type=?'],
    ] as const;
    for (const [filter, index] of cases) {
      for (const query of [
        { per_page: 25, filter },
        { ...after, filter },
      ] as HistoryQuery[]) {
        const plan = (await queryPlan(historyPageQuery(db, 'com_x', 'per_x', query).toSQL())).join('\n');
        expect(plan).toContain(`SEARCH history_notes USING INDEX ${index}`);
        expect(plan).not.toMatch(/TEMP B-TREE/);
        if (query.cursor) expect(plan).toContain('(occurred_at,created_at,id)<(?,?,?)');
      }
    }
  });
});

it('reads a page of 25 at the same cost in a 10,000-note history, at the top, deep down and by type', async () => {
  const company = await makeCompany();
  const { id } = await makePerson(company);
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
     INSERT INTO history_notes (id, company_id, person_id, type, occurred_at, created_at)
     SELECT printf('his_big%05d', i), ?1, ?2,
       CASE WHEN i % 5 = 0 THEN 'whatsapp_sent' WHEN i % 5 = 1 THEN 'whatsapp_received' ELSE 'whatsapp_event' END,
       ?3 + (i / 2) * 1000, ?3 + i FROM n`,
  )
    .bind(company.id, id, T0)
    .run();
  const db = getDb(env);
  const deep = foreignCursor([T0 + 2_500_000, T0 + 5000, 'his_big05000']);
  for (const query of [
    { per_page: 25 },
    { per_page: 25, cursor: deep },
    { per_page: 25, filter: 'whatsapp_sent' },
    { per_page: 25, filter: 'whatsapp_received', cursor: deep },
    { per_page: 25, filter: 'whatsapp' },
  ] as HistoryQuery[]) {
    const statement = historyPageQuery(db, company.id, id, query).toSQL();
    // 26 rows (the 26th says a next page exists), not 10,000.
    expect(await rowsRead(statement)).toBeLessThan(30);
  }
  const listed = await history(company, id, '?per_page=25&filter=whatsapp_sent');
  expect(listed.collection).toHaveLength(25);
  expect(listed.collection[0]?.id).toBe('his_big10000');
});
