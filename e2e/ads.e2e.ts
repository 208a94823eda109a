// Leads from ads in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode): a lead whose first message
// came from a click-to-WhatsApp ad (the simulator's "as if from an ad") shows "From ad: <headline>" with the ad's
// picture above that message in the chat, and on their profile; People filtered by ads finds them. A lead of this
// file's own, so no other test's figures change.
import type { Browser, BrowserContext, Locator } from 'playwright-core';
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

/** The ad's picture has arrived (through the worker, from the simulator's stand-in for Meta's CDN). */
const pictureShown = (card: Locator) =>
  expect
    .poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);

describe('leads from ads', () => {
  it("an ad lead's first message shows its ad in the chat and on the profile", async () => {
    const phone = `+4474129${String(Date.now()).slice(-5)}`;
    const headline = 'First month free at Anytime Gym';
    const sent = await api('POST', '/sandbox/inbound', {
      from: phone,
      name: 'Adele Advert',
      text: 'Hi! Is the first month really free?',
      from_ad: true,
      referral: { headline },
    });
    expect(sent.status, await sent.clone().text()).toBe(202);
    const found = (await (await api('GET', `/api/v1/people?phone=${encodeURIComponent(phone)}`)).json()) as {
      collection: { id: string }[];
    };
    const id = found.collection[0]?.id ?? '';
    expect(id).not.toBe('');

    context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'staff@demo.gym');
    await page.goto(`/c/${id}`);
    const messages = page.getByRole('list', { name: 'Messages' });
    const card = messages.getByTestId('ad-card');
    await card.getByText(`From ad: ${headline}`).waitFor();
    await pictureShown(card);
    // Above the message the ad started.
    const items = messages.locator(':scope > li');
    expect(await items.nth(0).getByTestId('ad-card').count()).toBe(1);
    expect(await items.nth(1).textContent()).toContain('Is the first month really free?');
    await screenshot(page, '79-ad-in-chat');

    await page.goto(`/people/${id}`);
    const onProfile = page.getByRole('region', { name: 'Lead source' }).getByTestId('ad-card');
    await onProfile.getByText(`From ad: ${headline}`).waitFor();
    await pictureShown(onProfile);
    await screenshot(page, '80-ad-on-profile');

    await page.goto('/people');
    await page.getByTestId('ad-filter').selectOption({ label: 'From ads' });
    await page.getByTestId('person-row').filter({ hasText: 'Adele Advert' }).first().waitFor();
  });
});
