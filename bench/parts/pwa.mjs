// The staff app's first load on a phone: built PWA, demo seed, Debian's Chromium at 360 x 740 with the CPU
// slowed down 4x, each load in a fresh browser context (cold HTTP cache, no service worker) with the session
// cookie already set. Measures the bytes Chromium fetches and the time until the inbox is usable.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { readDevVars } from '../../scripts/ensure-dev-vars.mjs';
import { api } from '../lib/http.mjs';
import { migrate, ROOT, startDev, VITE } from '../lib/wrangler.mjs';

const CHROMIUM = '/usr/bin/chromium';
const PHONE = { width: 360, height: 740 };
const CPU_THROTTLE = 4;
const DEMO_PHONES = ['+447412345601', '+447412345602', '+447412345603', '+447412345604'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// In the page from its first script: the moment (ms since navigation start) the `Chats` heading and the first
// conversation row are both on screen.
function watchUsable() {
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight;
  };
  const check = () => {
    if (window.__usableAt) return;
    const heading = [...document.querySelectorAll('h1')].find((h) => h.textContent?.trim() === 'Chats');
    if (visible(heading) && visible(document.querySelector('[data-testid="conversation-row"]')))
      window.__usableAt = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true });
  const frame = () => {
    check();
    if (!window.__usableAt) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function oneLoad(browser, base, cookies) {
  const context = await browser.newContext({
    viewport: PHONE,
    deviceScaleFactor: 1,
    baseURL: base,
    storageState: { cookies, origins: [] },
  });
  try {
    await context.addInitScript(watchUsable);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const urls = new Map();
    const files = [];
    let bytes = 0;
    let usableAt = null;
    let bytesUsable = null;
    let requestsUsable = null;
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => {
      bytes += e.encodedDataLength;
      files.push({ url: urls.get(e.requestId) ?? '?', bytes: e.encodedDataLength, usable: usableAt === null });
    });
    // The service worker fetches its precache on its own target: Playwright reports those requests on the context.
    let swBytes = 0;
    context.on('requestfinished', async (request) => {
      if (!request.serviceWorker()) return;
      const sizes = await request.sizes().catch(() => null);
      if (sizes) swBytes += sizes.responseBodySize + sizes.responseHeadersSize;
    });
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLE });
    await page.goto('/', { waitUntil: 'commit', timeout: 60_000 });
    await page.waitForFunction(() => window.__usableAt, null, { timeout: 60_000, polling: 100 });
    usableAt = await page.evaluate(() => window.__usableAt);
    bytesUsable = bytes;
    requestsUsable = files.length;
    // Then idle: the service worker installed and its precache fetched.
    await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => {});
    await page.evaluate(() => navigator.serviceWorker?.ready.then(() => true), null).catch(() => false);
    await sleep(3000);
    return {
      usable_ms: Math.round(usableAt),
      bytes_usable: bytesUsable,
      requests_usable: requestsUsable,
      bytes_idle: bytes + swBytes,
      sw_bytes: swBytes,
      files: files.filter((f) => f.usable),
    };
  } finally {
    await context.close();
  }
}

export async function runPwa({ port, stateDir, loads = 5, log }) {
  log('building the staff app (vite build)');
  execFileSync(process.execPath, [VITE, 'build', '--config', 'pwa/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  rmSync(stateDir, { recursive: true, force: true });
  migrate(stateDir);
  const dev = await startDev({ port, stateDir });
  let browser;
  try {
    const seeded = await api(dev.base, 'POST', '/sandbox/seed', readDevVars().PLATFORM_ADMIN_TOKEN);
    // A few more conversations beside the seed's seven, so the inbox has rows as a gym's would.
    for (const [i, from] of DEMO_PHONES.entries())
      await api(dev.base, 'POST', '/sandbox/inbound', seeded.api_key, {
        from,
        text: `Hi, is the 6pm class on? (${i})`,
      });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'],
    });
    // Log in once through the app, as staff@demo.gym: every measured load starts with that session cookie.
    const login = await browser.newContext({ viewport: PHONE, baseURL: dev.base });
    const page = await login.newPage();
    await page.goto('/');
    await page.getByLabel('Email').fill(seeded.staff_login.email);
    await page.getByLabel('Password').fill(seeded.staff_login.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByTestId('conversation-row').first().waitFor();
    const { cookies } = await login.storageState();
    await login.close();

    const results = [];
    for (let i = 0; i < loads; i++) {
      const r = await oneLoad(browser, dev.base, cookies);
      log(`load ${i + 1}: usable at ${r.usable_ms} ms, ${r.bytes_usable} bytes until then, ${r.bytes_idle} once idle`);
      results.push(r);
    }
    const largest = [...results[0].files]
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 8)
      .map((f) => ({ url: f.url.replace(dev.base, ''), bytes: f.bytes }));
    return {
      browser: browser.version(),
      viewport: `${PHONE.width} x ${PHONE.height}`,
      cpu_throttle: CPU_THROTTLE,
      conversations: DEMO_PHONES.length,
      median_ms: median(results.map((r) => r.usable_ms)),
      median_bytes_usable: median(results.map((r) => r.bytes_usable)),
      median_bytes_idle: median(results.map((r) => r.bytes_idle)),
      largest,
      loads: results.map(({ files: _f, ...r }) => r),
    };
  } finally {
    await browser?.close();
    await dev.stop();
  }
}
