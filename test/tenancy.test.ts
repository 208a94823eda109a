// Tenancy: one company's API key never reads or changes another company's people. Another company's id is
// answered exactly like an id that does not exist (404), so ids cannot be probed.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { consentLog, historyNotes, people } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';

describe("company B and company A's person", () => {
  let a: TestCompany;
  let b: TestCompany;
  let person: { id: string; phone: string };

  beforeAll(async () => {
    a = await makeCompany({ name: 'A' });
    b = await makeCompany({ name: 'B' });
    person = await makePerson(a, { email: 'only-in-a@example.com' });
    await getDb(env)
      .insert(historyNotes)
      .values({
        id: newId('his'),
        companyId: a.id,
        personId: person.id,
        type: 'whatsapp_received',
        body: 'private',
        occurredAt: Date.now(),
      });
  });

  const routes: [string, string, unknown][] = [
    ['GET', '', undefined],
    ['PUT', '', { first_name: 'Hijacked', whatsapp_opted_out: true }],
    ['GET', '/history', undefined],
    ['POST', '/whatsapp/opt-out', { reason: 'from B' }],
  ];

  it.each(routes)('%s /people/:id%s answers B with the same 404 as an unknown id', async (method, suffix, body) => {
    const foreign = await api(b, method, `/api/v1/people/${person.id}${suffix}`, body);
    const missing = await api(b, method, `/api/v1/people/per_doesnotexist${suffix}`, body);
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual(await missing.json());
    // And A's key still reaches it.
    expect((await api(a, 'GET', `/api/v1/people/${person.id}${suffix === '/history' ? suffix : ''}`)).status).toBe(200);
  });

  it("leaves A's person untouched after B's attempts", async () => {
    const row = await getDb(env).select().from(people).where(eq(people.id, person.id)).get();
    expect(row).toMatchObject({ companyId: a.id, firstName: 'Sheena', whatsappOptedOut: false });
    expect(await getDb(env).select().from(consentLog).where(eq(consentLog.personId, person.id)).all()).toEqual([]);
    expect(await getDb(env).select().from(historyNotes).where(eq(historyNotes.personId, person.id)).all()).toHaveLength(
      1,
    );
  });

  it("never lists A's people for B, by page, phone, email or search", async () => {
    const own = await makePerson(b);
    const list = (await (await api(b, 'GET', '/api/v1/people?per_page=100&count=true')).json()) as {
      collection: { id: string }[];
      pagination: { total_entries: number };
    };
    expect(list.collection.map((p) => p.id)).toEqual([own.id]);
    expect(list.pagination.total_entries).toBe(1);

    const none = { collection: [], pagination: { total_pages: 0, total_entries: 0, next_cursor: null } };
    const byPhone = await api(b, 'GET', `/api/v1/people?count=true&phone=${encodeURIComponent(person.phone)}`);
    expect(await byPhone.json()).toEqual(none);
    const byEmail = await api(b, 'GET', '/api/v1/people?count=true&email=only-in-a%40example.com');
    expect(await byEmail.json()).toEqual(none);
    const bySearch = await api(b, 'GET', `/api/v1/people?count=true&q=${encodeURIComponent(person.phone)}`);
    expect(await bySearch.json()).toEqual(none);
  });

  it("lets B use the same phone number as A's person (numbers are unique per company)", async () => {
    const res = await api(b, 'POST', '/api/v1/people', { first_name: 'Same number', phone: person.phone });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string };
    expect(created.id).not.toBe(person.id);
  });
});
