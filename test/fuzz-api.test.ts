// The API fuzzer: generated and mutated requests to every operation of the OpenAPI document the worker serves,
// as an integrator (API key), as staff (session cookie and Origin), and as callers who are neither. Whatever
// arrives: never a 5xx, every refusal is `{ error: { code, message } }`, another company's ids never answer
// 2xx, and afterwards D1 holds together (test/helpers/integrity.ts) and the other company is untouched.
// Seed, budget and the command that repeats a run: test/fuzz/settings.ts (README, "Tests").
//
// Not in the OpenAPI document, so not fuzzed here (each has its own tests):
// - /webhooks/whatsapp: Meta's door, fuzzed with signed payloads in test/fuzz-webhooks.test.ts.
// - /api/admin/*: the platform operator's routes (PLATFORM_ADMIN_TOKEN), test/admin.test.ts.
// - /sandbox/*: the Meta simulator. Its Graph API answers 5xx on purpose when told to (fault injection), and
//   /sandbox/seed rewrites the demo company; test/sandbox.test.ts.
// - /api/v1/live (the app's WebSocket), test/realtime.test.ts; /api/health and /api/v1/docs (static).
import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import {
  concretePath,
  customerWrites,
  customerWrote,
  hintsFor,
  makeWorld,
  remember,
  send,
  type World,
} from './fuzz/api-world';
import { anyRequest, type FuzzRequest, type OpenApiDoc, type Operation, operationsOf } from './fuzz/openapi-requests';
import { fuzz, fuzzTimeoutMs } from './fuzz/run';
import { BASE } from './helpers/fixtures';
import { expectIntegrity } from './helpers/integrity';
import { simulator } from './helpers/sandbox';

const FILE = 'test/fuzz-api.test.ts';

const TENANT_TABLES = [
  'people',
  'history_notes',
  'counters',
  'conversations',
  'consent_log',
  'templates',
  'automations',
  'quick_replies',
  'users',
  'api_keys',
];

/** Every row another company has, to compare before and after. */
async function rowsOfCompany(companyId: string) {
  const out: Record<string, unknown[]> = {};
  for (const table of TENANT_TABLES)
    out[table] = (
      await env.DB.prepare(`SELECT * FROM ${table} WHERE company_id = ? ORDER BY rowid`).bind(companyId).all()
    ).results;
  return out;
}

function isErrorBody(body: unknown): boolean {
  if (!body || typeof body !== 'object' || !('error' in body)) return false;
  const { error } = body as { error: unknown };
  if (!error || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.length > 0 && typeof message === 'string';
}

/**
 * Meta's own refusal passed on: 502 `meta_error` / `meta_unavailable`, documented for the template and media
 * routes (the simulator plays Meta and refuses what Meta would). Counted and printed, not a failure of ours.
 */
function passedOnFromMeta(op: Operation, status: number, body: unknown): boolean {
  const code = isErrorBody(body) ? (body as { error: { code: string } }).error.code : '';
  return status === 502 && op.responses.includes('502') && (code === 'meta_error' || code === 'meta_unavailable');
}

interface Tally {
  /** `operation status` -> how many times. */
  seen: Map<string, number>;
  undocumented: Set<string>;
}

/** One request: sent, and its answer held to the rules above. */
async function tryRequest(req: FuzzRequest, world: World, operations: Operation[], tally: Tally): Promise<void> {
  const where = `${req.method} ${concretePath(req, world).slice(0, 300)}`;
  const res = await send(req, world);
  const json = res.headers.get('Content-Type')?.startsWith('application/json');
  // Media answers are files: read as bytes, so nothing is decoded as text that is not.
  const text = json ? await res.text() : `(${(await res.arrayBuffer()).byteLength} bytes)`;
  const said = `${where} as ${req.caller} (${req.operation}) answered ${res.status}: ${text.slice(0, 500)}`;
  const body: unknown = json ? JSON.parse(text) : null;
  if (res.status >= 400) expect(isErrorBody(body), said).toBe(true);
  const op = operations.find((o) => o.id === req.operation);
  if (res.status >= 500 && !(op && passedOnFromMeta(op, res.status, body))) expect.fail(said);
  // A "." or ".." id is a dot segment: the URL resolves to another route (/people/../labels is /labels), which
  // answers for itself; only a request that reached its own route must refuse an id that is not ours.
  const segments = (concretePath(req, world).split('?')[0] ?? '').split('/');
  const sameRoute = !segments.some((segment) => segment === '.' || segment === '..');
  if (res.status < 300 && sameRoute && Object.values(req.params).some((p) => p.kind !== 'ours'))
    expect.fail(`an id that is not one of ours: ${said}`);
  remember(req, res.status, body, world.ours);
  const key = `${req.operation} ${res.status}`;
  tally.seen.set(key, (tally.seen.get(key) ?? 0) + 1);
  if (op && req.method === op.method && !op.responses.includes(String(res.status))) tally.undocumented.add(key);
}

/** What the run reached: operations that answered 2xx, Meta's refusals, statuses the document does not list. */
function summary(tally: Tally, operations: Operation[]): string {
  const keys = [...tally.seen.keys()];
  const reached = new Set(keys.filter((k) => / 2\d\d$/.test(k)).map((k) => k.split(' ')[0]));
  const missed = operations.map((o) => o.id).filter((id) => !reached.has(id));
  const fromMeta = keys.filter((k) => k.endsWith(' 502'));
  return [
    `fuzz-api: ${reached.size} of ${operations.length} operations answered 2xx (not: ${missed.join(', ') || 'none'})`,
    `Meta's refusals passed on (502): ${fromMeta.join(', ') || 'none'}`,
    `statuses outside the document: ${[...tally.undocumented].sort().join(', ') || 'none'}`,
  ].join('; ');
}

it(
  'answers every generated request without a 5xx, in the documented error shape, and keeps D1 whole',
  async () => {
    const doc = (await (await exports.default.fetch(`${BASE}/api/v1/openapi.json`)).json()) as OpenApiDoc;
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThanOrEqual(40);
    const world = await makeWorld();
    const theirsBefore = await rowsOfCompany(world.theirs.company.id);
    const errors = vi.spyOn(console, 'error');
    // A push to a real push service (the schema's example endpoint) would leave the machine: never from a test.
    const warnings = vi.spyOn(console, 'warn');
    const pushedOut = () => warnings.mock.calls.filter((c) => String(c[0]).includes('push failed'));
    const tally: Tally = { seen: new Map(), undocumented: new Set() };

    const step = fc.oneof(
      {
        weight: 12,
        arbitrary: anyRequest(doc, operations, await hintsFor(world.ours)).map((request) => ({ request })),
      },
      { weight: 1, arbitrary: customerWrites.map((customer) => ({ customer })) },
    );
    await fuzz(FILE, step, async (s) => {
      // Each run answers for what it logs (so fast-check can shrink the run that logged it).
      errors.mockClear();
      warnings.mockClear();
      if ('customer' in s) await customerWrote(s.customer, world);
      else await tryRequest(s.request, world, operations, tally);
      // Nothing failed quietly on our side either (a send attempt, a background task): the worker logs those.
      expect(errors.mock.calls).toEqual([]);
      expect(pushedOut()).toEqual([]);
      return 1;
    });

    // Statuses of the messages sent meanwhile arrive too (in any order, twice) before D1 is checked.
    await simulator(world.ours.company).flushWebhooks({ order: 'reverse', duplicate: true });
    await expectIntegrity(world.ours.company.id);
    await expectIntegrity(world.theirs.company.id);
    expect(await rowsOfCompany(world.theirs.company.id)).toEqual(theirsBefore);
    expect(errors.mock.calls).toEqual([]);
    console.log(summary(tally, operations));
  },
  fuzzTimeoutMs(),
);
