// Lead owners in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed): a manager
// assigns a chat to themselves and finds it under Mine; a staff member claims a lead from its profile, and the
// history says who did it; staff may reassign anyone's (salespeople only claim and release: scope.e2e.ts).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;
let contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
});

async function freshPage(): Promise<Page> {
  const context = await phoneContext(browser);
  contexts = [...contexts, context];
  return context.newPage();
}

const row = (page: Page, personId: string) =>
  page.locator(`[data-testid="conversation-row"][data-person="${personId}"]`);

describe('lead owners', () => {
  it('assigns a chat to yourself and shows it under Mine', async () => {
    const page = await freshPage();
    await logIn(page, 'manager@demo.gym');
    await page.getByRole('tab', { name: /^Mine/ }).click();
    await page.getByText(/No chats of yours yet/).waitFor();
    await page.getByRole('tab', { name: /^All/ }).click();

    await row(page, 'per_demo_grace').click();
    const bar = page.getByRole('region', { name: 'Owner' });
    await bar.getByTestId('owner-label').getByText('Unassigned').waitFor();
    await bar.getByRole('button', { name: 'Assign to…' }).click();
    await page.getByRole('dialog', { name: 'Assign to' }).getByRole('button', { name: 'Morgan Manager (you)' }).click();
    await bar.getByTestId('owner-label').getByText('You').waitFor();

    await page.getByRole('link', { name: 'Back' }).click();
    await page.getByRole('tab', { name: /^Mine/ }).click();
    await page.getByRole('tab', { name: /^Mine/, selected: true }).waitFor();
    await row(page, 'per_demo_maria').waitFor({ state: 'detached' });
    await row(page, 'per_demo_grace').waitFor();
    expect(await page.getByTestId('conversation-row').count()).toBe(1);
    await screenshot(page, '63-mine');
  });

  it('lets a staff member claim an unowned lead from the profile, and the history says so', async () => {
    const page = await freshPage();
    await logIn(page, 'staff@demo.gym');
    await page.goto('/people/per_demo_jack');
    const owner = page.locator('dl.facts dt:has-text("Owner") + dd');
    await owner.getByText('Unassigned').waitFor();
    await page.getByRole('button', { name: 'Action ▾' }).click();
    await page.getByRole('menuitem', { name: 'Assign to…' }).waitFor();
    await page.getByRole('menuitem', { name: 'Claim' }).click();
    await owner.getByText('You').waitFor();
    await page.locator('.note[data-type="owner_changed"]').getByText('Assigned to Sam Staff by Sam Staff').waitFor();

    // Grace is the manager's now: staff may reassign her (Assign to…), but there is nothing to claim or release.
    await page.goto('/people/per_demo_grace');
    await owner.getByText('Morgan Manager').waitFor();
    await page.getByRole('button', { name: 'Action ▾' }).click();
    await page.getByRole('menuitem', { name: 'Send WhatsApp' }).waitFor();
    await page.getByRole('menuitem', { name: 'Assign to…' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /Claim|Release/ }).count()).toBe(0);
  });
});
