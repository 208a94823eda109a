// The data the API fuzzer works on: our company (people who wrote, opted out or were sent to, templates, an
// automated item, a quick reply, users, API keys, a media file) and another company with the same kinds of row,
// whose ids the fuzzer also tries. Ids are pooled by kind; rows the fuzzer creates join the pools as it goes.
import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { sha256Hex } from '../../worker/auth/crypto';
import { createSession, SESSION_COOKIE_HEADER_NAME } from '../../worker/auth/sessions';
import { getDb } from '../../worker/db/client';
import { apiKeys } from '../../worker/db/schema';
import { newId, randomToken } from '../../worker/ids';
import { sandboxPushEndpoint } from '../../worker/sandbox/push-service';
import { api, BASE, makeCompany, makePerson, type TestCompany } from '../helpers/fixtures';
import { browserSubscription } from '../helpers/push';
import { manualSimulator, sendText, simulator } from '../helpers/sandbox';
import { makeUser, PASSWORD, type TestUser } from '../helpers/staff';
import { approvedTemplate, manualWaba, renewalTemplate } from '../helpers/templates';
import type { Hints } from './json-schema';
import type { FuzzRequest, ParamValue } from './openapi-requests';
import { poolOf } from './openapi-requests';

export type Pools = Record<string, string[]>;

export interface Tenant {
  company: TestCompany;
  admin: TestUser;
  cookie: string;
  /** The rows it was made with, by kind. */
  pools: Pools;
  /** Rows the fuzzer created since. */
  created: Pools;
}

const cookieOf = (token: string) => `${SESSION_COOKIE_HEADER_NAME}=${token}`;

async function expectStatus(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

async function idsOf(sql: string, companyId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(sql).bind(companyId).all<{ id: string }>();
  return results.map((r) => r.id);
}

/** A company with one of every kind of row the API reaches, and an admin's session. */
async function tenant(name: string): Promise<Tenant> {
  const company = await makeCompany({ name });
  const sim = await manualSimulator(company);
  await manualWaba(company);
  const admin = await makeUser(company, 'admin');
  await makeUser(company, 'staff');
  const { token } = await createSession(getDb(env), admin);

  // People who wrote (their window is open), one with a photo.
  for (const name of ['Wrote', 'Asked', 'Replied']) {
    const wrote = await makePerson(company, { first_name: name, last_name: 'Inbound' });
    await sim.inbound({ from: wrote.phone, text: 'Is the pool open?' });
    if (name === 'Wrote') await sim.inbound({ from: wrote.phone, type: 'image', text: 'my card' });
  }
  const sentTo = await makePerson(company, { first_name: 'Sent', status: 'member' });
  await sim.inbound({ from: sentTo.phone, text: 'hi' });
  await expectStatus(await sendText(company, sentTo.id, 'Welcome!'), 202, 'send');
  const stopped = await makePerson(company, { first_name: 'Stopped' });
  await sim.inbound({ from: stopped.phone, text: 'STOP' });
  await expectStatus(await api(company, 'POST', '/api/v1/people', { first_name: 'Nophone' }), 201, 'person');

  // Through the API and the simulator's review, so Meta knows them too (a delete asks Meta first).
  await approvedTemplate(
    company,
    renewalTemplate({
      name: 'welcome_offer',
      components: [{ type: 'BODY', text: 'Hi {{1}}, welcome!', example: { body_text: [['Sheena']] } }],
    }),
  );
  await approvedTemplate(company, renewalTemplate({ category: 'MARKETING' }));
  await expectStatus(
    await api(company, 'POST', '/api/v1/whatsapp/automations', {
      name: 'Welcome',
      template: { name: 'welcome_offer', language: 'en_GB' },
      variables: ['first_name'],
      sale_type: 'membership',
      trigger: { event: 'person_created', offset_hours: 1 },
    }),
    201,
    'automation',
  );
  await expectStatus(
    await api(company, 'POST', '/api/v1/quick-replies', { shortcut: 'price', text: 'From £24.99 a month.' }),
    201,
    'quick reply',
  );
  // A second key, so revoking a key has something to revoke besides the one the fuzzer uses.
  const spare = `cc_test_${randomToken(32)}`;
  await getDb(env)
    .insert(apiKeys)
    .values({
      id: newId('key'),
      companyId: company.id,
      name: 'spare',
      keyHash: await sha256Hex(spare),
      prefix: spare.slice(0, 12),
    });

  const ownKey = await sha256Hex(company.apiKey);
  const pools: Pools = {
    people: await idsOf('SELECT id FROM people WHERE company_id = ? ORDER BY created_at, id', company.id),
    templates: await idsOf('SELECT id FROM templates WHERE company_id = ? ORDER BY created_at, id', company.id),
    automations: await idsOf('SELECT id FROM automations WHERE company_id = ? ORDER BY created_at, id', company.id),
    'quick-replies': await idsOf('SELECT id FROM quick_replies WHERE company_id = ? ORDER BY id', company.id),
    // Not the admin the fuzzer is logged in as, nor the key it uses: it would lock itself out.
    users: (await idsOf('SELECT id FROM users WHERE company_id = ? ORDER BY email', company.id)).filter(
      (id) => id !== admin.id,
    ),
    'api-keys': (
      await env.DB.prepare('SELECT id, key_hash FROM api_keys WHERE company_id = ? ORDER BY id')
        .bind(company.id)
        .all<{ id: string; key_hash: string }>()
    ).results
      .filter((k) => k.key_hash !== ownKey)
      .map((k) => k.id),
    'audit-log': await idsOf('SELECT id FROM audit_log WHERE company_id = ? ORDER BY at, id', company.id),
    media: await idsOf(
      `SELECT json_extract(content, '$.id') AS id FROM history_notes
        WHERE company_id = ? AND message_type = 'image' ORDER BY id`,
      company.id,
    ),
  };
  const created = Object.fromEntries(Object.keys(pools).map((k) => [k, []]));
  return { company, admin, cookie: cookieOf(token), pools, created };
}

export interface World {
  ours: Tenant;
  theirs: Tenant;
}

/** Good values for the property names the API uses, from our company's rows (see json-schema.ts, Hints). */
export async function hintsFor(ours: Tenant): Promise<Hints> {
  const browser = await browserSubscription();
  const people = ours.pools.people ?? [];
  return {
    good: {
      person_id: fc.constantFrom(...people),
      name: fc.constantFrom('welcome_offer', 'class_reminder', 'Sheena'),
      language: fc.constant('en_GB'),
      params: fc.constantFrom(['Sheena'], ['Sheena', 'Spin'], { 1: 'Sheena' }),
      email: fc.nat().map((n) => `fuzz-${n}@test.gym`),
      password: fc.constant(PASSWORD),
      phone: fc.integer({ min: 0, max: 99_999_999 }).map((n) => `+4475${String(n).padStart(8, '0')}`),
      text: fc.constantFrom('Hello!', 'See you at 6?'),
      p256dh: fc.constant(browser.json.keys.p256dh),
      auth: fc.constant(browser.json.keys.auth),
    },
    // The simulator's push service (in-process), never a real one such as the schema's example.
    only: { endpoint: fc.nat().map((n) => sandboxPushEndpoint(`fuzz${n}`)) },
  };
}

export async function makeWorld(): Promise<World> {
  return { ours: await tenant('Fuzz Gym'), theirs: await tenant('Other Gym') };
}

function pick(pool: string[] | undefined, index: number): string {
  return pool && pool.length > 0 ? (pool[index % pool.length] ?? '') : 'none_in_pool';
}

/** A URL cannot carry a lone UTF-16 surrogate (encodeURIComponent throws): it becomes U+FFFD, as URL() does. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

function paramText(v: ParamValue, pool: string, { ours, theirs }: World): string {
  if (v.kind === 'text') return v.encode ? encodeURIComponent(wellFormed(v.value)) : v.value;
  if (v.kind === 'ours') {
    // Half the time one the world was made with, so the fuzzer's own creations never crowd those out.
    const made = ours.pools[pool] ?? [];
    return pick(v.index % 2 === 0 ? made : [...made, ...(ours.created[pool] ?? [])], Math.floor(v.index / 2));
  }
  if (v.kind === 'theirs') return pick(theirs.pools[pool], v.index);
  const others = Object.entries(ours.pools).flatMap(([name, ids]) => (name === pool ? [] : ids));
  return pick(others, v.index);
}

/** The URL path a request names, its ids picked from the pools now. */
export function concretePath(req: FuzzRequest, world: World): string {
  let path = req.path;
  for (const [name, value] of Object.entries(req.params))
    path = path.replace(`{${name}}`, paramText(value, poolOf(req.path, name), world));
  const query = new URLSearchParams(req.query).toString();
  return query ? `${path}?${query}` : path;
}

/** Sends it as the request's caller would. */
export async function send(req: FuzzRequest, world: World): Promise<Response> {
  const { ours } = world;
  const headers: Record<string, string> = { ...req.headers };
  let cookie = ours.cookie;
  // Logging out ends the session it is sent with: a throwaway one keeps the fuzzer's own logged in.
  if (req.operation === 'authLogout') cookie = cookieOf((await createSession(getDb(env), ours.admin)).token);
  const key = `Bearer ${ours.company.apiKey}`;
  switch (req.caller) {
    case 'api_key':
      headers.Authorization = key;
      break;
    case 'session':
      Object.assign(headers, { Cookie: cookie, Origin: BASE });
      break;
    case 'wrong_key':
      headers.Authorization = 'Bearer cc_test_not_a_key';
      break;
    case 'session_without_origin':
      headers.Cookie = cookie;
      break;
    case 'session_foreign_origin':
      Object.assign(headers, { Cookie: cookie, Origin: 'https://evil.example' });
      break;
    case 'key_and_session':
      Object.assign(headers, { Authorization: key, Cookie: cookie, Origin: BASE });
      break;
    case 'none':
      break;
  }
  if (req.contentType) headers['Content-Type'] = req.contentType;
  const bodyless = req.method === 'GET' || req.method === 'HEAD';
  return exports.default.fetch(`${BASE}${concretePath(req, world)}`, {
    method: req.method,
    headers,
    body: bodyless ? undefined : req.body,
  });
}

/** A row the fuzzer created joins its pool, so later requests can read, change and delete it. */
export function remember(req: FuzzRequest, status: number, body: unknown, ours: Tenant): void {
  if (status !== 201 || !body || typeof body !== 'object' || !('id' in body) || typeof body.id !== 'string') return;
  const pool = req.path.split('/').at(-1) ?? '';
  ours.created[pool]?.push(body.id);
}

/**
 * Between requests, one of our people writes (Meta's webhook, through the simulator): it reopens their window, and
 * START opts them back in, so a long run keeps people a send can reach; their messages also interleave with
 * the API's writes. `index` picks a person as a path id would; from their phone of the moment, if they have one.
 */
export interface CustomerWrites {
  index: number;
  text: string;
}

export const customerWrites: fc.Arbitrary<CustomerWrites> = fc.record({
  index: fc.nat(),
  text: fc.constantFrom('Hi', 'Is the pool open?', 'START', 'STOP'),
});

export async function customerWrote(step: CustomerWrites, { ours }: World): Promise<void> {
  const id = paramText({ kind: 'ours', index: step.index }, 'people', { ours, theirs: ours });
  const row = await env.DB.prepare('SELECT phone FROM people WHERE id = ?').bind(id).first<{ phone: string | null }>();
  if (!row?.phone) return;
  const sent = await simulator(ours.company).inbound({ from: row.phone, text: step.text });
  if (sent.status !== 200) throw new Error(`the webhook answered ${sent.status} to ${JSON.stringify(step)}`);
}
