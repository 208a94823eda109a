// The whole loop a gym's staff member sees, in real Chromium at 360 x 740 against `wrangler dev` in sandbox
// mode: the Meta simulator plays WhatsApp (a customer writes, our sends get sent/delivered/read statuses).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

const SHEENA = { id: 'per_demo_sheena', phone: '+447412345601' };

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  context = await phoneContext(browser);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** Play the customer through the simulator, as the sandbox panel does, with this session's cookie. */
async function customerWrites(text: string, from = SHEENA.phone) {
  const res = await page.request.post('/sandbox/inbound', {
    data: { from, text },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(res.status(), await res.text()).toBe(202);
}

const bubbles = () => page.getByTestId('bubble');

describe('the staff app', () => {
  it('shows the login page, refuses a wrong password in words, then logs a staff member in to the demo gym', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await screenshot(page, '01-login');
    await page.getByLabel('Email').fill('staff@demo.gym');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    await logIn(page, 'staff@demo.gym');
    await page.getByRole('list', { name: 'Chats' }).or(page.getByText('No chats yet')).first().waitFor();
  });

  it('an inbound message appears live in the inbox, without a reload', async () => {
    const before = await page.evaluate(() => performance.getEntriesByType('navigation').length);
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });
    await customerWrites('Hi! Is the pool open on Sunday?');
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Sheena' });
    await row.getByText('Is the pool open on Sunday?').waitFor();
    await row.getByTestId('unread-badge').waitFor();
    expect(await row.getByTestId('window-chip').textContent()).toMatch(/2[34]h \d+m left/);
    // Same document: the row came over the WebSocket, not from a reload.
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
    expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(before);
    await screenshot(page, '02-inbox');
  });

  it('opening the conversation reads it; a free-text reply shows pending, then its ticks reach read', async () => {
    await page.getByTestId('conversation-row').filter({ hasText: 'Sheena' }).click();
    await page.getByText('Is the pool open on Sunday?').waitFor();
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Yes, 8am to 6pm. See you there!');
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = bubbles().filter({ hasText: 'See you there!' });
    await reply.first().waitFor();
    await reply.and(page.locator('[data-status="read"]')).waitFor({ timeout: 20_000 });
    expect(await reply.getByRole('img').getAttribute('aria-label')).toBe('Read');
    await screenshot(page, '03-conversation');
    // The badge is gone back in the inbox.
    await page.getByRole('link', { name: 'Back' }).click();
    const row = page.getByTestId('conversation-row').filter({ hasText: 'Sheena' });
    await row.waitFor();
    expect(await row.getByTestId('unread-badge').count()).toBe(0);
  });

  it('"Mark as unread" puts the badge back', async () => {
    await page.getByTestId('conversation-row').filter({ hasText: 'Sheena' }).click();
    await page.getByRole('button', { name: 'Mark as unread' }).click();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    await page.getByTestId('conversation-row').filter({ hasText: 'Sheena' }).getByTestId('unread-badge').waitFor();
  });

  it('when the window closes the composer switches to approved templates, and a template sends', async () => {
    await page.getByTestId('conversation-row').filter({ hasText: 'Sheena' }).click();
    await page.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Close the reply window (sandbox clock)' }).click();
    await page.getByText('The 24-hour reply window is closed').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message', exact: true }).count()).toBe(0);
    const picker = page.getByRole('combobox', { name: 'Template', exact: true });
    await picker.selectOption({ label: 'welcome_offer (en_GB)' });
    expect(await page.getByLabel('Variable {{1}}').inputValue()).toBe('Sheena');
    expect(await page.getByLabel('Preview').textContent()).toContain('Hi Sheena, welcome to Demo Gym!');
    await screenshot(page, '04-template-picker');
    await page.getByRole('button', { name: 'Send template' }).click();
    // The note's body is the template as Sheena reads it.
    await bubbles()
      .filter({ hasText: 'welcome to Demo Gym' })
      .and(page.locator('[data-status="read"]'))
      .waitFor({ timeout: 20_000 });
  });

  it('the profile: opt out through the confirm dialog, after which the composer is gone', async () => {
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('heading', { name: 'Activity Tracker' }).waitFor();
    // Sheena's reply and template count as Membership (her sale type); her question as received.
    expect(await page.getByTestId('sent-membership').textContent()).toBe('2');
    expect(await page.getByTestId('received-membership').textContent()).toBe('1');
    expect(await page.getByTestId('sent-secondary').textContent()).toBe('0');
    await page.getByRole('button', { name: 'Action' }).click();
    await page.getByRole('menuitem', { name: 'Send WhatsApp' }).waitFor();
    await page.getByRole('button', { name: 'Action' }).click();
    await screenshot(page, '05-profile');
    await page.getByTestId('opt-out').click();
    await page.getByRole('dialog', { name: 'Opt out of WhatsApp?' }).waitFor();
    await screenshot(page, '06-opt-out-confirm');
    await page.getByRole('button', { name: 'Confirm' }).click();
    const optedOut = page.getByRole('button', { name: 'Opted out' });
    await optedOut.waitFor();
    expect(await optedOut.isDisabled()).toBe(true);
    // Nothing to send any more; the menu keeps only what is not a message (the lead's owner).
    await page.getByRole('button', { name: 'Action' }).click();
    expect(await page.getByRole('menu').getByRole('menuitem').allTextContents()).toEqual(['Claim', 'Assign to…']);
  });

  it('history filter, then Show opens the message in its conversation and Reply opens the composer', async () => {
    const filter = page.getByLabel('Filter history');
    await filter.selectOption({ label: 'WhatsApp Received' });
    const notes = page.locator('li.note');
    await expect.poll(async () => (await notes.allTextContents()).join('|')).toContain('Is the pool open');
    await expect.poll(() => notes.count()).toBe(1);
    await screenshot(page, '07-history');
    await filter.selectOption({ label: 'WhatsApp Sent' });
    await expect.poll(() => notes.count()).toBe(2);
    await filter.selectOption({ label: 'All' });
    await expect.poll(() => notes.count()).toBeGreaterThanOrEqual(4);

    await filter.selectOption({ label: 'WhatsApp Received' });
    await expect.poll(() => notes.count()).toBe(1);
    await notes.first().getByRole('button', { name: 'Show' }).click();
    await page.locator('.bubble.highlighted').filter({ hasText: 'Is the pool open' }).waitFor();
    // Opted out: the conversation shows the banner and no composer at all.
    await page.getByTestId('opted-out-banner').waitFor();
    expect(await page.getByRole('textbox', { name: 'Message', exact: true }).count()).toBe(0);
    expect(await page.getByRole('combobox', { name: 'Template', exact: true }).count()).toBe(0);
    await screenshot(page, '08-opted-out-conversation');
  });

  it('Reply from history opens free text while the window is open', async () => {
    // Tom writes (his window opens); Reply from his profile lands in the composer, ready to type.
    await customerWrites('Can I bring a friend?', '+447412345602');
    await page.goto('/people/per_demo_tom');
    const filter = page.getByLabel('Filter history');
    await filter.selectOption({ label: 'WhatsApp Received' });
    await page.locator('li.note').first().getByRole('button', { name: 'Reply' }).click();
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.waitFor();
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('the sandbox panel plays the customer', async () => {
    await page.goto('/sandbox');
    await page.getByLabel('From (any number, E.164)').fill('+447700900123');
    await page.getByLabel('Message', { exact: true }).fill('Hello from a new lead');
    await page.getByRole('button', { name: 'Send as customer' }).click();
    await page.getByRole('status').filter({ hasText: 'Sent' }).waitFor();
    await screenshot(page, '09-sandbox');
    await page.goto('/');
    await page.getByTestId('conversation-row').filter({ hasText: 'Hello from a new lead' }).waitFor();
  });
});
