// A person's data requests in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode): an admin exports
// a customer's data from the profile's Action menu (the downloaded JSON holds their messages), then erases them
// and sees the erased profile, with the composer blocked and nothing left of what they wrote.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, logIn, phoneContext, screenshot } from './browser';

// A customer of this file's own (a new number makes a new lead): other files count the demo people's messages.
const DANA = { name: 'Dana Datarequest', phone: `+4477008${String(Date.now()).slice(-5)}` };
const ASKED = 'Please send me everything you hold about me';
const REPLY = 'Of course Dana, here it comes';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function post(page: Page, path: string, data: unknown) {
  const res = await page.request.post(path, { data, headers: { Origin: BASE_URL } });
  expect(res.status(), await res.text()).toBeLessThan(300);
  return res;
}

const actionMenu = (page: Page) => page.getByRole('button', { name: 'Action ▾' });

describe('data requests on the client profile', () => {
  it('an admin exports a person (the JSON has their history), then erases them', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'admin@demo.gym');
    await post(page, '/sandbox/inbound', { from: DANA.phone, name: DANA.name, text: ASKED });
    await page.getByTestId('conversation-row').filter({ hasText: DANA.name }).click();
    await page.waitForURL(/\/c\/per_/);
    const personId = new URL(page.url()).pathname.split('/').pop() ?? '';
    await post(page, `/api/v1/people/${personId}/whatsapp/messages`, { text: REPLY });

    await page.goto(`/people/${personId}`);
    await page.getByRole('heading', { level: 2, name: DANA.name }).waitFor();
    await actionMenu(page).click();
    const menu = page.getByRole('menu');
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Send WhatsApp',
      'Claim',
      'Assign to…',
      'Export data',
      'Erase person…',
    ]);
    await screenshot(page, '47-export-erase-menu');

    // Export: the browser downloads the server's file, and it holds the conversation.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      menu.getByRole('menuitem', { name: 'Export data' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^clubchat-person-${personId}-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    const path = await download.path();
    const exported = JSON.parse(readFileSync(path, 'utf8')) as {
      person: { id: string; first_name: string; phone: string };
      history: { direction: string | null; body: string | null }[];
      audit_log: { action: string }[];
      history_count: number;
    };
    expect(exported.person).toMatchObject({ id: personId, first_name: 'Dana', phone: DANA.phone });
    expect(exported.history.map((n) => [n.direction, n.body])).toEqual([
      ['inbound', ASKED],
      ['outbound', REPLY],
    ]);
    expect(exported.history_count).toBe(2);
    expect(exported.audit_log.map((a) => a.action)).toEqual(['person.exported']);
    await page.getByText(`Exported ${download.suggestedFilename()}`).waitFor();

    // Erase: the dialog says what goes and what stays, and waits for the person's name.
    await actionMenu(page).click();
    await page.getByRole('menuitem', { name: 'Erase person…' }).click();
    const dialog = page.getByRole('dialog', { name: `Erase ${DANA.name}?` });
    await dialog.getByText('Kept: their phone number, so it stays blocked', { exact: false }).waitFor();
    const erase = dialog.getByRole('button', { name: 'Erase' });
    expect(await erase.isDisabled()).toBe(true);
    await dialog.getByLabel(`Type ${DANA.name} to confirm`).fill(DANA.name);
    await erase.click();
    await dialog.waitFor({ state: 'detached' });

    const notice = page.getByTestId('erased-notice');
    await notice.getByText('Data erased at their request').waitFor();
    await page.getByRole('heading', { level: 2, name: 'Erased person' }).waitFor();
    expect(await notice.textContent()).toContain('No messages can be sent to their number until they give consent');
    // The history refreshes: each note keeps its time and says its text was erased.
    const notes = page.locator('.note-body');
    await page.getByText(ASKED).waitFor({ state: 'detached' });
    await notes.filter({ hasText: 'Erased at their request' }).nth(1).waitFor();
    expect(await page.content()).not.toContain(REPLY);
    await screenshot(page, '48-person-erased');

    // The conversation keeps its messages' times but none of their text, and the composer is blocked.
    await page.goto(`/c/${personId}`);
    await page.getByTestId('erased-banner').waitFor();
    await page.getByTestId('bubble').filter({ hasText: 'Erased at their request' }).nth(1).waitFor();
    expect(await page.getByRole('textbox', { name: 'Message', exact: true }).count()).toBe(0);
    const content = await page.content();
    expect(content).not.toContain(ASKED);
    expect(content).not.toContain(REPLY);

    // And the API refuses any send to the number.
    const refused = await page.request.post(`/api/v1/people/${personId}/whatsapp/messages`, {
      data: { text: 'Anyone there?' },
      headers: { Origin: BASE_URL },
    });
    expect(refused.status()).toBe(422);
    expect(await refused.json()).toMatchObject({ error: { code: 'person_erased' } });
    await context.close();
  });

  it('staff see no data requests on a profile', async () => {
    const context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'staff@demo.gym');
    await page.goto('/people/per_demo_tom');
    await page.getByRole('heading', { level: 2, name: /Tom/ }).waitFor();
    await actionMenu(page).click();
    await page.getByRole('menuitem', { name: 'Send WhatsApp' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /Export data|Erase person/ }).count()).toBe(0);
    await context.close();
  });
});
