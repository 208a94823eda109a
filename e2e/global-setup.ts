// Before the browser tests: make sure Debian's chromium is there (install it as root, as .ci/run does, or
// stop at once with the one command to run), build the PWA into the worker's assets, start the worker.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type LocalWorker, ROOT, startLocalWorker } from './local-worker';

export const CHROMIUM = '/usr/bin/chromium';
const INSTALL = 'apt-get update && apt-get install -y chromium';

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0)
    throw new Error(`The browser tests need Debian's chromium at ${CHROMIUM}. Run: sudo sh -c '${INSTALL}'`);
  console.log(`[e2e] ${CHROMIUM} is missing: ${INSTALL}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
}

function buildPwa(): void {
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [vite, 'build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would make Vite build a development bundle (no service worker).
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (res.status !== 0) throw new Error('vite build of the PWA failed (see above)');
}

let worker: LocalWorker | undefined;

export async function setup(): Promise<void> {
  ensureChromium();
  buildPwa();
  worker = await startLocalWorker();
}

export async function teardown(): Promise<void> {
  await worker?.stop();
}
