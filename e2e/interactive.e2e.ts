// Buttons and lists in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode): a staff member builds a
// list in the composer's sheet (a mistake named under its field as it is typed), sends it, the person answers a
// row (played on the Sandbox page), and the chat shows the list and the chosen row under the question. A lead of
// this file's own, so no other test's figures change.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi as api, launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('buttons and lists', () => {
  it('a list sent from the composer, and the person’s answer from the sandbox, shown in the chat', async () => {
    const phone = `+4474128${String(Date.now()).slice(-5)}`;
    const made = await api('POST', '/api/v1/people', { first_name: 'Lisa', last_name: 'List', phone });
    expect(made.status, await made.clone().text()).toBe(201);
    const person = (await made.json()) as { id: string };
    // The person writes first: free-form messages, interactive ones too, go only inside the 24-hour window.
    const wrote = await api('POST', '/sandbox/inbound', {
      from: phone,
      name: 'Lisa List',
      text: 'Any classes tonight?',
    });
    expect(wrote.status).toBe(202);

    context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'staff@demo.gym');
    await page.goto(`/c/${person.id}`);
    await page.getByText('Any classes tonight?').waitFor();
    await page.getByLabel('Message', { exact: true }).fill('Which class would you like to book?');
    await page.getByRole('button', { name: 'Ask with buttons or a list' }).click();
    const sheet = page.getByRole('dialog', { name: 'Ask with buttons or a list' });
    await sheet.getByText('List', { exact: true }).click();
    expect(await sheet.getByLabel('Message', { exact: true }).inputValue()).toBe('Which class would you like to book?');
    await sheet.getByLabel('Header (optional)').fill('Classes tonight');
    await sheet.getByLabel('List button').fill('See classes');
    await sheet.getByLabel('Row 1', { exact: true }).fill('Spin 18:00');
    await sheet.getByLabel('Row 1 description (optional)').fill('Studio 2, 45 minutes with Jo');
    // Meta's 24-character limit for a row title, said in words under the field as it is typed.
    await sheet.getByLabel('Row 2', { exact: true }).fill('Yoga for beginners 19:00 (upstairs)');
    await sheet.getByText('at most 24 characters (35 given)').waitFor();
    await sheet.getByLabel('List button').evaluate((el) => el.closest('.ib-field')?.scrollIntoView({ block: 'start' }));
    await screenshot(page, '81-list-builder');
    await sheet.getByLabel('Row 2', { exact: true }).fill('Yoga 19:00');
    expect(await sheet.getByText('at most 24 characters').count()).toBe(0);
    await sheet.getByRole('button', { name: '+ Add row' }).click();
    await sheet.getByLabel('Row 3', { exact: true }).fill('HIIT 20:00');
    await sheet.getByText('3 of 10 rows').waitFor();

    await Promise.all([
      page.waitForResponse(
        (r) => r.url().endsWith(`/api/v1/people/${person.id}/whatsapp/messages`) && r.request().method() === 'POST',
      ),
      sheet.getByRole('button', { name: 'Send' }).click(),
    ]);
    await sheet.waitFor({ state: 'detached' });
    const question = page.getByTestId('bubble').filter({ hasText: 'Which class would you like to book?' });
    await question.getByText('See classes').waitFor();

    // Play the person: the Sandbox page lists what they could answer; they choose Yoga.
    await page.goto('/sandbox');
    const asked = page.getByRole('article', { name: `Question to ${phone}` });
    await asked.getByRole('button', { name: 'Yoga 19:00' }).click();
    await page.getByRole('status').getByText(`${phone} chose “Yoga 19:00”`).waitFor();

    await page.goto(`/c/${person.id}`);
    const answer = page.getByTestId('bubble').filter({ hasText: 'Chose from the list' });
    await answer.getByText('Yoga 19:00').waitFor();
    // The answer quotes the question it answers (Meta's context), as WhatsApp shows a reply.
    expect(await answer.locator('blockquote').textContent()).toContain('Which class would you like to book?');
    await page.getByTestId('bubble').filter({ hasText: 'Which class would you like to book?' }).first().waitFor();
    await page.getByText('See classes').first().click();
    await page.getByText('Studio 2, 45 minutes with Jo').first().waitFor();
    await screenshot(page, '82-list-answered');

    // What the API says: the row chosen, linked to the question.
    const messages = (await (await api('GET', `/api/v1/conversations/${person.id}/messages`)).json()) as {
      collection: { body: string; choice: { kind: string; id: string } | null; context_wamid: string | null }[];
    };
    expect(messages.collection[0]).toMatchObject({
      body: 'Yoga 19:00',
      choice: { kind: 'list', id: 'row-1-2' },
      context_wamid: expect.any(String),
    });
  });
});
