// Integrator people API: create, list, get, update; validation and the error shape.
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { getDb } from '../worker/db/client';
import { counters, people } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { peoplePageQuery } from '../worker/people/list';
import { api, BASE, makeCompany, makePerson, uniquePhone } from './helpers/fixtures';
import { foreignCursor, queryPlan, rowsRead, walkPages } from './helpers/pages';

/** "+447412345678" -> "+44 7412 345678": the spelling a person would type. */
const spaced = (phone: string) => phone.replace(/^(\+44)(\d{4})(\d{6})$/, '$1 $2 $3');

interface PersonJson {
  id: string;
  first_name: string;
  last_name: string | null;
  phone: string | null;
  email: string | null;
  status: string;
  sale_type: string;
  whatsapp_opted_out: boolean;
  sms_opted_out: boolean;
  created_at: string;
  updated_at: string;
  [k: string]: unknown;
}
interface ListJson {
  collection: PersonJson[];
  pagination: { total_pages?: number; total_entries?: number; next_cursor?: string | null };
}

describe('POST /api/v1/people', () => {
  it('creates a person with a normalised phone and defaults', async () => {
    const company = await makeCompany();
    const phone = uniquePhone();
    const res = await api(company, 'POST', '/api/v1/people', {
      first_name: 'Sheena',
      last_name: 'Nelson',
      phone: spaced(phone),
      email: 'Sheena@Example.com',
      membership_start: '2025-01-01',
      membership_end: '2025-12-31',
      date_of_birth: '1990-05-17',
    });
    expect(res.status).toBe(201);
    const person = (await res.json()) as PersonJson;
    expect(person).toEqual({
      id: expect.stringMatching(/^per_/),
      first_name: 'Sheena',
      last_name: 'Nelson',
      phone,
      email: 'sheena@example.com',
      sale_type: 'membership',
      status: 'lead',
      membership_start: '2025-01-01',
      membership_end: '2025-12-31',
      date_of_birth: '1990-05-17',
      sms_opted_out: false,
      whatsapp_opted_out: false,
      whatsapp_marketing_stopped: false,
      erased_at: null,
      has_conversation: false,
      owner_user_id: null,
      // The company's first club (made with the company): every person has a home club.
      club_id: expect.stringMatching(/^clb_/),
      stage_id: expect.stringMatching(/^stg_/),
      // Not from an ad: a message from one would set both (test/ad-leads.test.ts).
      lead_source: { first: null, latest: null },
      // Who added them: here the API key.
      created_by: { kind: 'api_key', id: expect.stringMatching(/^key_/), name: 'test key' },
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const row = await getDb(env).select().from(people).where(eq(people.id, person.id)).get();
    expect(row?.companyId).toBe(company.id);
    expect(row?.phone).toBe(phone);
  });

  it('refuses an invalid phone with 422 invalid_phone and stores nothing', async () => {
    const company = await makeCompany();
    for (const phone of ['12345', '+44 12', '07412 345678', 'call me']) {
      const res = await api(company, 'POST', '/api/v1/people', { first_name: 'A', phone });
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: { code: 'invalid_phone', message: expect.any(String) } });
    }
    const list = (await (await api(company, 'GET', '/api/v1/people?count=true')).json()) as ListJson;
    expect(list.pagination.total_entries).toBe(0);
  });

  it('refuses unknown fields with 422 unknown_field, naming them', async () => {
    const company = await makeCompany();
    const res = await api(company, 'POST', '/api/v1/people', { first_name: 'A', whatsapp_marketing_stopped: true });
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: { code: 'unknown_field', message: expect.stringContaining('whatsapp_marketing_stopped') },
    });
  });

  it('answers malformed JSON with 400 and a non-object body with 422, both in the error shape', async () => {
    const company = await makeCompany();
    const malformed = await exports.default.fetch(`${BASE}/api/v1/people`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${company.apiKey}`, 'Content-Type': 'application/json' },
      body: '{"first_name": "A",',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: { code: 'invalid_request', message: expect.any(String) } });

    for (const body of [[], 'Sheena', null]) {
      const res = await api(company, 'POST', '/api/v1/people', body);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: { code: 'validation_failed', message: expect.any(String) } });
    }
  });

  it.each([
    [{}, 'first_name'],
    [{ first_name: '  ' }, 'first_name'],
    [{ first_name: 'A', email: 'not-an-email' }, 'email'],
    [{ first_name: 'A', date_of_birth: '1990-02-30' }, 'date_of_birth'],
    [{ first_name: 'A', membership_start: '01/02/2025' }, 'membership_start'],
    [{ first_name: 'A', status: 'vip' }, 'status'],
    [{ first_name: 'A', sale_type: 'retail' }, 'sale_type'],
    [{ first_name: 'A', whatsapp_opted_out: 'yes' }, 'whatsapp_opted_out'],
    [{ first_name: 'A', membership_start: '2025-06-01', membership_end: '2025-05-01' }, 'membership_end'],
    [
      { first_name: 'A', whatsapp_consent: { method: 'web_form', text: 'Yes', captured_at: 'yesterday' } },
      'captured_at',
    ],
  ])('refuses %j with 422 naming %s', async (body, field) => {
    const company = await makeCompany();
    const res = await api(company, 'POST', '/api/v1/people', body);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: { code: 'validation_failed', message: expect.stringContaining(field) } });
  });

  it('refuses a phone already used in the company, in any spelling, with 409 phone_taken', async () => {
    const company = await makeCompany();
    const { phone } = await makePerson(company);
    const res = await api(company, 'POST', '/api/v1/people', { first_name: 'Twin', phone: spaced(phone) });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'phone_taken' } });
    // People without a phone never collide.
    expect((await api(company, 'POST', '/api/v1/people', { first_name: 'No phone' })).status).toBe(201);
    expect((await api(company, 'POST', '/api/v1/people', { first_name: 'No phone either' })).status).toBe(201);
  });

  it('refuses a missing API key with 401', async () => {
    const res = await exports.default.fetch(`${BASE}/api/v1/people`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ first_name: 'A' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('GET /api/v1/people', () => {
  async function insertPeople(companyId: string, n: number): Promise<string[]> {
    // Explicit created_at values so "newest first" has one right answer.
    const rows = Array.from({ length: n }, (_, i) => ({
      id: newId('per'),
      companyId,
      firstName: `Person ${i}`,
      createdAt: 1_700_000_000_000 + i * 1000,
      updatedAt: 1_700_000_000_000 + i * 1000,
    }));
    // One statement per row: D1 allows at most 100 bound parameters per statement.
    const db = getDb(env);
    const [first, ...rest] = rows.map((row) => db.insert(people).values(row));
    if (first) await db.batch([first, ...rest]);
    return rows.map((r) => r.id);
  }

  it('pages newest first with totals', async () => {
    const company = await makeCompany();
    const ids = await insertPeople(company.id, 5);
    const newestFirst = [...ids].reverse();

    const page1 = (await (await api(company, 'GET', '/api/v1/people?per_page=2&count=true')).json()) as ListJson;
    expect(page1.collection.map((p) => p.id)).toEqual(newestFirst.slice(0, 2));
    expect(page1.pagination).toEqual({ total_pages: 3, total_entries: 5, next_cursor: expect.any(String) });

    const page3 = (await (await api(company, 'GET', '/api/v1/people?per_page=2&page=3')).json()) as ListJson;
    expect(page3.collection.map((p) => p.id)).toEqual(newestFirst.slice(4));

    const beyond = (await (await api(company, 'GET', '/api/v1/people?per_page=2&page=4')).json()) as ListJson;
    expect(beyond.collection).toEqual([]);
    expect(beyond.pagination.total_entries).toBe(5);

    const all = (await (await api(company, 'GET', '/api/v1/people')).json()) as ListJson;
    expect(all.collection.map((p) => p.id)).toEqual(newestFirst);
  });

  it('defaults to 25 per page and refuses more than 100', async () => {
    const company = await makeCompany();
    await insertPeople(company.id, 27);
    const page = (await (await api(company, 'GET', '/api/v1/people?count=true')).json()) as ListJson;
    expect(page.collection).toHaveLength(25);
    expect(page.pagination).toEqual({ total_pages: 2, total_entries: 27, next_cursor: expect.any(String) });

    for (const q of ['per_page=101', 'per_page=0', 'page=0', 'page=abc']) {
      const res = await api(company, 'GET', `/api/v1/people?${q}`);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('finds people by phone in any spelling and by email in any case', async () => {
    const company = await makeCompany();
    const sheena = await makePerson(company, { email: 'sheena@example.com' });
    await makePerson(company, { first_name: 'Other', email: 'other@example.com' });

    const byPhone = (await (
      await api(company, 'GET', `/api/v1/people?phone=${encodeURIComponent(spaced(sheena.phone))}`)
    ).json()) as ListJson;
    expect(byPhone.collection.map((p) => p.id)).toEqual([sheena.id]);

    const byEmail = (await (await api(company, 'GET', '/api/v1/people?email=Sheena%40EXAMPLE.com')).json()) as ListJson;
    expect(byEmail.collection.map((p) => p.id)).toEqual([sheena.id]);

    const none = (await (
      await api(company, 'GET', `/api/v1/people?count=true&phone=${encodeURIComponent(uniquePhone())}`)
    ).json()) as ListJson;
    expect(none).toEqual({ collection: [], pagination: { total_pages: 0, total_entries: 0, next_cursor: null } });

    const invalid = await api(company, 'GET', '/api/v1/people?phone=123');
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_phone' } });
  });
});

describe('GET /api/v1/people/:id', () => {
  it('shows an inactive conversation and zero counters for someone who never wrote', async () => {
    const company = await makeCompany();
    const { id } = await makePerson(company);
    const res = await api(company, 'GET', `/api/v1/people/${id}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id,
      first_name: 'Sheena',
      whatsapp: { conversation: 'inactive', window_expires_at: null },
      counters: { whatsapp: { membership: { sent: 0, received: 0 }, secondary: { sent: 0, received: 0 } } },
    });
  });

  it('computes the 24-hour window from the last inbound message', async () => {
    const company = await makeCompany();
    const open = await makePerson(company);
    const closed = await makePerson(company);
    const hour = 3_600_000;
    const recent = Date.now() - hour;
    const old = Date.now() - 25 * hour;
    const db = getDb(env);
    await db.update(people).set({ whatsappLastInboundAt: recent }).where(eq(people.id, open.id));
    await db.update(people).set({ whatsappLastInboundAt: old }).where(eq(people.id, closed.id));

    expect(await (await api(company, 'GET', `/api/v1/people/${open.id}`)).json()).toMatchObject({
      whatsapp: { conversation: 'active', window_expires_at: new Date(recent + 24 * hour).toISOString() },
    });
    expect(await (await api(company, 'GET', `/api/v1/people/${closed.id}`)).json()).toMatchObject({
      whatsapp: { conversation: 'inactive', window_expires_at: new Date(old + 24 * hour).toISOString() },
    });
  });

  it('returns the counters even when WhatsApp is disabled for the company', async () => {
    const company = await makeCompany({ whatsapp: false });
    const { id } = await makePerson(company);
    await getDb(env)
      .insert(counters)
      .values([
        { companyId: company.id, personId: id, channel: 'whatsapp', saleType: 'membership', sent: 7, received: 3 },
        { companyId: company.id, personId: id, channel: 'whatsapp', saleType: 'secondary', sent: 1, received: 0 },
      ]);
    expect(await (await api(company, 'GET', `/api/v1/people/${id}`)).json()).toMatchObject({
      counters: { whatsapp: { membership: { sent: 7, received: 3 }, secondary: { sent: 1, received: 0 } } },
    });
  });

  it('answers 404 for an unknown id', async () => {
    const company = await makeCompany();
    const res = await api(company, 'GET', '/api/v1/people/per_doesnotexist');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'Person not found' } });
  });
});

describe('PUT /api/v1/people/:id', () => {
  it('changes only the fields sent', async () => {
    const company = await makeCompany();
    const created = (await (
      await api(company, 'POST', '/api/v1/people', {
        first_name: 'Sheena',
        last_name: 'Nelson',
        phone: uniquePhone(),
        email: 'sheena@example.com',
      })
    ).json()) as PersonJson;

    const newPhone = uniquePhone();
    const res = await api(company, 'PUT', `/api/v1/people/${created.id}`, {
      status: 'member',
      phone: spaced(newPhone),
      last_name: null,
    });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as PersonJson;
    expect(updated).toMatchObject({
      id: created.id,
      first_name: 'Sheena',
      last_name: null,
      phone: newPhone,
      email: 'sheena@example.com',
      status: 'member',
      sale_type: 'membership',
      created_at: created.created_at,
    });
    expect(await (await api(company, 'GET', `/api/v1/people/${created.id}`)).json()).toMatchObject({
      phone: newPhone,
      status: 'member',
    });
  });

  it('refuses unknown fields, invalid values and a taken phone', async () => {
    const company = await makeCompany();
    const a = await makePerson(company);
    const b = await makePerson(company);

    const unknown = await api(company, 'PUT', `/api/v1/people/${a.id}`, { id: 'per_mine' });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_field' } });

    const nullName = await api(company, 'PUT', `/api/v1/people/${a.id}`, { first_name: null });
    expect(nullName.status).toBe(422);

    const badPhone = await api(company, 'PUT', `/api/v1/people/${a.id}`, { phone: '+44 12' });
    expect(badPhone.status).toBe(422);
    expect(await badPhone.json()).toMatchObject({ error: { code: 'invalid_phone' } });

    const taken = await api(company, 'PUT', `/api/v1/people/${a.id}`, { phone: b.phone, first_name: 'Changed' });
    expect(taken.status).toBe(409);
    expect(await taken.json()).toMatchObject({ error: { code: 'phone_taken' } });
    // Nothing from the refused request was applied.
    expect(await (await api(company, 'GET', `/api/v1/people/${a.id}`)).json()).toMatchObject({
      first_name: 'Sheena',
      phone: a.phone,
    });

    // An end date before the stored start date.
    await api(company, 'PUT', `/api/v1/people/${a.id}`, { membership_start: '2025-06-01' });
    const dates = await api(company, 'PUT', `/api/v1/people/${a.id}`, { membership_end: '2025-01-01' });
    expect(dates.status).toBe(422);
  });

  it('answers 404 for an unknown id', async () => {
    const company = await makeCompany();
    expect((await api(company, 'PUT', '/api/v1/people/per_doesnotexist', { first_name: 'X' })).status).toBe(404);
  });
});

it('publishes the people operations in the OpenAPI document', async () => {
  const doc = (await (await exports.default.fetch(`${BASE}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
  expect(ids).toEqual(
    expect.arrayContaining([
      'peopleCreate',
      'peopleList',
      'peopleGet',
      'peopleUpdate',
      'whatsappOptOut',
      'historyList',
    ]),
  );
});

describe('GET /api/v1/people: cursors, totals on request, search', () => {
  const T = 1_750_000_000_000;

  /** People with explicit created_at values, several sharing one, so only the id breaks their tie. */
  async function insertAt(companyId: string, times: number[]): Promise<{ id: string; createdAt: number }[]> {
    const rows = times.map((t, i) => ({
      id: newId('per'),
      companyId,
      firstName: `Tied ${i}`,
      createdAt: t,
      updatedAt: t,
    }));
    const db = getDb(env);
    const [first, ...rest] = rows.map((row) => db.insert(people).values(row));
    if (first) await db.batch([first, ...rest]);
    return rows;
  }

  const newestFirst = (rows: { id: string; createdAt: number }[]) =>
    [...rows].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((r) => r.id);

  it('walks every person exactly once, newest first, ties broken by id, at every page size', async () => {
    const company = await makeCompany();
    const rows = await insertAt(company.id, [T, T, T, T + 1, T + 1, T + 2, T, T - 5, T + 2, T]);
    const expected = newestFirst(rows);
    for (const perPage of [1, 2, 3, 4, 10, 25]) {
      const { ids, pages } = await walkPages((q) => api(company, 'GET', `/api/v1/people?${q}`), perPage);
      expect(ids).toEqual(expected);
      expect(pages).toBe(Math.max(1, Math.ceil(rows.length / perPage)));
    }
  });

  it('keeps filters while walking: a cursor continues the filtered list', async () => {
    const company = await makeCompany();
    for (let i = 0; i < 5; i++) await makePerson(company, { first_name: i % 2 ? 'Olive' : 'Nadia' });
    const all = (await (await api(company, 'GET', '/api/v1/people?q=oli&count=true')).json()) as ListJson;
    expect(all.collection).toHaveLength(2);
    const { ids } = await walkPages((q) => api(company, 'GET', `/api/v1/people?q=oli&${q}`), 1);
    expect(ids).toEqual(all.collection.map((p) => p.id));
  });

  it('gives totals only when asked (count=true) or to page= clients', async () => {
    const company = await makeCompany();
    await insertAt(company.id, [T, T + 1, T + 2, T + 3, T + 4]);
    const plain = (await (await api(company, 'GET', '/api/v1/people?per_page=2')).json()) as ListJson;
    expect(plain.pagination).toEqual({ next_cursor: expect.any(String) });

    const counted = (await (await api(company, 'GET', '/api/v1/people?per_page=2&count=true')).json()) as ListJson;
    expect(counted.pagination).toEqual({ next_cursor: expect.any(String), total_pages: 3, total_entries: 5 });

    const paged = (await (await api(company, 'GET', '/api/v1/people?per_page=2&page=3')).json()) as ListJson;
    expect(paged.pagination).toEqual({ next_cursor: null, total_pages: 3, total_entries: 5 });

    const uncounted = (await (await api(company, 'GET', '/api/v1/people?count=false')).json()) as ListJson;
    expect(uncounted.pagination).toEqual({ next_cursor: null });
  });

  it('refuses a forged or foreign cursor with 422 invalid_cursor', async () => {
    const company = await makeCompany();
    await insertAt(company.id, [T, T + 1]);
    for (const cursor of [
      'not-a-cursor',
      '%%%',
      foreignCursor(['x']),
      foreignCursor([T, 'per_x', 'extra']),
      foreignCursor({ created_at: T, id: 'per_x' }),
      foreignCursor([String(T), 'per_x']),
      foreignCursor([T, 'x'.repeat(65)]),
    ]) {
      const res = await api(company, 'GET', `/api/v1/people?cursor=${encodeURIComponent(cursor)}`);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: { code: 'invalid_cursor', message: expect.any(String) } });
    }
    const both = await api(company, 'GET', `/api/v1/people?page=1&cursor=${foreignCursor([T, 'per_x'])}`);
    expect(both.status).toBe(422);
  });

  it('answers page= past the cap with 422 page_too_deep (use the cursor there)', async () => {
    const company = await makeCompany();
    const deep = await api(company, 'GET', '/api/v1/people?per_page=100&page=101');
    expect(deep.status).toBe(422);
    expect(await deep.json()).toEqual({ error: { code: 'page_too_deep', message: expect.any(String) } });
    expect((await api(company, 'GET', '/api/v1/people?per_page=100&page=100')).status).toBe(200);
    expect((await api(company, 'GET', '/api/v1/people?per_page=25&page=401')).status).toBe(422);
  });

  it('searches by name prefix (any case, accents or not), email prefix and phone in any spelling', async () => {
    const company = await makeCompany();
    const jose = await makePerson(company, {
      first_name: 'José',
      last_name: 'Álvarez',
      email: 'jalvarez@gym.example',
      phone: '+447412345601',
    });
    const joanna = await makePerson(company, { first_name: 'Joanna', last_name: 'Smith', phone: '+447412345789' });
    const zoe = await makePerson(company, { first_name: 'Zoë', last_name: 'Brown', phone: '+16502530188' });
    // The same name, email and phone in another company: never found from this one.
    const other = await makeCompany();
    await makePerson(other, {
      first_name: 'José',
      last_name: 'Álvarez',
      email: 'jalvarez@gym.example',
      phone: '+447412345601',
    });

    const search = async (q: string): Promise<string[]> => {
      const res = await api(company, 'GET', `/api/v1/people?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as ListJson).collection.map((p) => p.id);
    };
    // First-name prefix, newest first.
    expect(await search('jo')).toEqual([joanna.id, jose.id]);
    expect(await search('JOS')).toEqual([jose.id]);
    // Accents and case fold both ways.
    expect(await search('jose')).toEqual([jose.id]);
    expect(await search('José')).toEqual([jose.id]);
    expect(await search('zoe')).toEqual([zoe.id]);
    // Last-name prefix, and first and last name together.
    expect(await search('alv')).toEqual([jose.id]);
    expect(await search('smi')).toEqual([joanna.id]);
    expect(await search('jo sm')).toEqual([joanna.id]);
    // Email prefix, and the whole address.
    expect(await search('jalv')).toEqual([jose.id]);
    expect(await search('jalvarez@gym.example')).toEqual([jose.id]);
    // Phone: E.164, spaced, national with its trunk 0, and the last digits.
    expect(await search('+447412345601')).toEqual([jose.id]);
    expect(await search('+44 7412 345601')).toEqual([jose.id]);
    expect(await search('07412 345601')).toEqual([jose.id]);
    expect(await search('345601')).toEqual([jose.id]);
    expect(await search('(650) 253-0188')).toEqual([zoe.id]);
    // Last digits that start with 0 (the 0 is not a trunk prefix there).
    expect(await search('0188')).toEqual([zoe.id]);
    expect(await search('530188')).toEqual([zoe.id]);
    expect(await search('+4474123')).toEqual([joanna.id, jose.id]);
    // Nothing that is not there, and nothing from punctuation alone.
    expect(await search('nobody')).toEqual([]);
    expect(await search('%%')).toEqual([]);
    expect(await search('""')).toEqual([]);
    expect((await api(company, 'GET', `/api/v1/people?q=${'a'.repeat(101)}`)).status).toBe(422);
    // An edit is found under its new name and keeps its place in the order.
    expect((await api(company, 'PUT', `/api/v1/people/${jose.id}`, { last_name: 'Ortega' })).status).toBe(200);
    expect(await search('ort')).toEqual([jose.id]);
    expect(await search('alv')).toEqual([]);
    expect(await search('jo')).toEqual([joanna.id, jose.id]);
    // One character would match a tenth of a gym chain: two at least.
    expect((await api(company, 'GET', '/api/v1/people?q=j')).status).toBe(422);
  });

  it('combines q with phone and email, and counts the matches when asked', async () => {
    const company = await makeCompany();
    const a = await makePerson(company, { first_name: 'Olive', email: 'olive@example.com' });
    await makePerson(company, { first_name: 'Olivia', email: 'olivia@example.com' });
    const counted = (await (await api(company, 'GET', '/api/v1/people?q=oliv&count=true')).json()) as ListJson;
    expect(counted.pagination).toEqual({ next_cursor: null, total_pages: 1, total_entries: 2 });
    const both = (await (
      await api(company, 'GET', '/api/v1/people?q=oliv&email=OLIVE%40example.com&count=true')
    ).json()) as ListJson;
    expect(both.collection.map((p) => p.id)).toEqual([a.id]);
    expect(both.pagination.total_entries).toBe(1);
    const byPhone = (await (
      await api(company, 'GET', `/api/v1/people?q=nadia&phone=${encodeURIComponent(a.phone)}`)
    ).json()) as ListJson;
    expect(byPhone.collection).toEqual([]);
  });

  it('reads a page as an index walk in the list order: no sort, no scan of the company', async () => {
    const db = getDb(env);
    const after = { cursor: foreignCursor([T, 'per_x']), per_page: 25 };
    const plain = await queryPlan(
      peoplePageQuery(db, { companyId: 'com_x', scope: UNSCOPED }, { per_page: 25 }).toSQL(),
    );
    expect(plain.join('\n')).toMatch(/SEARCH people USING INDEX people_company_created_id \(company_id=\?\)/);
    const next = await queryPlan(peoplePageQuery(db, { companyId: 'com_x', scope: UNSCOPED }, after).toSQL());
    expect(next.join('\n')).toMatch(/people_company_created_id \(company_id=\? AND \(created_at,id\)<\(\?,\?\)\)/);
    for (const plan of [plain, next]) expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|SCAN/);
    // A search walks the matches newest first by the search index's own row id and stops at a page: no sort,
    // however many match ("mar" in a chain), and never the company's people.
    const searchAfter = { cursor: foreignCursor([5000]), per_page: 25, q: 'oli' };
    for (const q of [{ per_page: 25, q: 'oli' }, searchAfter]) {
      const search = await queryPlan(peoplePageQuery(db, { companyId: 'com_x', scope: UNSCOPED }, q).toSQL());
      expect(search[0]).toMatch(/SCAN people_search VIRTUAL TABLE/);
      expect(search.join('\n')).toMatch(/SEARCH people USING INDEX sqlite_autoindex_people_1 \(id=\?\)/);
      expect(search.join('\n')).not.toMatch(/TEMP B-TREE/);
    }
  });
});

it('reads a page of people at the same cost in a company of 5,000, at the top and deep down', async () => {
  const company = await makeCompany();
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
     INSERT INTO people (id, company_id, first_name, created_at, updated_at)
     SELECT printf('per_big%05d', i), ?1, 'Member ' || i, ?2 + (i / 3) * 1000, ?2 FROM n`,
  )
    .bind(company.id, 1_750_000_000_000)
    .run();
  const db = getDb(env);
  const deep = foreignCursor([1_750_000_000_000 + 1_000_000, 'per_big03001']);
  for (const query of [{ per_page: 25 }, { per_page: 25, cursor: deep }, { per_page: 100, cursor: deep }]) {
    // per_page + 1 rows, not 5,000.
    expect(await rowsRead(peoplePageQuery(db, { companyId: company.id, scope: UNSCOPED }, query).toSQL())).toBeLessThan(
      query.per_page + 5,
    );
  }
  const { collection } = (await (await api(company, 'GET', '/api/v1/people?per_page=3')).json()) as ListJson;
  expect(collection.map((p) => p.id)).toEqual(['per_big05000', 'per_big04999', 'per_big04998']);
});
