// `npm run bench [-- --only reads,ingest,automations,pwa --scales 10000,100000,1000000]`: the benchmark suite
// for speed at a gym chain's size. Never part of `npm test`. Each part runs against `wrangler dev`
// (sandbox mode: the Meta simulator) on 127.0.0.1, state in a /tmp dir wiped before and deleted after, and its
// figures go to bench/results.json and bench/results.md with the date, commit, machine and load average.
//
//   load         per scale: bench/load-data.mjs makes the data set (always, for reads and ingest; alone: its time)
//   reads        per scale: p50/p99 of each read route on that data set (parts/reads.mjs)
//   ingest       signed inbound webhooks and a status storm, against the bare route (parts/ingest.mjs)
//   automations  bench/automations.mjs at --automation-people (default 2,000; the full run is 100,000)
//   pwa          the staff app's first load in Chromium at 360 x 740 with 4x CPU slow-down (parts/pwa.mjs)
//
// Do not edit files in the checkout while it runs: wrangler dev reloads on any change it watches.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureDevVars, readDevVars } from '../scripts/ensure-dev-vars.mjs';
import { load as loadAverage, measured } from './lib/machine.mjs';
import { readResults, writeResults } from './lib/report.mjs';
import { assertNode22, ROOT, startDev } from './lib/wrangler.mjs';
import { loadData } from './load-data.mjs';
import { runIngest } from './parts/ingest.mjs';
import { runPwa } from './parts/pwa.mjs';
import { runReads, WARM_UP } from './parts/reads.mjs';

const PARTS = ['load', 'reads', 'ingest', 'automations', 'pwa'];
const { values: opts } = parseArgs({
  options: {
    only: { type: 'string', default: PARTS.join(',') },
    scales: { type: 'string', default: '10000,100000,1000000' },
    'ingest-notes': { type: 'string', default: '10000' },
    'automation-people': { type: 'string', default: '2000' },
    'pwa-loads': { type: 'string', default: '5' },
    'budget-s': { type: 'string', default: '60' },
    'timeout-s': { type: 'string', default: '30' },
    c1: { type: 'string', default: '400' },
    c16: { type: 'string', default: '400' },
    port: { type: 'string', default: '8793' },
    'state-dir': { type: 'string', default: '/tmp/clubchat-bench' },
    'keep-state': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opts.help) {
  console.log(
    readFileSync(new URL(import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('//'))
      .join('\n'),
  );
  process.exit(0);
}
assertNode22();
const only = new Set(opts.only.split(',').map((s) => s.trim()));
for (const part of only)
  if (!PARTS.includes(part)) throw new Error(`--only: unknown part ${part} (${PARTS.join(', ')})`);
const scales = opts.scales.split(',').map(Number);
const ingestNotes = Number(opts['ingest-notes']);
const port = Number(opts.port);
const log = (s) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);
process.on('SIGINT', () => process.exit(130));

const results = readResults();
const save = () => writeResults(results);

async function dataParts() {
  const wanted = new Set();
  if (only.has('reads') || only.has('load')) for (const s of scales) wanted.add(s);
  if (only.has('ingest')) wanted.add(ingestNotes);
  for (const notes of [...wanted].sort((a, b) => a - b)) {
    const stateDir = join(opts['state-dir'], `data-${notes}`);
    log(`loading ${notes.toLocaleString('en-GB')} notes into ${stateDir}`);
    const before = loadAverage();
    const meta = await loadData({ notes, stateDir, port, log });
    const { api_key: _k, sample_person_ids: _s, ingest_people: _i, d1_file: _f, ...kept } = meta;
    results.loads[notes] = { ...kept, load_before: before, load_after: loadAverage() };
    save();
    log(`loaded in ${meta.timings.total_s} s (insert ${meta.timings.insert_s} s)`);
    const readsHere = only.has('reads') && scales.includes(notes);
    const ingestHere = only.has('ingest') && notes === ingestNotes;
    if (!readsHere && !ingestHere) {
      if (!opts['keep-state']) rmSync(stateDir, { recursive: true, force: true });
      continue;
    }
    const dev = await startDev({ port, stateDir });
    try {
      if (readsHere) {
        log(`reads at ${notes.toLocaleString('en-GB')} notes`);
        const counts = { 1: Number(opts.c1), 16: Number(opts.c16) };
        const out = await measured(async () => ({
          counts,
          warm_up: WARM_UP,
          rows: await runReads({
            base: dev.base,
            meta,
            counts,
            budgetMs: Number(opts['budget-s']) * 1000,
            timeoutMs: Number(opts['timeout-s']) * 1000,
            log,
          }),
        }));
        results.reads[notes] = out;
        save();
      }
      if (ingestHere) {
        log(`ingest at ${notes.toLocaleString('en-GB')} notes`);
        const appSecret = readDevVars().META_APP_SECRET;
        const out = await measured(() => runIngest({ base: dev.base, pid: dev.pid, meta, stateDir, appSecret, log }));
        out.result.notes = notes;
        results.ingest = out;
        save();
      }
    } finally {
      await dev.stop();
      if (!opts['keep-state']) rmSync(stateDir, { recursive: true, force: true });
    }
  }
}

async function automations() {
  const people = Number(opts['automation-people']);
  const stateDir = join(opts['state-dir'], 'automations');
  const reportFile = join(opts['state-dir'], 'automations-report.json');
  log(`automated sends: bench/automations.mjs --people ${people}`);
  const out = await measured(async () => {
    rmSync(reportFile, { force: true });
    try {
      execFileSync(
        process.execPath,
        [
          join(ROOT, 'bench', 'automations.mjs'),
          '--people',
          String(people),
          '--persist-to',
          stateDir,
          '--report',
          reportFile,
        ],
        { cwd: ROOT, stdio: 'inherit' },
      );
    } catch (err) {
      if (!existsSync(reportFile)) return { people, error: String(err.message).slice(0, 200) };
    } finally {
      if (!opts['keep-state']) rmSync(stateDir, { recursive: true, force: true });
    }
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    rmSync(reportFile, { force: true });
    return { people, report };
  });
  results.automations = out;
  save();
}

async function pwa() {
  const stateDir = join(opts['state-dir'], 'pwa');
  log('staff app first load');
  try {
    results.pwa = await measured(() => runPwa({ port, stateDir, loads: Number(opts['pwa-loads']), log }));
    save();
  } finally {
    if (!opts['keep-state']) rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main() {
  ensureDevVars();
  if (only.has('load') || only.has('reads') || only.has('ingest')) await dataParts();
  if (only.has('automations')) await automations();
  if (only.has('pwa')) await pwa();
  save();
  log('written: bench/results.md (and bench/results.json)');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
