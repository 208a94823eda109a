// The people directory (the app's People screen and New chat): filters by status, sale type and "never
// messaged", each an index walk in the list's order at any size; numbers typed the way staff type them, read in
// the company's country; who added each person; search that folds letters like ø and ł as well as accents.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { UNSCOPED } from '#common/scope';
import { getDb } from '../worker/db/client';
import { peoplePageQuery } from '../worker/people/list';
import type { PersonListQuery } from '../worker/people/schemas';
import { api, makeCompany, makePerson, type TestCompany, uniquePhone } from './helpers/fixtures';
import { foreignCursor, queryPlan, rowsRead, walkPages } from './helpers/pages';
import { manualSimulator, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { inboundPayload, postWebhook } from './helpers/webhooks';

interface PersonJson {
  id: string;
  first_name: string;
  phone: string | null;
  status: string;
  sale_type: string;
  has_conversation: boolean;
  created_by: { kind: string; id: string; name: string } | null;
}
interface ListJson {
  collection: PersonJson[];
  pagination: { total_entries?: number; next_cursor?: string | null };
}

async function list(company: TestCompany, query: string): Promise<ListJson> {
  const res = await api(company, 'GET', `/api/v1/people?${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ListJson;
}
const ids = async (company: TestCompany, query: string) => (await list(company, query)).collection.map((p) => p.id);

describe('GET /api/v1/people filters', () => {
  it('by status, sale type and never messaged, alone and together, newest first', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const lead = await makePerson(company, { first_name: 'Lena', status: 'lead' });
    const ptLead = await makePerson(company, { first_name: 'Pete', status: 'lead', sale_type: 'secondary' });
    const member = await makePerson(company, { first_name: 'Mona', status: 'member' });
    const former = await makePerson(company, { first_name: 'Fred', status: 'former_member' });
    const wrote = await makePerson(company, { first_name: 'Wren', status: 'lead' });
    const sentTo = await makePerson(company, { first_name: 'Sonny', status: 'member', sale_type: 'secondary' });

    // One wrote to us; we sent one a template: neither is "never messaged" any more, whichever way it went.
    await postWebhook(inboundPayload(company.phoneNumberId, { from: wrote.phone, text: 'Hi' }));
    expect((await sendText(company, sentTo.id, 'Hello')).status).toBe(409); // window closed: nothing was sent
    await sim.inbound({ from: sentTo.phone, text: 'Hello back' });
    expect((await sendText(company, sentTo.id, 'Welcome, Sonny')).status).toBe(202);

    expect(await ids(company, 'status=lead')).toEqual([wrote.id, ptLead.id, lead.id]);
    expect(await ids(company, 'status=member')).toEqual([sentTo.id, member.id]);
    expect(await ids(company, 'status=former_member')).toEqual([former.id]);
    expect(await ids(company, 'sale_type=secondary')).toEqual([sentTo.id, ptLead.id]);
    expect(await ids(company, 'never_messaged=true')).toEqual([former.id, member.id, ptLead.id, lead.id]);
    expect(await ids(company, 'status=lead&never_messaged=true')).toEqual([ptLead.id, lead.id]);
    expect(await ids(company, 'status=lead&sale_type=secondary&never_messaged=true')).toEqual([ptLead.id]);
    expect(await ids(company, 'status=member&sale_type=secondary&never_messaged=true')).toEqual([]);
    // With a search, and counted.
    expect(await ids(company, 'q=so&never_messaged=true')).toEqual([]);
    expect(await ids(company, 'q=so')).toEqual([sentTo.id]);
    const counted = await list(company, 'status=lead&count=true');
    expect(counted.pagination.total_entries).toBe(3);
    // The person says it too.
    const byId = new Map((await list(company, 'per_page=10')).collection.map((p) => [p.id, p.has_conversation]));
    expect(byId.get(wrote.id)).toBe(true);
    expect(byId.get(sentTo.id)).toBe(true);
    expect(byId.get(lead.id)).toBe(false);
  });

  it('refuses values it does not know, and never_messaged=false, with 422', async () => {
    const company = await makeCompany();
    for (const query of ['status=vip', 'sale_type=retail', 'never_messaged=false', 'never_messaged=yes']) {
      const res = await api(company, 'GET', `/api/v1/people?${query}`);
      expect(res.status, query).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('pages a filter by cursor: every match once, in order, whatever is added meanwhile', async () => {
    const company = await makeCompany();
    const leads: string[] = [];
    for (let i = 0; i < 7; i++) {
      leads.push((await makePerson(company, { first_name: `Lead${i}`, status: 'lead' })).id);
      await makePerson(company, { first_name: `Member${i}`, status: 'member' });
    }
    const { ids: walked, pages } = await walkPages(
      (q) => api(company, 'GET', `/api/v1/people?status=lead&never_messaged=true&${q}`),
      3,
    );
    expect(walked).toEqual([...leads].reverse());
    expect(pages).toBe(3);
  });

  it('reads each filter as an index walk in the list order: no sort, no scan of the company', async () => {
    const db = getDb(env);
    const cursor = foreignCursor([1_750_000_000_000, 'per_x']);
    const cases: [PersonListQuery['status'] | undefined, PersonListQuery['sale_type'] | undefined, boolean][] = [
      ['lead', undefined, false],
      [undefined, 'secondary', false],
      [undefined, undefined, true],
      ['member', 'secondary', false],
      ['lead', undefined, true],
      ['lead', 'membership', true],
    ];
    for (const [status, saleType, never] of cases)
      for (const after of [undefined, cursor]) {
        const query: PersonListQuery = {
          per_page: 25,
          ...(status ? { status } : {}),
          ...(saleType ? { sale_type: saleType } : {}),
          ...(never ? { never_messaged: true as const } : {}),
          ...(after ? { cursor: after } : {}),
        };
        const plan = (
          await queryPlan(peoplePageQuery(db, { companyId: 'com_x', scope: UNSCOPED }, query).toSQL())
        ).join('\n');
        expect(plan, JSON.stringify(query)).toMatch(
          /SEARCH people USING INDEX people_company_(status_created|sale_type_created|never_messaged) \(company_id=\?/,
        );
        if (after) expect(plan).toMatch(/\(created_at,id\)<\(\?,\?\)\)/);
        expect(plan).not.toMatch(/TEMP B-TREE|SCAN/);
      }
    // Each filter alone takes its own index.
    const only = async (query: Partial<PersonListQuery>) =>
      (
        await queryPlan(
          peoplePageQuery(db, { companyId: 'com_x', scope: UNSCOPED }, { per_page: 25, ...query }).toSQL(),
        )
      ).join('\n');
    expect(await only({ status: 'lead' })).toMatch(/people_company_status_created \(company_id=\? AND status=\?\)/);
    expect(await only({ sale_type: 'secondary' })).toMatch(
      /people_company_sale_type_created \(company_id=\? AND sale_type=\?\)/,
    );
    expect(await only({ never_messaged: true })).toMatch(/people_company_never_messaged \(company_id=\?\)/);
    // A search with filters walks the search index's matches newest first and checks each person by id.
    const search = await only({ q: 'mar', status: 'lead', never_messaged: true });
    expect(search).toMatch(/SCAN people_search VIRTUAL TABLE/);
    expect(search).toMatch(/SEARCH people USING INDEX sqlite_autoindex_people_1 \(id=\?\)/);
    expect(search).not.toMatch(/TEMP B-TREE/);
  });

  it('reads a filtered page at the cost of a page, even when nearly everyone is filtered out', async () => {
    const company = await makeCompany();
    // 5,000 people: every tenth a lead, all but the last 30 with a conversation.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
       INSERT INTO people (id, company_id, first_name, status, sale_type, has_conversation, created_at, updated_at)
       SELECT printf('per_dir%05d', i), ?1, 'Member ' || i, CASE WHEN i % 10 = 0 THEN 'lead' ELSE 'member' END,
              CASE WHEN i % 20 = 0 THEN 'secondary' ELSE 'membership' END, i <= 4970, ?2 + i * 1000, ?2 FROM n`,
    )
      .bind(company.id, 1_750_000_000_000)
      .run();
    const db = getDb(env);
    const cost = (query: Partial<PersonListQuery>) =>
      rowsRead(peoplePageQuery(db, { companyId: company.id, scope: UNSCOPED }, { per_page: 25, ...query }).toSQL());
    // The newest 30 are the never-messaged ones: a page reads its own rows, not the 4,970 others.
    expect(await cost({ never_messaged: true })).toBeLessThan(30);
    expect(await cost({ status: 'lead' })).toBeLessThan(30);
    expect(await cost({ sale_type: 'secondary' })).toBeLessThan(30);
    const deep = foreignCursor([1_750_000_000_000 + 1_000 * 1_000, 'per_dir01000']);
    expect(await cost({ status: 'lead', cursor: deep })).toBeLessThan(30);
    expect((await ids(company, 'status=lead&per_page=2')).slice(0, 2)).toEqual(['per_dir05000', 'per_dir04990']);
    expect((await list(company, 'never_messaged=true&count=true')).pagination.total_entries).toBe(30);
  });
});

describe('phone numbers as staff type them', () => {
  it("reads a number without a country code as the company's country's, in any spelling", async () => {
    const company = await makeCompany({ country: 'GB' });
    const create = (phone: string, first_name = 'Nina') =>
      api(company, 'POST', '/api/v1/people', { first_name, phone });
    const res = await create('07412 555 012');
    expect(res.status).toBe(201);
    expect(((await res.json()) as PersonJson).phone).toBe('+447412555012');
    for (const spelling of ['(07412) 555-013', '+44 7412 555014', '0044 7412 555015', '7412 555016']) {
      const made = await create(spelling);
      expect(made.status, spelling).toBe(201);
      expect(((await made.json()) as PersonJson).phone).toMatch(/^\+44741255501[3-6]$/);
    }
    // The same number in another spelling is the same person.
    for (const again of ['+447412555012', '07412555012', '0044 7412 555012']) {
      const dup = await create(again, 'Again');
      expect(dup.status, again).toBe(409);
      expect(await dup.json()).toMatchObject({ error: { code: 'phone_taken' } });
    }
    // Found by any spelling too, and a change of number is read the same way.
    const found = await list(company, `phone=${encodeURIComponent('07412 555012')}`);
    expect(found.collection.map((p) => p.phone)).toEqual(['+447412555012']);
    const id = found.collection[0]?.id;
    const moved = await api(company, 'PUT', `/api/v1/people/${id}`, { phone: '07412 555099' });
    expect(((await moved.json()) as PersonJson).phone).toBe('+447412555099');
    // Another country's number keeps its own code.
    const us = await create('+1 (650) 253-0000');
    expect(((await us.json()) as PersonJson).phone).toBe('+16502530000');
    const bad = await create('0741');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid_phone', message: expect.stringContaining('or as a number in GB') },
    });
  });

  it('reads national numbers of a US gym as US numbers', async () => {
    const company = await makeCompany({ country: 'US' });
    const res = await api(company, 'POST', '/api/v1/people', { first_name: 'Sam', phone: '(650) 253-0001' });
    expect(((await res.json()) as PersonJson).phone).toBe('+16502530001');
  });

  it('without a country, takes international forms only, and says so', async () => {
    const company = await makeCompany();
    const national = await api(company, 'POST', '/api/v1/people', { first_name: 'A', phone: '07412 555 020' });
    expect(national.status).toBe(422);
    expect(await national.json()).toMatchObject({
      error: { code: 'invalid_phone', message: expect.stringContaining('E.164') },
    });
    for (const [typed, stored] of [
      ['0044 7412 555021', '+447412555021'],
      ['447412555022', '+447412555022'],
    ]) {
      const res = await api(company, 'POST', '/api/v1/people', { first_name: 'A', phone: typed });
      expect(((await res.json()) as PersonJson).phone).toBe(stored);
    }
  });

  it('takes the country when the platform admin creates the company, and refuses one that is not', async () => {
    const admin = (body: unknown) => api({ apiKey: env.PLATFORM_ADMIN_TOKEN }, 'POST', '/api/admin/companies', body);
    const made = await admin({ name: 'Lisbon Gym', timezone: 'Europe/Lisbon', country: 'pt' });
    expect(made.status).toBe(201);
    expect(await made.json()).toMatchObject({ country: 'PT' });
    const plain = await admin({ name: 'Any Gym', timezone: 'Europe/London' });
    expect(await plain.json()).toMatchObject({ country: null });
    const bad = await admin({ name: 'Nowhere Gym', timezone: 'Europe/London', country: 'XX' });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      error: { code: 'validation_failed', message: expect.stringContaining('country') },
    });
  });
});

describe('who added a person', () => {
  it('is the staff member, the API key, or their first WhatsApp message', async () => {
    const company = await makeCompany({ country: 'GB' });
    const staff = await staffSession(company);
    const byStaff = await staff.fetch('/api/v1/people', {
      method: 'POST',
      body: { first_name: 'Walk-in', phone: '07412 555 030' },
    });
    expect(byStaff.status).toBe(201);
    expect(((await byStaff.json()) as PersonJson).created_by).toEqual({
      kind: 'user',
      id: staff.user.id,
      name: 'Test staff',
    });

    const byKey = (await (
      await api(company, 'POST', '/api/v1/people', { first_name: 'Imported', phone: uniquePhone() })
    ).json()) as PersonJson;
    expect(byKey.created_by).toMatchObject({ kind: 'api_key', name: 'test key' });

    const stranger = '+447412555031';
    await postWebhook(inboundPayload(company.phoneNumberId, { from: stranger, text: 'Hi', name: 'New Person' }));
    const [lead] = (await list(company, `phone=${encodeURIComponent(stranger)}`)).collection;
    expect(lead?.created_by).toEqual({ kind: 'whatsapp', id: '447412555031', name: 'WhatsApp message' });
    expect(lead?.has_conversation).toBe(true);
  });
});

describe('search folds letters as well as accents', () => {
  it('finds Søren, Łukasz, Strauß and María by plain letters, and by the letters as written', async () => {
    const company = await makeCompany();
    const soren = await makePerson(company, { first_name: 'Søren', last_name: 'Bjørnsen' });
    const lukasz = await makePerson(company, { first_name: 'Łukasz', last_name: 'Straß' });
    const maria = await makePerson(company, { first_name: 'María', last_name: 'Ærø', email: 'maria@gym.example' });
    const search = (q: string) => ids(company, `q=${encodeURIComponent(q)}`);
    expect(await search('soren')).toEqual([soren.id]);
    expect(await search('Søren')).toEqual([soren.id]);
    expect(await search('bjorn')).toEqual([soren.id]);
    expect(await search('lukasz')).toEqual([lukasz.id]);
    expect(await search('LUK')).toEqual([lukasz.id]);
    expect(await search('strass')).toEqual([lukasz.id]);
    expect(await search('maria aero')).toEqual([maria.id]);
    expect(await search('marí')).toEqual([maria.id]);
    // A rename is indexed the same way.
    await api(company, 'PUT', `/api/v1/people/${soren.id}`, { first_name: 'Ødegaard' });
    expect(await search('odeg')).toEqual([soren.id]);
    expect(await search('soren')).toEqual([]);
  });
});

describe('migration 0013 on existing data', () => {
  it('marks people who already have a conversation, and folds names indexed before it', async () => {
    const company = await makeCompany();
    const wrote = await makePerson(company, { first_name: 'Wes' });
    const quiet = await makePerson(company, { first_name: 'Søren', last_name: 'Łaska' });
    await postWebhook(inboundPayload(company.phoneNumberId, { from: wrote.phone, text: 'Hi' }));
    // As before the migration: nobody marked, names indexed as written.
    await env.DB.batch([
      env.DB.prepare('UPDATE people SET has_conversation = 0 WHERE company_id = ?').bind(company.id),
      env.DB.prepare(
        `UPDATE people_search SET terms = 'Søren Łaska ' WHERE people_search MATCH 'person_id:"' || ? || '"'`,
      ).bind(quiet.id),
    ]);
    expect(await ids(company, 'never_messaged=true')).toEqual([quiet.id, wrote.id]);
    expect(await ids(company, 'q=soren')).toEqual([]);

    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0013_'));
    const backfills = migration?.queries.filter((q) => /^UPDATE `people(_search)?` SET/m.test(q)) ?? [];
    expect(backfills).toHaveLength(2);
    for (const q of backfills) await env.DB.prepare(q).run();

    expect(await ids(company, 'never_messaged=true')).toEqual([quiet.id]);
    expect(await ids(company, 'q=soren')).toEqual([quiet.id]);
    expect(await ids(company, 'q=laska')).toEqual([quiet.id]);
    expect(await ids(company, 'q=Søren')).toEqual([quiet.id]);
  });
});
