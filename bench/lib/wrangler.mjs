// wrangler for the benchmarks: local D1 migrations, one `wrangler dev` (sandbox mode, 127.0.0.1 only) in its own
// process group so stopping it also stops its workerd, and where the local D1 keeps its SQLite file.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/ensure-dev-vars.mjs';

export { ROOT };
export const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
export const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** node:sqlite and wrangler both need Node 22: `npm run` puts the project's own first on PATH. */
export function assertNode22() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > 22 || (major === 22 && minor >= 12)) return;
  console.error(
    `The benchmarks need Node >= 22.12 (this is ${process.version}): run them through npm (npm run bench), ` +
      'which puts node_modules/.bin/node first on PATH, or with node_modules/.bin/node.',
  );
  process.exit(1);
}

/**
 * wrangler dev as the benchmarks run it: no usage metrics, and no local trace store. That store (wrangler's local
 * observability, on by default) writes every span of every request to SQLite, 2 GB in the 100,000-person
 * automations run, and slows the worker more as it grows; deployed Workers have no such cost. Set
 * X_LOCAL_OBSERVABILITY=true in the environment to measure with it.
 */
export const QUIET_DEV = {
  WRANGLER_SEND_METRICS: 'false',
  X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? 'false',
};

export function wranglerSync(args) {
  return execFileSync(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    stdio: 'pipe',
    maxBuffer: 1 << 26,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
  });
}

/** Applies every migration to the local D1 under `stateDir` (non-interactive). */
export function migrate(stateDir) {
  mkdirSync(stateDir, { recursive: true });
  wranglerSync(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir]);
}

export function findSqlite(dir, predicate = () => true) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findSqlite(p, predicate));
    else if (entry.name.endsWith('.sqlite') && predicate(p)) out.push(p);
  }
  return out;
}

/** The local D1 database file that `wrangler dev --persist-to stateDir` uses (miniflare's metadata file aside). */
export function d1File(stateDir) {
  const files = findSqlite(join(stateDir, 'v3', 'd1'), (p) => !p.endsWith('/metadata.sqlite'));
  if (files.length !== 1) throw new Error(`expected one D1 database under ${stateDir}/v3/d1, found ${files.length}`);
  return files[0];
}

/** The Meta simulator's own SQLite files (one per simulated number): what "Meta" received. */
export function simulatorFiles(stateDir) {
  return findSqlite(join(stateDir, 'v3', 'do'), (p) => p.includes('MetaSandbox'));
}

/**
 * Starts `wrangler dev` on 127.0.0.1:`port` with state in `stateDir`, and waits until /api/health answers.
 * Its output goes to `stateDir/wrangler-dev.log`. `stop()` ends its whole process group (wrangler and workerd).
 */
export async function startDev({ port, stateDir, timeoutMs = 180_000 }) {
  // wrangler refuses to start without the [assets] directory; only the PWA benchmark needs the app built.
  mkdirSync(join(ROOT, 'dist', 'pwa'), { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, 'wrangler-dev.log');
  const out = openSync(logFile, 'a');
  // BENCH_WRANGLER_ARGS adds wrangler dev flags, e.g. `--inspector-port 9231` to profile the worker's CPU.
  const extra = (process.env.BENCH_WRANGLER_ARGS ?? '').split(/\s+/).filter(Boolean);
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, ...extra];
  const child = spawn(process.execPath, [WRANGLER, ...args, '--var', 'WHATSAPP_MODE:sandbox'], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
    detached: true,
    env: { ...process.env, ...QUIET_DEV, NO_COLOR: '1' },
  });
  const base = `http://127.0.0.1:${port}`;
  const tail = () => readFileSync(logFile, 'utf8').slice(-4000);
  let stopped = false;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    let timer;
    const done = await Promise.race([
      exited.then(() => true),
      new Promise((r) => {
        timer = setTimeout(() => r(false), 15_000);
      }),
    ]);
    clearTimeout(timer);
    if (!done)
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    // workerd can outlive wrangler by a moment: the group is gone once kill(0) fails.
    for (let i = 0; i < 50; i++) {
      try {
        process.kill(-child.pid, 0);
      } catch {
        return;
      }
      await sleep(100);
    }
  };
  const onExit = () => {
    if (!stopped && child.exitCode === null)
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
  };
  process.on('exit', onExit);
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${tail()}`);
    try {
      if ((await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) })).ok) break;
    } catch {}
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`wrangler dev did not answer ${base}/api/health in time:\n${tail()}`);
    }
    await sleep(300);
  }
  return { base, pid: child.pid, stop, logFile, startupMs: Date.now() - started };
}
