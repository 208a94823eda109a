// Marketing settings and ad audiences on an admin's phone, in real Chromium at 360 x 740 against `wrangler dev` in
// sandbox mode: the frequency cap and Meta's Conversions API dataset set in Settings (each checked in words first),
// a broadcast made for the leads of one ad and previewed under that cap, and Reports' Ads tab counting that ad's
// lead and opening the inbox filtered by it. The changes are made by an admin login of this file's own (the audit
// log's test reads what the demo admin changed), and the cap and dataset go back as they were afterwards, so the
// other files (which run in any order) meet the demo company unchanged.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi, launch, logIn, phoneContext, screenshot } from './browser';

const STAMP = Date.now().toString(36);
const HEADLINE = `Free week ${STAMP}`;
const DATASET = `7${String(Date.now()).slice(-12)}`;
const CONSENT = { method: 'web_form', text: 'Yes to WhatsApp offers', captured_at: '2025-06-01T09:30:00Z' };

const MARA = { name: 'Mara Marketing', email: `mara-${STAMP}@demo.gym`, password: 'mara-first-password' };

let browser: Browser;
let page: Page;

/** The demo admin makes this file's admin login in Settings → Users, in a context of its own. */
async function makeOwnAdmin(): Promise<void> {
  const context = await phoneContext(browser);
  const alex = await context.newPage();
  await logIn(alex, 'admin@demo.gym');
  await alex.goto('/settings/users');
  const form = alex.getByRole('form', { name: 'New user' });
  await form.getByLabel('Name').fill(MARA.name);
  await form.getByLabel('Email (they log in with it)').fill(MARA.email);
  await form.getByLabel('Role').selectOption('admin');
  await form.getByLabel('First password (at least 10 characters)').fill(MARA.password);
  await form.getByRole('button', { name: 'Create user' }).click();
  await alex.locator(`[data-testid="user"][data-email="${MARA.email}"]`).waitFor();
  await context.close();
}
let capBefore: unknown;
let conversionsBefore: { dataset_id: string | null };

beforeAll(async () => {
  browser = await launch();
  await makeOwnAdmin();
  page = await (await phoneContext(browser)).newPage();
  capBefore = await (await demoApi('GET', '/api/v1/whatsapp/frequency-cap')).json();
  conversionsBefore = (await (await demoApi('GET', '/api/v1/whatsapp/conversions')).json()) as typeof conversionsBefore;
  // A lead whose first message came from this file's own ad, with consent on record (the broadcast asks for it).
  const phone = `+4474138${String(Date.now()).slice(-5)}`;
  const sent = await demoApi('POST', '/sandbox/inbound', {
    from: phone,
    name: 'Flo Freeweek',
    text: 'Is the free week still on?',
    from_ad: true,
    // An ad of this file's own (Meta's source_id), so other files' ad leads and earlier runs are not counted in.
    referral: { headline: HEADLINE, source_id: `ad_${STAMP}`, ctwa_clid: `clid-${STAMP}` },
  });
  expect(sent.status, await sent.clone().text()).toBe(202);
  const found = (await (await demoApi('GET', `/api/v1/people?phone=${encodeURIComponent(phone)}`)).json()) as {
    collection: { id: string }[];
  };
  const id = found.collection[0]?.id ?? '';
  expect(id).not.toBe('');
  const consent = await demoApi('PUT', `/api/v1/people/${id}`, { whatsapp_consent: CONSENT });
  expect(consent.status, await consent.clone().text()).toBe(200);
});

afterAll(async () => {
  if (capBefore) await demoApi('PUT', '/api/v1/whatsapp/frequency-cap', capBefore);
  if (conversionsBefore)
    await demoApi('PUT', '/api/v1/whatsapp/conversions', { dataset_id: conversionsBefore.dataset_id });
  await browser?.close();
});

describe('marketing settings and ad audiences', () => {
  it('an admin sets the frequency cap in Settings, refused in words when out of bounds', async () => {
    await logIn(page, MARA.email, MARA.password);
    await page.goto('/settings');
    await page.getByRole('link', { name: /Marketing frequency cap/ }).click();
    await page.getByTestId('cap-sentence').waitFor();
    await page.getByLabel('At most (templates)').fill('0');
    await page.getByRole('button', { name: 'Save cap' }).click();
    await page.getByText('A whole number of templates from 1 to 50').waitFor();
    await page.getByLabel('At most (templates)').fill('3');
    await page.getByLabel('In any (days)').fill('14');
    await page.getByRole('button', { name: 'Save cap' }).click();
    await page.getByText('Saved. At most 3 marketing templates per person in any 14 days.').waitFor();
    expect(await (await demoApi('GET', '/api/v1/whatsapp/frequency-cap')).json()).toEqual({ max: 3, days: 14 });
  });

  it('sets the Meta dataset for the Conversions API, with what the events are', async () => {
    await page.goto('/settings');
    await page.getByRole('link', { name: /Meta Conversions API/ }).click();
    await page.getByTestId('conversions-state').waitFor();
    await page.getByLabel('Dataset id').fill('act_123');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Digits only, as Meta’s Events Manager shows the dataset id').waitFor();
    await page.getByLabel('Dataset id').fill(DATASET);
    await page.getByLabel('Currency').fill('GBP');
    await page.getByLabel('A Purchase is worth').fill('45');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText(`Saved. Ad leads’ events now go to dataset ${DATASET}.`).waitFor();
    expect(await page.getByTestId('conversions-state').textContent()).toContain(`Reporting to dataset ${DATASET}`);
    await page.getByRole('heading', { name: 'Recent events' }).waitFor();
    await screenshot(page, '91-settings-conversions-api');
    expect(await (await demoApi('GET', '/api/v1/whatsapp/conversions')).json()).toMatchObject({
      dataset_id: DATASET,
      currency: 'GBP',
      purchase_value: 45,
    });
  });

  it('builds a broadcast for the leads of one ad and previews it under the cap', async () => {
    await page.goto('/broadcasts');
    await page.getByRole('link', { name: '+ New broadcast' }).click();
    await page.getByRole('heading', { name: 'New broadcast' }).waitFor();
    await page
      .getByLabel('Approved template')
      .locator('option', { hasText: 'class_reminder' })
      .waitFor({ state: 'attached' });
    await page.getByLabel('Name', { exact: true }).fill(`Free week follow-up ${STAMP}`);
    await page.getByLabel('Approved template').selectOption('class_reminder:en_GB');
    await page.getByLabel('Fills {{1}}').selectOption('first_name');
    await page.getByLabel('Fills {{2}}').selectOption('text');
    await page.getByLabel('Words for {{2}}').fill('Spin');
    const source = page.getByLabel('Lead source');
    await source.locator('option', { hasText: HEADLINE }).waitFor({ state: 'attached' });
    await source.selectOption({ label: `Ad: ${HEADLINE}` });
    await source.scrollIntoViewIfNeeded();
    await screenshot(page, '92-broadcast-ad-audience');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.getByRole('heading', { name: 'Broadcast', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('broadcast-preview');
    await preview.getByText('would get it now').waitFor();
    // Only this ad's lead: the rest of the demo company is left out by the audience.
    expect(await preview.locator('.broadcast-headline').textContent()).toBe('1 of 1 would get it now');
    await preview.getByText('at most 3 marketing messages per person in 14 days', { exact: false }).waitFor();
    await preview.getByText('Flo', { exact: false }).first().waitFor();
  });

  it("Reports' Ads tab counts the ad's lead for the range and opens the inbox filtered by it", async () => {
    await page.goto('/reports');
    await page.getByRole('tab', { name: 'Ads' }).click();
    const row = page.getByTestId('ad-row').filter({ hasText: HEADLINE });
    await row.waitFor();
    expect((await row.locator('td').allTextContents()).map(Number)[0]).toBe(1);
    await page.getByTestId('ads-totals').waitFor();
    await screenshot(page, '93-reports-ads');

    // A range before the lead came counts nothing for it.
    await page.getByRole('button', { name: 'Custom' }).click();
    await page.getByLabel('From', { exact: true }).fill('2024-01-01');
    await page.getByLabel('To', { exact: true }).fill('2024-01-31');
    await page.getByText('No leads from ads in this range.').waitFor();

    await page.getByRole('button', { name: '30 days' }).click();
    await row.getByTestId('ad-inbox-link').click();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();
    await page.getByTestId('conversation-row').filter({ hasText: 'Flo Freeweek' }).waitFor();
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(1);
    expect(await page.getByTestId('ad-filter').inputValue()).toMatch(/^ad:/);
  });
});
