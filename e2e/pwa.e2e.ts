// The app as a PWA: installable (manifest, icons, standalone), a service worker that precaches the shell and
// serves it offline but never answers API, webhook or sandbox navigations, dark mode, and a small first load.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, logIn, phoneContext, screenshot } from './browser';
import { ROOT } from './local-worker';

const OUT_DIR = join(ROOT, 'dist', 'pwa');

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe('the PWA', () => {
  it('is installable: manifest, standalone, theme colour, icons including a maskable one', async () => {
    const manifest = await (await fetch(`${BASE_URL}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ display: 'standalone', start_url: '/', theme_color: '#0b7a5f' });
    const purposes = manifest.icons.map((i: { purpose?: string }) => i.purpose ?? 'any');
    expect(purposes).toContain('maskable');
    for (const icon of manifest.icons) {
      const res = await fetch(`${BASE_URL}${icon.src}`);
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type')).toBe(icon.type);
    }
    const html = await (await fetch(`${BASE_URL}/`)).text();
    expect(html).toContain('rel="manifest"');
  });

  it('the service worker precaches the shell (it opens offline) and never answers /api/, /webhooks/ or /sandbox/', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    // A deep link is the app shell, from the precache; an API navigation reaches the worker (JSON).
    const deep = await page.goto('/c/per_demo_sheena');
    expect(await deep?.text()).toContain('<div id="app">');
    for (const path of ['/api/v1/openapi.json', '/webhooks/whatsapp', '/sandbox/messages']) {
      const res = await page.goto(path);
      expect(res?.headers()['content-type'] ?? '', path).toContain('application/json');
    }

    await context.setOffline(true);
    const offline = await page.goto('/');
    expect(await offline?.text()).toContain('<div id="app">');
    await context.setOffline(false);
    await context.close();
  });

  it('the app shell is served with a strict Content-Security-Policy, and the app works under it', async () => {
    for (const path of ['/', '/c/per_demo_sheena', '/index.html']) {
      const res = await fetch(`${BASE_URL}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("default-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
    }

    // Everything the app does on its busiest path (log in, inbox, a conversation, the live socket) is allowed.
    const context = await phoneContext(browser);
    const page = await context.newPage();
    const violations: string[] = [];
    let violationSeen: () => void = () => undefined;
    const violated = new Promise<void>((resolve) => (violationSeen = resolve));
    const record = (v: string) => {
      violations.push(v);
      violationSeen();
    };
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) record(m.text());
    });
    await page.exposeFunction('cspViolation', record);
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window as unknown as { cspViolation: (v: string) => void }).cspViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        );
      });
    });
    // Logins are throttled per account (10 a minute) and the browser tests log in often: not staff@ here.
    await logIn(page, 'admin@demo.gym');
    await page.getByRole('status', { name: 'Live updates: live' }).waitFor({ state: 'attached' });
    await page.goto('/c/per_demo_sheena');
    await page.getByRole('list', { name: 'Messages' }).or(page.getByText('No messages yet.')).waitFor();
    // The service worker registers under the policy too (or a violation says why it cannot).
    await Promise.race([
      page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      }),
      violated,
    ]);
    expect(violations).toEqual([]);
    await context.close();
  });

  it('follows the system dark mode', async () => {
    const context = await phoneContext(browser, 'dark');
    const page = await context.newPage();
    await logIn(page, 'manager@demo.gym');
    const bg = await page.evaluate(
      () => getComputedStyle(document.getElementById('app') as HTMLElement).backgroundColor,
    );
    expect(bg).toBe('rgb(17, 27, 33)');
    await screenshot(page, '11-inbox-dark');
    await context.close();
  });

  it('works from the keyboard: log in with Tab and Enter, then every control has an accessible name', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Email').focus();
    await page.keyboard.type('staff@demo.gym');
    await page.keyboard.press('Tab');
    await page.keyboard.type('clubchat-demo');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('button, a[href], input, select, textarea')]
        .filter((el) => {
          const labelled = el.getAttribute('aria-label') || el.textContent?.trim() || el.getAttribute('title');
          const labels = 'labels' in el ? (el as HTMLInputElement).labels : null;
          return !labelled && !(labels && labels.length > 0);
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    await context.close();
  });

  it('keeps the initial JavaScript small (gzipped, what the first page load fetches)', () => {
    const html = readFileSync(join(OUT_DIR, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, s) => sum + gzipSync(readFileSync(join(OUT_DIR, s))).length, 0);
    console.log(`[e2e] initial JS: ${scripts.join(', ')} = ${(gzipped / 1024).toFixed(1)} KB gzipped`);
    expect(gzipped).toBeLessThan(60 * 1024);
  });
});
