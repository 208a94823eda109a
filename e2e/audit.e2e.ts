// The audit log, in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode): an admin changes a user's
// role, then finds that change in Settings → Audit log (who, from where, on whom), narrows the list with the
// filters, and reads the same entry from the API; the screen in dark mode.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

// A login of this file's own, so the other files' users are left as they expect them.
const ROBIN = { name: 'Robin Rota', email: `robin-${Date.now()}@demo.gym` };

async function changeRobinsRole(page: Page): Promise<void> {
  await page.goto('/settings/users');
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Name').fill(ROBIN.name);
  await form.getByLabel('Email (they log in with it)').fill(ROBIN.email);
  await form.getByLabel('First password (at least 10 characters)').fill('robin-first-password');
  await form.getByRole('button', { name: 'Create user' }).click();
  const robin = page.locator(`[data-testid="user"][data-email="${ROBIN.email}"]`);
  await robin.waitFor();
  await robin.getByLabel(`Role for ${ROBIN.name}`).selectOption('manager');
  await expect
    .poll(async () => (await page.request.get('/api/v1/users')).json())
    .toMatchObject({
      collection: expect.arrayContaining([expect.objectContaining({ email: ROBIN.email, role: 'manager' })]),
    });
}

describe('the audit log', () => {
  it("shows an admin's role change, narrows it with filters, and the API answers the same entry", async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'admin@demo.gym');
    await changeRobinsRole(page);

    await page.goto('/settings');
    await page
      .getByRole('navigation', { name: 'More settings' })
      .getByRole('link', { name: /Audit log/ })
      .click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const newest = page.getByTestId('audit-entry').first();
    await newest.getByText('Role staff → manager').waitFor();
    expect(await newest.textContent()).toContain(`User: ${ROBIN.name}`);
    expect(await newest.textContent()).toMatch(/Alex Admin · from \S+/);
    // Robin's creation just before it, in the same words.
    await page.getByTestId('audit-entry').nth(1).getByText('Created the login as staff').waitFor();

    // Users and roles, by Alex: nothing else.
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByLabel('What').selectOption({ label: 'Users and roles' });
    await filters.getByRole('option', { name: 'Alex Admin' }).waitFor({ state: 'attached' });
    await filters.getByLabel('Who').selectOption({ label: 'Alex Admin' });
    await expect.poll(() => filters.getByLabel('Who').inputValue()).toBe('usr_demo_admin');
    await newest.getByText('Role staff → manager').waitFor();
    const actions = await page.getByTestId('audit-entry').evaluateAll((rows) => rows.map((r) => r.dataset.action));
    expect(actions.length).toBeGreaterThanOrEqual(2);
    for (const action of actions) expect(action).toMatch(/^user\./);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '46-audit-log');

    // Robin, a login made a moment ago, has changed nothing: the list says so. (Other files' tests may
    // change WhatsApp settings as Alex on this same server, so "nobody" has to be someone who cannot have.)
    await filters.getByLabel('What').selectOption({ label: 'WhatsApp settings, clubs and numbers' });
    await filters.getByLabel('Who').selectOption({ label: ROBIN.name });
    await page.getByText('No changes match these filters.').waitFor();

    // The API, with the same session: the entry, newest first, with who and from where.
    const res = await page.request.get('/api/v1/audit-log?action=user.role_changed&per_page=1');
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { collection: Record<string, unknown>[] };
    expect(body.collection[0]).toMatchObject({
      action: 'user.role_changed',
      actor: { kind: 'user', id: 'usr_demo_admin', name: 'Alex Admin' },
      target: { type: 'user', label: ROBIN.name },
      details: { email: ROBIN.email, from: 'staff', to: 'manager' },
    });
    await context.close();
  });

  it('is for admins only, and reads in dark mode', async () => {
    const manager = await phoneContext(browser);
    const managerPage = await manager.newPage();
    await logIn(managerPage, 'manager@demo.gym');
    await managerPage.goto('/settings/audit-log');
    await managerPage.getByText('Your role does not allow this; ask an admin.').waitFor();
    expect((await managerPage.request.get('/api/v1/audit-log')).status()).toBe(403);
    await manager.close();

    const dark = await phoneContext(browser, 'dark');
    const page = await dark.newPage();
    await logIn(page, 'admin@demo.gym');
    await page.goto('/settings/audit-log');
    await page.getByTestId('audit-entry').first().waitFor();
    const colours = await page
      .getByTestId('audit-entry')
      .first()
      .evaluate((li) => {
        const card = li.closest('.card');
        return {
          card: card ? getComputedStyle(card).backgroundColor : '',
          text: getComputedStyle(li).color,
        };
      });
    // The dark palette (styles.css): a near-black card and light text.
    expect(colours).toEqual({ card: 'rgb(17, 27, 33)', text: 'rgb(233, 237, 239)' });
    await dark.close();
  });
});
