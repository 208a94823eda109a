// Round-robin in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed): an admin makes
// the demo club assign by round-robin (Settings > Clubs), a staff member goes on shift from the menu, and a new
// lead who writes lands under their Mine. Put back as it was afterwards (club manual, nobody on shift): the files after this one
// share the demo company.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;
let contexts: BrowserContext[] = [];
let admin: Page;
let club: string;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  if (admin && club) await setAssignment(admin, club, 'manual');
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
});

async function loggedIn(email: string): Promise<Page> {
  const context = await phoneContext(browser);
  contexts = [...contexts, context];
  const page = await context.newPage();
  await logIn(page, email);
  return page;
}

const origin = (page: Page) => ({ Origin: new URL(page.url()).origin });

async function setAssignment(page: Page, id: string, assignment: 'manual' | 'round_robin') {
  const res = await page.request.patch(`/api/v1/clubs/${id}`, { data: { assignment }, headers: origin(page) });
  expect(res.status(), await res.text()).toBe(200);
}

describe('round-robin', () => {
  it('gives a new lead to the staff member who went on shift from the menu, under Mine', async () => {
    // An admin makes the demo's first club (the one the sandbox's messages write to, oldest first) round-robin.
    admin = await loggedIn('admin@demo.gym');
    club = (await (await admin.request.get('/api/v1/clubs')).json()).collection[0].id;
    await admin.goto('/settings/clubs');
    const first = admin.getByTestId('club').first();
    await first.getByRole('button', { name: /^Edit/ }).click();
    const edit = admin.getByRole('form', { name: 'Edit club' });
    await edit.getByLabel('New leads').selectOption('round_robin');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByTestId('club').first().getByText('Round-robin among staff on shift').waitFor();

    const page = await loggedIn('staff@demo.gym');
    await page.getByRole('button', { name: 'Menu' }).click();
    const toggle = page.getByRole('switch', { name: 'On shift' });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await page.getByText('New leads from round-robin clubs come to you in turn.').waitFor();
    // Held by the server, not only the screen: a reload shows it on.
    await page.reload();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'On shift' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Menu' }).click();

    await page.getByRole('tab', { name: /^Mine/ }).click();
    await page.getByRole('tab', { name: /^Mine/, selected: true }).waitFor();
    const sent = await page.request.post('/sandbox/inbound', {
      data: { from: '+447412345688', name: 'Robin Newlead', text: 'Hi! Do you have a free trial week?' },
      headers: origin(page),
    });
    expect(sent.status(), await sent.text()).toBe(202);
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Robin Newlead' });
    await row.getByText('Do you have a free trial week?').waitFor();

    await row.click();
    await page.getByRole('region', { name: 'Owner' }).getByTestId('owner-label').getByText('You').waitFor();
    await page.getByRole('link', { name: 'Back' }).click();
    await page.getByRole('tab', { name: /^Mine/ }).click();
    await page.getByRole('tab', { name: /^Mine/, selected: true }).waitFor();
    await row.waitFor();
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect.poll(() => page.getByRole('switch', { name: 'On shift' }).isChecked()).toBe(true);
    await screenshot(page, '66-on-shift');

    // Logging out ends the shift: the next login finds it off.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await logIn(page, 'staff@demo.gym');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('switch', { name: 'On shift' }).waitFor();
    await expect.poll(() => page.getByRole('switch', { name: 'On shift' }).isChecked()).toBe(false);
  });
});
