// Debian's chromium driven by playwright-core (never a downloaded browser), at a phone's 360 x 740.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM } from './global-setup';
import { BASE_URL, ROOT } from './local-worker';

export { BASE_URL };
export const PHONE = { width: 360, height: 740 };
export const DEMO_PASSWORD = 'clubchat-demo';
/** The demo company's API key (sandbox only; worker/sandbox/seed.ts). */
export const DEMO_KEY = 'cc_demo_sandbox_key_do_not_use_in_production';

/** A request to the worker's API as the demo company's integration, outside any browser. */
export function demoApi(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${BASE_URL}${path}`, {
    method,
    headers: { Authorization: `Bearer ${DEMO_KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--no-first-run'],
  });
}

export function phoneContext(browser: Browser, colorScheme: 'light' | 'dark' = 'light'): Promise<BrowserContext> {
  return browser.newContext({ viewport: PHONE, deviceScaleFactor: 1, colorScheme, baseURL: BASE_URL });
}

/** Kept in docs/screenshots/ (and shown in the README): the key screens at the phone viewport. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
}

export async function logIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
}
