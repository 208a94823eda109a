// bench/results.json keeps the latest figures of every part and scale (a run of one part leaves the others
// alone); bench/results.md is written from it, every table with when, where and on what it was measured.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './wrangler.mjs';

export const RESULTS_JSON = join(ROOT, 'bench', 'results.json');
export const RESULTS_MD = join(ROOT, 'bench', 'results.md');

export function readResults() {
  if (!existsSync(RESULTS_JSON)) return { loads: {}, reads: {}, ingest: null, automations: null, pwa: null };
  return JSON.parse(readFileSync(RESULTS_JSON, 'utf8'));
}

export function writeResults(results) {
  writeFileSync(RESULTS_JSON, `${JSON.stringify(results, null, 2)}\n`);
  // In the shape the repository's formatter keeps JSON (npm run check runs biome ci over bench/ too).
  try {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', RESULTS_JSON], { stdio: 'ignore' });
  } catch {}
  writeFileSync(RESULTS_MD, render(results));
}

const n = (v) => (v === null || v === undefined || Number.isNaN(v) ? '–' : Number(v).toLocaleString('en-GB'));
const ms = (v) => (v === null || v === undefined ? '–' : v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-GB'));
/** A latency cell: '> 30 s' when every request timed out. */
const lat = (r, key) => (r && r.ok === 0 && r.timeouts > 0 ? `> ${r.timeout_s ?? 30} s` : ms(r?.[key]));
const x = (v) => (v === null || v === undefined ? '–' : `${v}×`);
/** The worker's own p50 / p99 (Server-Timing), for runs that recorded it. */
const worker = (r) => (r?.server_p99_ms === undefined ? '–' : `${ms(r.server_p50_ms)} / ${ms(r.server_p99_ms)}`);
const scaleName = (s) => `${Number(s).toLocaleString('en-GB')} notes`;

function runLine(run) {
  const m = run.machine;
  return (
    `Measured ${run.date.slice(0, 16).replace('T', ' ')} UTC (${n(run.seconds)} s), commit \`${run.commit}\`, ` +
    `${m.nproc} cores (${m.cpu}), ${m.memory_gib} GiB, Node ${m.node}; load average ${run.load_before.join(' / ')} before, ` +
    `${run.load_after.join(' / ')} after.`
  );
}

/** What each cell hides: requests stopped by the time budget, timeouts, errors. */
function caveat(r) {
  const parts = [];
  if (r.truncated) parts.push(`${r.ok} of ${r.requested} in the time budget`);
  if (r.timeouts) parts.push(`${r.timeouts} timed out (> ${r.timeout_s ?? 30} s)`);
  for (const [k, v] of Object.entries(r.errors ?? {})) parts.push(`${v}× ${k}`);
  return parts.join('; ');
}

function renderLoads(loads) {
  const scales = Object.keys(loads).sort((a, b) => a - b);
  if (!scales.length) return [];
  const out = [
    '## Data sets (bench/load-data.mjs)',
    '',
    'Written straight into the local D1 SQLite file with node:sqlite (prepared statements, 50,000 rows a',
    'transaction), after the migrations and a company made through the platform-admin API. "Insert" is the bulk',
    'write alone, including the work of the schema’s triggers that fire on it (they keep the derived tables, counted',
    'in "rows in tables it never writes"); "total" adds the migrations and one wrangler dev start/stop for the company.',
    '',
    '| Notes | People | Conversations | Long one | Sent / received / opt-out / opt-in notes | Opted out | Windows open | Unread | Triggers its inserts fire | Rows in tables it never writes | Insert | Total | Measured |',
    '| ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- | ---: | ---: | --- |',
  ];
  for (const s of scales) {
    const l = loads[s];
    const t = l.counts.by_type;
    // Older results listed names only; newer ones say which event fires each.
    const triggers = l.triggers_during_load
      .map((t) => (typeof t === 'string' ? { name: t, on: 'insert' } : t))
      .filter((t) => t.on === 'insert')
      .map((t) => t.name);
    out.push(
      `| ${n(l.counts.history_notes)} | ${n(l.counts.people)} | ${n(l.counts.conversations)} | ${n(l.long_notes)} | ` +
        `${n(t.whatsapp_sent)} / ${n(t.whatsapp_received)} / ${n(t.whatsapp_opt_out)} / ${n(t.whatsapp_opt_in)} | ` +
        `${n(l.counts.opted_out)} | ${n(l.counts.window_open)} | ${n(l.counts.unread)} | ` +
        `${triggers.length ? triggers.join(', ') : 'none'} | ` +
        `${
          Object.entries(l.derived_rows ?? {})
            .map(([t, rows]) => `${t} ${n(rows)}`)
            .join(', ') || '–'
        } | ` +
        `${l.timings.insert_s} s | ${l.timings.total_s} s | ${l.made_at.slice(0, 10)}, load ${l.load_before?.join(' / ') ?? '–'} |`,
    );
  }
  out.push('');
  return out;
}

function renderReads(reads) {
  const scales = Object.keys(reads).sort((a, b) => a - b);
  if (!scales.length) return [];
  // Runs before these were stored took 100 and 400 requests after 3 warm-up ones.
  const { counts = { 1: 100, 16: 400 }, warm_up: warmUp = 3 } = reads[scales[0]].result;
  const out = [
    '## Reads',
    '',
    `Closed loop (each of N workers sends its next request when the previous answered), ${counts[1]} requests at`,
    `concurrency 1 and ${counts[16]} at concurrency 16 per route, after ${warmUp} unmeasured warm-up requests, stopped at a time`,
    'budget per measurement (then the table says how many were done). API key auth (`Authorization: Bearer`).',
    '"× base" is the route’s p99 over the base read’s p99 (a person’s detail, `GET /api/v1/people/{id}`, two',
    'one-row queries) at the same concurrency in the same run. At c=1 each request of a route alternates with a',
    'base read, and "× base" is over those base reads: both measured at the same moments. Times in ms.',
    '"Worker" is the worker’s own time from each answer’s `Server-Timing: total` (to its last I/O, whole',
    'milliseconds locally): the same requests without wrangler’s proxy and the HTTP client, which put most of the',
    'tail under every route here. The control row is the base read paired with itself: its "× base" is what chance',
    'alone makes of a p99 ratio in that run (the same read against itself, 400 pairs at a time, ranged 0.48× to',
    '2.12× over sixteen tries on 3 December).',
    '',
  ];
  for (const s of scales) {
    const { run, result } = reads[s];
    out.push(`### ${scaleName(s)}`, '', runLine(run), '');
    out.push(
      '| Route | Rows (total) | c=1 p50 | c=1 p99 | × base | c=1 worker p50 / p99 | × base | c=16 p50 | c=16 p99 | × base | c=16 req/s | Notes |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    );
    for (const r of result.rows) {
      const c1 = r.c1 ?? {};
      const c16 = r.c16 ?? {};
      const notes = [
        r.how ? `${r.how}, ${n(r.before)} rows before it` : '',
        ...(r.problems ?? []),
        r.c1 ? caveat(r.c1) : '',
        r.c16 ? caveat(r.c16) : '',
        r.drain_s ? `then ${r.drain_s} s until the base read answered within 1 s again` : '',
      ]
        .filter(Boolean)
        .map((s) => s.replaceAll('|', '\\|'))
        .join('; ');
      out.push(
        `| ${r.base ? `**${r.name}**` : r.name} | ${r.rows ?? '–'}${r.total !== null && r.total !== undefined ? ` (${n(r.total)})` : ''} | ` +
          `${lat(c1, 'p50_ms')} | ${lat(c1, 'p99_ms')} | ${x(c1.x_base_p99)} | ${worker(c1)} | ${x(c1.x_base_server_p99)} | ` +
          `${lat(c16, 'p50_ms')} | ${lat(c16, 'p99_ms')} | ` +
          `${x(c16.x_base_p99)} | ${n(c16.per_s)} | ${notes} |`,
      );
    }
    out.push('');
  }
  if (scales.length > 1) {
    const first = scales[0];
    const last = scales.at(-1);
    out.push(
      `### Growth from ${scaleName(first)} to ${scaleName(last)} (p99, ms)`,
      '',
      `| Route | ${scales.map((s) => `c=1 at ${n(s)}`).join(' | ')} | c=1 growth | ${scales.map((s) => `c=16 at ${n(s)}`).join(' | ')} | c=16 growth |`,
      `| --- | ${scales.map(() => '---:').join(' | ')} | ---: | ${scales.map(() => '---:').join(' | ')} | ---: |`,
    );
    const names = reads[first].result.rows.map((r) => r.name);
    const byName = (s, i) => reads[s].result.rows[i];
    names.forEach((name, i) => {
      const cells = (c) => scales.map((s) => lat(byName(s, i)?.[c], 'p99_ms'));
      const growth = (c) => {
        const a = byName(first, i)?.[c]?.p99_ms;
        const b = byName(last, i)?.[c]?.p99_ms;
        return a && b ? `${(b / a).toFixed(1)}×` : '–';
      };
      out.push(
        `| ${name} | ${cells('c1').join(' | ')} | ${growth('c1')} | ${cells('c16').join(' | ')} | ${growth('c16')} |`,
      );
    });
    out.push(
      '',
      'Route names follow the smallest scale; the long conversation has a tenth of the notes below 100,000 notes',
      '(1,000 at 10,000 notes) and 10,000 from there on, so its rows compare 1,000 with 10,000 notes.',
      '',
    );
  }
  out.push(
    '**What limits these figures.** Everything runs on one machine: the load generator (Node fetch), wrangler',
    'dev’s proxy (a Node process in front of workerd) and workerd, whose local D1 is one SQLite database behind',
    'one Durable Object, so every query is serialised and concurrency 16 mostly measures queueing behind it. The',
    'bare route’s figures show the floor the local proxy and the HTTP client put under every request. Deployed,',
    'D1 runs elsewhere with its own network hop and its own limits; these figures compare routes with each other',
    'and scales with each other, they do not predict production latency.',
    '',
  );
  return out;
}

function renderIngest(ingest) {
  if (!ingest) return [];
  const { run, result: r } = ingest;
  const i = r.inbound;
  const s = r.storm;
  return [
    '## Ingest (signed webhooks)',
    '',
    runLine(run),
    '',
    `On the ${scaleName(r.notes)} data set. ${n(i.messages)} inbound text messages from ${n(r.numbers)} numbers (people`,
    'already in the gym’s list with no conversation yet), one message per signed delivery as Meta sends them,',
    `at concurrency ${r.concurrency} to \`POST /webhooks/whatsapp\`; then every message looked up in D1 by its wamid.`,
    `The status storm: one free-text reply to each of the ${n(r.numbers)} (sent through the API and the simulator, which was`,
    'told to send no statuses itself), then `sent`, `delivered`, `read` for each plus a duplicate `delivered` and',
    '`read`, shuffled (out of order), signed, with the callback data Meta echoes. The bare route (`GET /api/health`)',
    'is measured just before each, at the same concurrency. "Server CPU" is the CPU time wrangler dev and workerd',
    'used per request (from /proc, user + system), which unlike a rate does not depend on what else the machine ran.',
    '',
    '| Run | Answered 200 | Checked in D1 | Per second | p50 / p99 ms | Bare route req/s | Ratio to bare | Server CPU ms: each / bare |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    `| Inbound messages | ${n(i.ok)} / ${n(i.messages)}${caveat(i) ? ` (${caveat(i)})` : ''} | ${n(i.stored)} stored: ${i.all_stored ? '**all**' : '**MISSING SOME**'} | **${n(i.per_s)} msg/s** | ${ms(i.p50_ms)} / ${ms(i.p99_ms)} | ${n(i.bare.per_s)} | ${i.x_bare} | ${cpu(i)} |`,
    `| Status storm | ${n(s.ok)} / ${n(s.webhooks)}${caveat(s) ? ` (${caveat(s)})` : ''} | ${n(s.read)} / ${n(s.messages)} read; sent counter ${n(s.sent_counter)} (${s.counter_exact ? 'exact' : '**WRONG**'}) | **${n(s.per_s)} statuses/s** | ${ms(s.p50_ms)} / ${ms(s.p99_ms)} | ${n(s.bare.per_s)} | ${s.x_bare} | ${cpu(s)} |`,
    '',
    `The ${n(r.sends.requested)} replies: ${n(r.sends.accepted)} accepted (202), ${n(r.sends.answered_by_simulator)} answered by the`,
    `simulator (wamid in D1) ${r.sends.seconds} s after the first was sent.`,
    '',
    '**What limits these figures.** One inbound message is a signature check, a person lookup (from memory once',
    'the sender is known), a share of one D1 batch (one statement each, whose triggers count the message and open',
    'its window; webhooks arriving together are committed as one batch, worker/db/group-commit.ts) and a share of',
    'one call to the company’s inbox object; no conversation object. Locally all of it runs in one workerd process,',
    'on one thread, beside wrangler’s proxy and the load generator on 2 cores. The ratio moves by up to a tenth',
    'between runs of the same code on this machine (0.59 to 0.64 over eight runs on 3 December): compare figures of',
    'one run. No statement of the path joins tables with a bound parameter: that workerd’s SQLite compiles such a',
    'statement again on every run, and for the message’s insert that was a fifth of the server’s CPU (README).',
    '',
  ];
}

/** Server CPU per request of a run and of its bare route, when the run measured them. */
const cpu = (r) =>
  r.server_cpu_ms_per_request == null
    ? '–'
    : `${r.server_cpu_ms_per_request} / ${r.bare.server_cpu_ms_per_request} (${(r.server_cpu_ms_per_request / r.bare.server_cpu_ms_per_request).toFixed(2)}×)`;

function renderAutomations(a) {
  if (!a) return [];
  const { run, result: r } = a;
  const rep = r.report;
  const checks = (p) =>
    Object.entries(p.checks)
      .map(([k, v]) => `${k}: ${v === null ? 'n/a' : v ? 'pass' : '**FAIL**'}`)
      .join(', ');
  const row = (label, p) =>
    `| ${label} | ${p.finished ? 'yes' : 'no (time limit)'} | ${n(p.sends_reaching_simulator)} | ${p.time_to_finish_s ?? p.stopped_after_s} s | **${p.sends_per_s_overall}** | ${p.sends_per_s_while_sending} | ${p.peak_sends_in_one_second} | ${checks(p)} |`;
  return [
    '## Automated sends (bench/automations.mjs)',
    '',
    runLine(run),
    '',
    `\`node bench/automations.mjs --people ${r.people}\`: an automated item over ${n(r.people)} people (30% opted out)`,
    'end to end: cron → Queue → consumer → conversation objects → simulator; then a second item (another',
    'template) over the same people. The first pass is everyone’s first message: each send makes that person’s',
    'conversation object. The second is a later campaign to the same people: their objects exist but have left',
    'memory, as they would have between two campaigns, so each send wakes one.',
    '',
    '| Pass | Finished | Sends reaching the simulator | Time to finish | Sends/s overall | Sends/s while sending | Peak in one second | Checks |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...(rep
      ? [
          row(`First messages (${n(rep.people)} people)`, rep),
          ...(rep.again ? [row('Again, same people', rep.again)] : []),
        ]
      : [`| ${n(r.people)} people | failed: ${r.error} | | | | | | |`]),
    '',
    ...(rep ? [`Peak memory (wrangler dev and workerd): ${n(rep.peak_rss_mib.wrangler_and_workerd)} MiB.`, ''] : []),
    'The full run is `npm run bench -- --only automations --automation-people 100000` (see the README).',
    '**What limits it:** local wrangler dev runs the queue consumer, every conversation object and local D1 in one',
    'workerd process, on one thread; sends are paced per number. Each send goes to its person’s conversation object,',
    'which is not in memory (a campaign reaches each person once); in the first pass it is also made (locally a new',
    'SQLite file). The two rows side by side give what making the objects costs; deployed, objects are made and',
    'woken on many machines at once.',
    '',
  ];
}

function renderPwa(p) {
  if (!p) return [];
  const { run, result: r } = p;
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  return [
    '## Staff app first load (PWA)',
    '',
    runLine(run),
    '',
    `Built with \`vite build\`, served by wrangler dev with the demo seed (its own conversations) plus ${r.conversations} more, logged in as`,
    `staff@demo.gym (the session cookie set up front). Debian’s Chromium (${r.browser}), ${r.viewport}, CPU slowed`,
    `down ${r.cpu_throttle}× (CDP Emulation.setCPUThrottlingRate), no network throttling; each load in a new browser context`,
    '(empty HTTP cache, no service worker yet). Time is from navigation start to the `Chats` heading and the first',
    `conversation row both visible; median of ${r.loads.length}.`,
    '',
    '| Figure | Median | All loads |',
    '| --- | ---: | --- |',
    `| Time to a usable inbox | **${n(r.median_ms)} ms** | ${r.loads.map((l) => n(l.usable_ms)).join(', ')} ms |`,
    `| Transferred until usable (page requests, bytes on the wire) | **${kb(r.median_bytes_usable)}** | ${r.loads.map((l) => `${l.requests_usable} requests`).join(', ')} |`,
    `| Transferred once idle, including the service worker’s precache | ${kb(r.median_bytes_idle)} | ${r.loads.map((l) => kb(l.bytes_idle)).join(', ')} |`,
    '',
    'Largest files until usable (first load):',
    '',
    '| File | Bytes on the wire |',
    '| --- | ---: |',
    ...r.largest.map((f) => `| \`${f.url}\` | ${n(f.bytes)} |`),
    '',
    '**What limits it.** Local: no network latency or bandwidth limit (a real phone on 4G adds both round trips',
    'and seconds for these bytes); the sizes are bytes on the wire as wrangler dev sends them (compressed, as',
    'Cloudflare would); the 4× CPU slow-down stands in for a mid-range phone on this 2-core VM, whose own load',
    'moves the times by a few hundred ms from one load to the next.',
    '',
  ];
}

export function render(results) {
  return [
    '# Benchmark results',
    '',
    'Speed at a gym chain’s size. Written by `npm run bench` (bench/run.mjs) from bench/results.json; each section',
    'says when and where it was measured. How to run it: the README’s "Benchmarks" section.',
    '',
    ...renderLoads(results.loads ?? {}),
    ...renderReads(results.reads ?? {}),
    ...renderIngest(results.ingest),
    ...renderAutomations(results.automations),
    ...renderPwa(results.pwa),
  ].join('\n');
}
