// `npm run bench:automations [-- --people 100000 --opted-out 0.3 --rate 1000]`: one automated item over many
// people against the Meta simulator, end to end through `wrangler dev` (cron -> Queue -> consumer ->
// conversation objects -> simulator), with its local queue consumer. Never part of `npm test`.
//
// It starts wrangler dev on 127.0.0.1 (port 8792, state in /tmp/bench-state, wiped first), makes a company
// through the admin API with messages_per_second raised, seeds the people and an approved template in bulk
// through D1 (`wrangler d1 execute --local`), creates the item, fires the cron with
// /cdn-cgi/handler/scheduled, and waits for the run log to show nothing pending. Then it reads what the
// simulator recorded (its SQLite file) and checks: exactly one send per opted-in person, no duplicates, none
// to an opted-out person. It prints time to finish, sends per second reaching the simulator, peak memory.
//
// Two passes over the same people, each its own item and template: the first is every person's first message
// (each send makes that person's conversation object: locally a new SQLite file), the second a later campaign to
// the same people, whose objects exist but have long left memory, as they would have between two campaigns. The
// two rates side by side tell making an object from waking one.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { ensureDevVars, ROOT, readDevVars } from '../scripts/ensure-dev-vars.mjs';
import { findSqlite, QUIET_DEV } from './lib/wrangler.mjs';

const { values: opts } = parseArgs({
  options: {
    people: { type: 'string', default: '100000' },
    'opted-out': { type: 'string', default: '0.3' },
    rate: { type: 'string', default: '1000' },
    port: { type: 'string', default: '8792' },
    'persist-to': { type: 'string', default: '/tmp/bench-state' },
    'timeout-min': { type: 'string', default: '60' },
    // 1: the first messages only (the 100,000-person run takes a quarter of an hour a pass).
    passes: { type: 'string', default: '2' },
    // Where to write the report as JSON too (npm run bench reads it from there).
    report: { type: 'string' },
  },
});
const PEOPLE = Number(opts.people);
const OPTED_OUT_SHARE = Number(opts['opted-out']);
const RATE = Number(opts.rate);
const PORT = Number(opts.port);
const STATE = opts['persist-to'];
const BASE = `http://127.0.0.1:${PORT}`;
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const CRON = '*/5 * * * *';

const log = (s) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Every `OPTED_OUT_SHARE` of each ten people is opted out: 30% exactly when the count is a multiple of ten.
const isOptedOut = (i) => i % 100 < OPTED_OUT_SHARE * 100;
const phoneOf = (i) => `+4470${String(i).padStart(8, '0')}`;

function wrangler(args, stdio = 'pipe') {
  return execFileSync(process.execPath, [WRANGLER, ...args], { cwd: ROOT, stdio, maxBuffer: 1 << 26 });
}

async function json(method, path, token, body) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Resident memory (KiB) of a process and all its descendants, from /proc. */
function treeRssKiB(rootPid) {
  const children = new Map();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(pid));
    } catch {}
  }
  let total = 0;
  let workerd = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop();
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const rss = Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0);
      total += rss;
      if (/Name:\s+workerd/.test(status)) workerd += rss;
    } catch {}
    stack.push(...(children.get(pid) ?? []));
  }
  return { total, workerd };
}

async function main() {
  ensureDevVars();
  const adminToken = readDevVars().PLATFORM_ADMIN_TOKEN;
  log(`people ${PEOPLE}, opted out ${OPTED_OUT_SHARE * 100}%, number rate ${RATE}/s, state ${STATE}`);
  rmSync(STATE, { recursive: true, force: true });
  mkdirSync(STATE, { recursive: true });
  wrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', STATE], 'ignore');
  // wrangler refuses to start without the [assets] directory; the benchmark needs no staff app in it.
  mkdirSync(join(ROOT, 'dist', 'pwa'), { recursive: true });

  // wrangler dev's own output goes to a file beside the state, for when something needs a look.
  const devLogFile = join(STATE, 'wrangler-dev.log');
  const devOut = openSync(devLogFile, 'w');
  const dev = spawn(
    process.execPath,
    [
      WRANGLER,
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(PORT),
      '--persist-to',
      STATE,
      '--var',
      'WHATSAPP_MODE:sandbox',
      // BENCH_WRANGLER_ARGS adds wrangler dev flags, as for the other parts (lib/wrangler.mjs).
      ...(process.env.BENCH_WRANGLER_ARGS ?? '').split(/\s+/).filter(Boolean),
    ],
    { cwd: ROOT, stdio: ['ignore', devOut, devOut], env: { ...process.env, ...QUIET_DEV } },
  );
  const devLog = () => readFileSync(devLogFile, 'utf8').slice(-5000);
  const stop = () => {
    if (dev.exitCode === null) dev.kill('SIGTERM');
  };
  process.on('exit', stop);
  process.on('SIGINT', () => process.exit(130));

  try {
    for (let i = 0; ; i++) {
      if (dev.exitCode !== null) throw new Error(`wrangler dev exited:\n${devLog()}`);
      try {
        if ((await fetch(`${BASE}/api/health`)).ok) break;
      } catch {}
      if (i > 240) throw new Error(`wrangler dev did not start:\n${devLog()}`);
      await sleep(500);
    }
    log('wrangler dev is up');

    // The company, its number (rate raised) and an API key, through the admin API.
    const company = await json('POST', '/api/admin/companies', adminToken, { name: 'Bench Gym', timezone: 'UTC' });
    await json('PUT', `/api/admin/companies/${company.id}/whatsapp`, adminToken, {
      enabled: true,
      waba_id: '299000000000001',
      phone_number_id: '199000000000001',
      display_phone_number: '15550199001',
      access_token: 'sandbox-token',
      messages_per_second: RATE,
    });
    const { key } = await json('POST', `/api/admin/companies/${company.id}/api-keys`, adminToken, { name: 'bench' });
    // The benchmark measures sending: no delivery/read webhooks flowing back meanwhile.
    await json('POST', '/sandbox/configure', key, { delivery: 'manual', statuses: [] });

    // People and the approved template, in bulk through D1.
    const today = new Date().toISOString().slice(0, 10);
    const sql = [
      `INSERT INTO templates (id, company_id, name, language, category, status, components, variables) VALUES
        ('tpl_bench', '${company.id}', 'membership_ends', 'en_GB', 'UTILITY', 'APPROVED',
         '[{"type":"BODY","text":"Hi {{1}}, your membership ends today. Come and see us!"}]', '["1"]'),
        ('tpl_bench_2', '${company.id}', 'renewal_offer', 'en_GB', 'UTILITY', 'APPROVED',
         '[{"type":"BODY","text":"Hi {{1}}, renew today and your first month is on us."}]', '["1"]');`,
    ];
    for (let start = 0; start < PEOPLE; start += 500) {
      const rows = [];
      for (let i = start; i < Math.min(PEOPLE, start + 500); i++)
        rows.push(
          `('per_bench_${i}', '${company.id}', 'P${i}', '${phoneOf(i)}', 'member', '${today}', ${isOptedOut(i) ? 1 : 0})`,
        );
      sql.push(
        `INSERT INTO people (id, company_id, first_name, phone, status, membership_end, whatsapp_opted_out) VALUES ${rows.join(',')};`,
      );
    }
    const sqlFile = join(STATE, 'seed.sql');
    writeFileSync(sqlFile, sql.join('\n'));
    const seedStart = Date.now();
    wrangler(['d1', 'execute', 'DB', '--local', '--persist-to', STATE, '--file', sqlFile, '--yes'], 'ignore');
    log(`seeded ${PEOPLE} people through D1 in ${((Date.now() - seedStart) / 1000).toFixed(1)} s`);

    let peak = { total: 0, workerd: 0 };
    const sampler = setInterval(() => {
      const now = treeRssKiB(dev.pid);
      peak = { total: Math.max(peak.total, now.total), workerd: Math.max(peak.workerd, now.workerd) };
    }, 1000);
    const deadline = Date.now() + Number(opts['timeout-min']) * 60_000;
    const expected = PEOPLE - Array.from({ length: PEOPLE }, (_, i) => i).filter(isOptedOut).length;
    const optedOutPhones = new Set();
    for (let i = 0; i < PEOPLE; i++) if (isOptedOut(i)) optedOutPhones.add(phoneOf(i).slice(1));

    /** One item over everyone, from the cron firing to nothing pending; then what the simulator got for it. */
    async function pass(name, template) {
      const item = await json('POST', '/api/v1/whatsapp/automations', key, {
        name,
        template: { name: template, language: 'en_GB' },
        variables: ['first_name'],
        sale_type: 'membership',
        trigger: { event: 'membership_end', offset_days: 0 },
        send_window: { start: '00:00', end: '24:00' },
      });
      // Go: the cron, as Cloudflare would fire it.
      const started = Date.now();
      const cron = await fetch(`${BASE}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(CRON)}`);
      log(`${name}: cron fired: ${cron.status} after ${((Date.now() - started) / 1000).toFixed(1)} s (sweep done)`);
      let run;
      for (;;) {
        const runs = await json('GET', `/api/v1/whatsapp/automations/${item.id}/runs`, key);
        run = runs.collection[0];
        if (run) {
          const done = run.due - run.pending;
          const secs = (Date.now() - started) / 1000;
          log(
            `${name}: ${done}/${run.due} handled, sent ${run.sent}, skipped ${JSON.stringify(run.skipped)}, failed ${run.failed} (${secs.toFixed(0)} s)`,
          );
          if (run.due >= PEOPLE && run.pending === 0) break;
        }
        if (Date.now() > deadline) {
          log(`stopping at the ${opts['timeout-min']}-minute limit: the report covers what was sent so far`);
          break;
        }
        // The run log counts every occurrence: polled often, on 100,000 rows it would slow the sends it reports on.
        await sleep(PEOPLE > 10_000 ? 15_000 : 2_000);
      }
      const finished = run !== undefined && run.due >= PEOPLE && run.pending === 0;
      const elapsed = (Date.now() - started) / 1000;

      // What reached the simulator for this item's template: its own SQLite record of every accepted send.
      const simFiles = findSqlite(join(STATE, 'v3', 'do'), (p) => p.includes('MetaSandbox'));
      let messages = [];
      for (const file of simFiles) {
        const db = new DatabaseSync(file, { readOnly: true });
        try {
          const rows = db.prepare('SELECT to_number AS to_, at, raw_body FROM messages').all();
          messages = messages.concat(rows.filter((m) => JSON.parse(m.raw_body).template?.name === template));
        } catch {}
        db.close();
      }
      const tos = messages.map((m) => m.to_);
      const toOptedOut = tos.filter((t) => optedOutPhones.has(t)).length;
      const times = messages.map((m) => m.at).sort((a, b) => a - b);
      const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
      const perSecond = new Map();
      for (const t of times) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
      const seconds = finished ? (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000 : elapsed;
      return {
        finished,
        handled: run ? run.due - run.pending : 0,
        // From the cron firing to the last occurrence settled, by the run log.
        [finished ? 'time_to_finish_s' : 'stopped_after_s']: Number(seconds.toFixed(1)),
        sends_reaching_simulator: tos.length,
        sends_per_s_overall: Number((tos.length / seconds).toFixed(1)),
        sends_per_s_while_sending: Number((tos.length / Math.max(span, 0.001)).toFixed(1)),
        peak_sends_in_one_second: Math.max(0, ...perSecond.values()),
        run_log: run,
        checks: {
          // Only meaningful once every occurrence is handled; a capped run checks the other two.
          exactly_expected_sends: finished ? tos.length === expected : null,
          no_duplicates: new Set(tos).size === tos.length,
          none_to_opted_out: toOptedOut === 0,
        },
      };
    }

    const first = await pass('Membership ends today', 'membership_ends');
    const again = first.finished && opts.passes !== '1' ? await pass('Renewal offer', 'renewal_offer') : null;
    clearInterval(sampler);

    const report = {
      people: PEOPLE,
      opted_out: PEOPLE - expected,
      number_rate_per_s: RATE,
      // The first pass: everyone's first message. Its figures stay at the top level, as before.
      ...first,
      // The second: the same people again, their conversation objects made (and asleep).
      again,
      peak_rss_mib: { wrangler_and_workerd: Math.round(peak.total / 1024), workerd: Math.round(peak.workerd / 1024) },
    };
    console.log(JSON.stringify(report, null, 2));
    if (opts.report) writeFileSync(opts.report, JSON.stringify(report, null, 2));
    const ok = [first, again].every((p) => !p || Object.values(p.checks).every((v) => v !== false));
    if (!ok) log('FAIL');
    else if (first.finished && (again === null || again.finished))
      log(`PASS: exactly ${expected} sends in each pass, no duplicates, none to an opted-out person`);
    else log(`PASS so far: ${first.sends_reaching_simulator} of ${expected} sends, no duplicates, none opted out`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
