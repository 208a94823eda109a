// Runs the worker the way `npm start` does, for the browser tests: a fresh local D1 in a temp dir, migrations,
// `wrangler dev` in sandbox mode on 127.0.0.1:8794, then the demo seed. Stopped (and its dir removed) at the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('..', import.meta.url).pathname;
// E2E_PORT lets several checkouts on one machine run their browser tests at once.
export const E2E_PORT = Number(process.env.E2E_PORT) || 8794;
export const BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
export const ADMIN_TOKEN = 'e2e-platform-admin-token';

/** A fresh VAPID pair for Web Push, as scripts/ensure-dev-vars.mjs makes one for `npm start`. */
function vapidKeys(): { publicKey: string; privateKey: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const jwk = privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x ?? '', 'base64url'),
    Buffer.from(jwk.y ?? '', 'base64url'),
  ]);
  return { publicKey: point.toString('base64url'), privateKey: jwk.d ?? '' };
}
const VAPID = vapidKeys();

/** Secrets for this run only: the checked-in `.dev.vars` may be absent (CI) or edited by a developer. */
const VARS: Record<string, string> = {
  WHATSAPP_MODE: 'sandbox',
  META_APP_SECRET: 'e2e-app-secret',
  META_VERIFY_TOKEN: 'e2e-verify-token',
  PLATFORM_ADMIN_TOKEN: ADMIN_TOKEN,
  DATA_ENCRYPTION_KEY: 'ZTJlLWRhdGEtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXM=',
  VAPID_SUBJECT: 'mailto:push@clubchat.example',
  VAPID_PUBLIC_KEY: VAPID.publicKey,
  VAPID_PRIVATE_KEY: VAPID.privateKey,
};

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');

function wrangler(args: string[], opts: { quiet?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    stdio: ['ignore', opts.quiet ? 'ignore' : 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
  });
}

function exited(proc: ChildProcess): Promise<number> {
  return new Promise((resolve) => proc.on('exit', (code) => resolve(code ?? 1)));
}

async function waitForHealth(proc: ChildProcess, log: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`wrangler dev exited (${proc.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${BASE_URL}/api/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer ${BASE_URL}/api/health in time:\n${log()}`);
}

export interface LocalWorker {
  stop(): Promise<void>;
}

/**
 * The project's wrangler.toml with the login throttles raised: the browser tests log the demo accounts in dozens
 * of times a minute, which the production limits (10 a minute per account, 30 per address) rightly refuse. The
 * throttles themselves are tested in test/auth.test.ts. Written beside wrangler.toml so its paths still resolve.
 */
function e2eConfig(): string {
  const file = join(ROOT, `wrangler.e2e-${E2E_PORT}.toml`);
  const config = readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').replace(
    /simple = \{ limit = \d+, period = 60 \}/g,
    'simple = { limit = 100000, period = 60 }',
  );
  if (!config.includes('limit = 100000')) throw new Error('wrangler.toml has no login rate limits to raise');
  writeFileSync(file, config);
  return file;
}

export async function startLocalWorker(): Promise<LocalWorker> {
  const persist = mkdtempSync(join(tmpdir(), 'clubchat-e2e-'));
  const config = e2eConfig();
  const migrate = wrangler(
    ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist, '--config', config],
    {
      quiet: true,
    },
  );
  let migrateErr = '';
  migrate.stderr?.on('data', (d: Buffer) => {
    migrateErr += d.toString();
  });
  if ((await exited(migrate)) !== 0) throw new Error(`D1 migrations failed:\n${migrateErr}`);

  const varArgs = Object.entries(VARS).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const dev = wrangler([
    'dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(E2E_PORT),
    '--persist-to',
    persist,
    '--config',
    config,
    '--show-interactive-dev-session=false',
    ...varArgs,
  ]);
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  dev.stdout?.on('data', keep);
  dev.stderr?.on('data', keep);
  const stop = async () => {
    if (dev.exitCode === null) {
      dev.kill('SIGTERM');
      await Promise.race([exited(dev), new Promise((r) => setTimeout(r, 5_000))]);
      if (dev.exitCode === null) dev.kill('SIGKILL');
    }
    rmSync(persist, { recursive: true, force: true });
    rmSync(config, { force: true });
  };
  try {
    await waitForHealth(dev, () => output);
    const seeded = await fetch(`${BASE_URL}/sandbox/seed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    if (!seeded.ok) throw new Error(`seed failed: ${seeded.status} ${await seeded.text()}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { stop };
}
