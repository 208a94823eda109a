// Embedded Signup in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode): a new gym's admin, with no
// number yet, connects WhatsApp from Settings. The simulator's stand-in for Facebook's popup hands back a code, a
// WABA and a number; Meta refuses one step, the refusal is said in words, Resume finishes it without the dialog, and
// a message to the new number then reaches the gym's inbox. A company of this file's own, so no other test changes.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, logIn, phoneContext, screenshot } from './browser';
import { ADMIN_TOKEN } from './local-worker';

let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

async function platform(method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${BASE_URL}/api/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

describe('Embedded Signup', () => {
  it('a new gym’s admin connects WhatsApp with Facebook, resumes a refused step, and the number works', async () => {
    const company = await platform('POST', '/companies', { name: 'Riverside Fitness', timezone: 'Europe/London' });
    const email = `owner-${Date.now()}@riverside.gym`;
    await platform('POST', `/companies/${company.id}/users`, {
      email,
      name: 'Rita Owner',
      role: 'admin',
      password: 'riverside-owner-1',
    });

    context = await phoneContext(browser);
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.text().includes('Content Security Policy')) violations.push(m.text());
    });
    await logIn(page, email, 'riverside-owner-1');
    const settings = await page.goto('/settings');
    // Everywhere else the app's strict CSP: nothing from Facebook.
    expect(settings?.headers()['content-security-policy'] ?? '').not.toContain('facebook');
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toBe('Off');

    // A whole-page load of Settings > WhatsApp: the only document whose CSP lets Facebook's SDK in.
    const [document] = await Promise.all([
      page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/settings/whatsapp' && r.request().isNavigationRequest(),
      ),
      page.getByRole('button', { name: 'Connect with Facebook' }).click(),
    ]);
    const csp = document.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self' https://connect.facebook.net");
    expect(csp).toContain('frame-src https://www.facebook.com');
    await page.getByRole('heading', { name: 'Connect with Facebook' }).waitFor();

    // The stand-in dialog: a number, and Meta refusing to register it the first time.
    const [popup] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('button', { name: 'Connect with Facebook' }).click(),
    ]);
    await popup.getByLabel('Business phone number').fill('+44 7700 900461');
    await popup.getByLabel('Meta misbehaves at').selectOption('register_number');
    await popup.getByRole('button', { name: 'Finish' }).click();

    const error = page.getByTestId('signup-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Meta refused registering the number for the Cloud API');
    expect(await page.getByTestId('signup-step-exchange_code').getAttribute('class')).toContain('signup-step-done');
    expect(await page.getByTestId('signup-step-register_number').getAttribute('class')).toContain('signup-step-failed');
    await page.getByRole('button', { name: 'Resume' }).scrollIntoViewIfNeeded();
    await screenshot(page, '87-signup-step-failed');

    // Resume: no dialog, from the failed step.
    await page.getByRole('button', { name: 'Resume' }).click();
    const connected = page.getByTestId('signup-connected');
    await connected.waitFor();
    expect(await connected.textContent()).toContain('Riverside Fitness');
    await expect.poll(() => page.getByTestId('connection-status').textContent()).toBe('Connected');
    expect(await page.getByTestId('connection-number').textContent()).toContain('7700900461');
    await screenshot(page, '88-signup-connected');

    // The number works: a person writes to it through the simulator, and the gym's inbox shows it.
    const inbound = await page.request.post('/sandbox/inbound', {
      headers: { Origin: BASE_URL },
      data: { from: '+447700900777', name: 'Nina New', text: 'Hi! Do you do trial passes?' },
    });
    expect(inbound.status(), await inbound.text()).toBe(202);
    expect(((await inbound.json()) as { webhook_status: number }).webhook_status).toBe(200);
    await page.goto('/');
    await page.getByText('Hi! Do you do trial passes?').waitFor();
    expect(violations).toEqual([]);
  });
});
