// `npm start`: the whole app locally in one command (node built-ins only).
//   1. .dev.vars from .dev.vars.example when missing
//   2. the staff PWA built into the worker's static assets (vite build -> dist/pwa, wrangler.toml [assets])
//   3. local D1 migrations (wrangler d1 migrations apply DB --local, non-interactive)
//   4. wrangler dev on 127.0.0.1:8787, output streamed, Ctrl-C / SIGTERM forwarded
//   5. once /api/health answers: POST /sandbox/seed, then print the URL, demo key and logins
// Arguments after `npm start --` go to wrangler dev, e.g. `npm start -- --var WHATSAPP_MODE:live`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { ensureDevVars, ROOT, readDevVars } from './ensure-dev-vars.mjs';

const MIN_NODE = [22, 12];
const extraArgs = process.argv.slice(2);
const tty = process.stdout.isTTY;
const bold = (s) => (tty ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s) => (tty ? `\x1b[2m${s}\x1b[22m` : s);
const log = (s) => console.log(`${dim('[start]')} ${s}`);

/** Wrangler needs Node >= 22.12; npm scripts put the project's own Node 22 (devDependency `node`) first on PATH. */
function nodeForWrangler() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return process.execPath;
  const local = join(ROOT, 'node_modules', '.bin', 'node');
  if (existsSync(local)) return local;
  console.error(
    `Wrangler needs Node >= ${MIN_NODE.join('.')} (this is ${process.version}). Run \`npm install\` first.`,
  );
  process.exit(1);
}

const NODE = nodeForWrangler();
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(WRANGLER) || !existsSync(VITE)) {
  console.error('wrangler or vite is not installed: run `npm install` first.');
  process.exit(1);
}

/** Value of `--name X` / `--name=X` among the pass-through args (the last one wins, as in yargs). */
function argValue(names) {
  let value;
  for (let i = 0; i < extraArgs.length; i++) {
    for (const name of names) {
      if (extraArgs[i] === name && i + 1 < extraArgs.length) value = extraArgs[i + 1];
      else if (extraArgs[i].startsWith(`${name}=`)) value = extraArgs[i].slice(name.length + 1);
    }
  }
  return value;
}

/** `--var NAME:VALUE [NAME:VALUE...]` and `--var=NAME:VALUE` overrides, as wrangler dev reads them. */
function varOverrides() {
  const vars = {};
  const add = (pair) => {
    const at = pair.indexOf(':');
    if (at > 0) vars[pair.slice(0, at)] = pair.slice(at + 1);
  };
  for (let i = 0; i < extraArgs.length; i++) {
    if (extraArgs[i].startsWith('--var=')) add(extraArgs[i].slice(6));
    else if (extraArgs[i] === '--var')
      while (i + 1 < extraArgs.length && !extraArgs[i + 1].startsWith('-')) add(extraArgs[++i]);
  }
  return vars;
}

// Flags that must reach the migrations command too, so both use the same local database.
function sharedArgs() {
  const out = [];
  for (const [names, flag] of [
    [['--persist-to'], '--persist-to'],
    [['--config', '-c'], '--config'],
    [['--env', '-e'], '--env'],
  ]) {
    const value = argValue(names);
    if (value !== undefined) out.push(flag, value);
  }
  return out;
}

let child = null;
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopping = true;
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    else process.exit(128 + (constants.signals[signal] ?? 1));
  });
}

const exitCode = (code, signal) => code ?? 128 + (constants.signals[signal] ?? 1);

function run(args, { env = {}, stdin = 'inherit', bin = WRANGLER } = {}) {
  child = spawn(NODE, [bin, ...args], {
    cwd: ROOT,
    stdio: [stdin, 'inherit', 'inherit'],
    // No telemetry from local runs (and no network wait when offline).
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', ...env },
  });
  return child;
}

function waitForExit(proc) {
  return new Promise((resolve) => proc.on('exit', (code, signal) => resolve(exitCode(code, signal))));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitForHealth(base, proc, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) return false;
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  return false;
}

async function main() {
  if (ensureDevVars()) log('Created .dev.vars from .dev.vars.example (local secrets; never commit it).');
  const vars = { ...readDevVars(), ...varOverrides() };

  log('Building the staff app (pwa/ -> dist/pwa)...');
  const build = run(['build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], { bin: VITE, stdin: 'ignore' });
  const built = await waitForExit(build);
  if (built !== 0 || stopping) {
    if (!stopping) console.error('Building the staff app failed (see above).');
    process.exit(built || 1);
  }

  log('Applying D1 migrations to the local database...');
  // `migrations apply` asks for confirmation unless it is non-interactive: no stdin and CI=true skip the prompt.
  const migrate = run(['d1', 'migrations', 'apply', 'DB', '--local', ...sharedArgs()], {
    env: { CI: 'true' },
    stdin: 'ignore',
  });
  const migrated = await waitForExit(migrate);
  if (migrated !== 0 || stopping) {
    if (!stopping) console.error('Local D1 migrations failed (see above).');
    process.exit(migrated || 1);
  }

  const port = argValue(['--port']) ?? '8787';
  const ip = argValue(['--ip']) ?? '127.0.0.1';
  const devArgs = ['dev'];
  // Local only by default: listen on the loopback interface, not on every interface.
  if (argValue(['--ip']) === undefined) devArgs.push('--ip', '127.0.0.1');
  if (argValue(['--port']) === undefined) devArgs.push('--port', port);
  const dev = run([...devArgs, ...extraArgs]);
  dev.on('exit', (code, signal) => process.exit(exitCode(code, signal)));

  const host = ip === '0.0.0.0' || ip === '*' || ip === '::' ? '127.0.0.1' : ip.includes(':') ? `[${ip}]` : ip;
  const base = `http://${host}:${port}`;
  if (!(await waitForHealth(base, dev))) {
    if (!stopping && dev.exitCode === null)
      console.error(`${base}/api/health did not answer; wrangler is still running.`);
    return;
  }

  const lines = ['', bold('ClubChat is running'), `  App            ${base}/`, `  API reference  ${base}/api/v1/docs`];
  const adminToken = vars.PLATFORM_ADMIN_TOKEN;
  let seeded = null;
  if (!adminToken) {
    lines.push('  (no PLATFORM_ADMIN_TOKEN in .dev.vars: demo data not seeded)');
  } else {
    const res = await fetch(`${base}/sandbox/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${adminToken}` },
    }).catch((err) => ({ ok: false, status: 0, text: async () => String(err) }));
    if (res.ok) seeded = await res.json();
    else if (res.status === 404)
      lines.push(`  Mode           ${vars.WHATSAPP_MODE ?? 'live'} (not sandbox): no demo data`);
    else lines.push(`  Seeding the demo failed: ${res.status} ${await res.text()}`);
  }
  if (seeded) {
    lines.push(
      `  Mode           sandbox (Meta is simulated; nothing leaves this machine)`,
      `  Demo company   ${seeded.company_id} (Demo Gym)`,
      `  Demo API key   ${bold(seeded.api_key)}`,
      `  Staff login    ${seeded.staff_login.email} / ${seeded.staff_login.password}`,
    );
    if (seeded.manager_login)
      lines.push(`  Manager login  ${seeded.manager_login.email} / ${seeded.manager_login.password}`);
    if (seeded.admin_login) lines.push(`  Admin login    ${seeded.admin_login.email} / ${seeded.admin_login.password}`);
    if (seeded.other_company)
      lines.push(
        `  Second gym     ${seeded.other_company.staff_login.email} / ${seeded.other_company.staff_login.password}` +
          ' (another company: sees none of Demo Gym)',
      );
    lines.push(
      `  Admin token    ${adminToken} (PLATFORM_ADMIN_TOKEN in .dev.vars)`,
      '',
      '  Try it:',
      `  curl -s ${base}/api/v1/people -H 'Authorization: Bearer ${seeded.api_key}'`,
    );
  }
  lines.push('', dim('  Ctrl-C stops the server. README.md walks through the API.'), '');
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  if (child && child.exitCode === null) child.kill('SIGTERM');
  process.exit(1);
});
