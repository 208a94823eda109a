// A broadcast from a manager's phone, in real Chromium at 360 x 740 against `wrangler dev` in sandbox mode: made
// with the form for the people wearing a label, previewed (who gets it, who is skipped and why, the cost), started,
// run by the queue and the cron (fired by hand, as `wrangler dev` runs no schedule), and reported; a staff member
// has no link to it and is refused.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi, launch, logIn, phoneContext, screenshot } from './browser';

const NAME = 'Spin open day';
const LABEL = `Open day ${Date.now().toString(36)}`;
const CONSENT = { method: 'web_form', text: 'Yes to WhatsApp offers', captured_at: '2025-06-01T09:30:00Z' };

let browser: Browser;
let page: Page;

/** A UK mobile no other demo person has. */
const freshPhone = () => `+447413${String(Math.floor(100_000 + Math.random() * 800_000))}`;

async function addPerson(data: Record<string, unknown>): Promise<{ id: string; phone: string }> {
  const res = await demoApi('POST', '/api/v1/people', { phone: freshPhone(), status: 'lead', ...data });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; phone: string };
}

beforeAll(async () => {
  browser = await launch();
  page = await (await phoneContext(browser)).newPage();
  // Three people wearing the label: one who agreed, one with no consent on record, one who opted out.
  const label = (await (await demoApi('POST', '/api/v1/labels', { name: LABEL, color: 'teal' })).json()) as {
    id: string;
  };
  const yes = await addPerson({ first_name: 'Yasmin', last_name: 'Yes', whatsapp_consent: CONSENT });
  const unsure = await addPerson({ first_name: 'Uma', last_name: 'Unsure' });
  const out = await addPerson({ first_name: 'Otto', last_name: 'Out', whatsapp_consent: CONSENT });
  expect((await demoApi('POST', `/api/v1/people/${out.id}/whatsapp/opt-out`, {})).status).toBe(200);
  for (const p of [yes, unsure, out])
    expect((await demoApi('PUT', `/api/v1/people/${p.id}/labels`, { label_ids: [label.id] })).status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
});

describe('a broadcast', () => {
  it('a manager makes one with the form, for the people wearing a label', async () => {
    await logIn(page, 'manager@demo.gym');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Broadcasts' }).click();
    await page.getByRole('link', { name: '+ New broadcast' }).click();
    await page.getByRole('heading', { name: 'New broadcast' }).waitFor();
    await page
      .getByLabel('Approved template')
      .locator('option', { hasText: 'class_reminder' })
      .waitFor({ state: 'attached' });

    // Sent empty, the form says what is missing before anything reaches the server.
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByText('Give it a name').waitFor();

    await page.getByLabel('Name', { exact: true }).fill(NAME);
    await page.getByLabel('Approved template').selectOption('class_reminder:en_GB');
    await page.getByLabel('Fills {{1}}').selectOption('first_name');
    await page.getByLabel('Fills {{2}}').selectOption('text');
    await page.getByLabel('Words for {{2}}').fill('Spin');
    await page.getByLabel(LABEL).check();
    // A start already past goes as soon as it is started; all day, so the run is inside the window.
    await page.getByLabel('Starts').fill('2025-01-01T09:00');
    await page.getByLabel('Send from').fill('00:00');
    await page.getByLabel('Until').fill('23:59');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByRole('heading', { name: 'Broadcast', exact: true }).waitFor();
    expect(await page.getByTestId('broadcast-state').textContent()).toBe('Draft');
  });

  it('previewed: one gets it, one is skipped for no consent and one for opting out; the cost is one marketing message', async () => {
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('broadcast-preview');
    await preview.getByText('would get it now').waitFor();
    expect(await preview.locator('.broadcast-headline').textContent()).toBe('1 of 3 would get it now');
    expect(await page.getByTestId('broadcast-cost').textContent()).toBe('1 marketing message');
    const reasons = preview.locator('.broadcast-reasons');
    await reasons.getByText('No WhatsApp consent recorded').waitFor();
    await reasons.getByText('Opted out of WhatsApp messages').waitFor();
    await preview.getByText('Hi Yasmin, your Spin class starts soon.', { exact: false }).waitFor();
    await screenshot(page, '85-broadcast-preview');
  });

  it('started, run by the queue and the cron, and reported', async () => {
    await page.getByRole('button', { name: 'Start' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('each person once', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Start' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The start queued its recipients at once; the cron's sweep (fired by hand) finishes it once none wait.
    await expect
      .poll(
        async () => {
          await page.request.get('/cdn-cgi/handler/scheduled?cron=*/5+*+*+*+*');
          await page.reload();
          return page.getByTestId('broadcast-state').textContent();
        },
        { timeout: 45_000, interval: 1_000 },
      )
      .toBe('Finished');
    const figures = page.getByTestId('broadcast-figures');
    expect(await figures.locator('dd').first().textContent()).toBe('1');
    await figures.getByText('No WhatsApp consent recorded').waitFor();
    await figures.getByText('Opted out of WhatsApp messages').waitFor();
    // The simulated Meta received the template once, for Yasmin.
    const sent = (await (await demoApi('GET', '/sandbox/messages')).json()) as {
      messages?: { type: string; body?: string; rawBody?: string }[];
    };
    expect(JSON.stringify(sent)).toContain('Spin');
    // Its delivery and read come by status webhook: the report follows them.
    await expect
      .poll(async () => {
        await page.reload();
        return figures.locator('dd').nth(1).textContent();
      })
      .toBe('1');
    await screenshot(page, '86-broadcast-report');

    await page.goto('/broadcasts');
    const card = page.getByTestId('broadcast-item').filter({ hasText: NAME });
    await card.getByText('Finished', { exact: true }).waitFor();
  });

  it('a staff member has no link to broadcasts and is refused, in words and by the server', async () => {
    const staff = await (await phoneContext(browser, 'dark')).newPage();
    await logIn(staff, 'staff@demo.gym');
    await staff.getByRole('button', { name: 'Menu' }).click();
    await staff.getByRole('link', { name: 'Chats' }).waitFor();
    expect(await staff.getByRole('link', { name: 'Broadcasts' }).count()).toBe(0);
    await staff.goto('/broadcasts');
    expect(await staff.getByRole('alert').textContent()).toBe(
      'Broadcasts are for managers and admins: your role does not allow this. Ask an admin.',
    );
    const refused = await staff.request.get('/api/v1/whatsapp/broadcasts');
    expect(refused.status()).toBe(403);
  });
});
