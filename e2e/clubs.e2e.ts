// Clubs, their hours and away replies in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo
// seed with two clubs): a manager sets Leeds' hours so that it is closed now and switches on its away reply; a new
// customer writes to Leeds' own number and gets the away reply, which the conversation shows as automatic.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi as api, BASE_URL, DEMO_KEY, launch, logIn, phoneContext, screenshot } from './browser';

const LEEDS = { clubId: 'clb_demo_leeds', phoneNumberId: '100000000000002' };
// A customer of this file's own (a new number makes a new lead), so no other test's figures change.
const WREN = { name: 'Wren Leeds', phone: `+4474128${String(Date.now()).slice(-5)}` };

let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  // Leave Leeds as the seed made it: no hours, so no away reply reaches another test's messages.
  await api('PATCH', `/api/v1/clubs/${LEEDS.clubId}`, { hours: null, away_reply: null });
  await context?.close();
  await browser?.close();
});

/** One hour a day starting two hours from now, London time: Leeds is closed now, whatever the time of the run. */
function closedNowInLondon(): string {
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' }).format(
      new Date(),
    ),
  );
  const pad = (n: number) => String(n % 24).padStart(2, '0');
  return `${pad(hour + 2)}:00-${pad(hour + 3)}:00`;
}

describe('clubs, hours and away replies', () => {
  it('a manager sets Leeds’ hours and away reply; a message to Leeds’ number while closed gets it', async () => {
    context = await phoneContext(browser);
    const page: Page = await context.newPage();
    await logIn(page, 'manager@demo.gym');
    await page.goto('/settings/clubs');
    const leeds = page.getByTestId('club').filter({ hasText: 'Leeds Riverside' });
    await leeds.getByText('+15550100002').waitFor();
    await page.getByTestId('club').filter({ hasText: '+15550100001' }).waitFor();
    // Managers set hours, not names or how leads are assigned.
    expect(await page.getByRole('button', { name: /^Edit/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Hours of Leeds Riverside' }).click();
    const form = page.getByRole('form', { name: 'Hours of Leeds Riverside' });
    await form.getByLabel('No set hours (always open: no away reply goes)').uncheck();
    const hours = closedNowInLondon();
    for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'])
      await form.getByLabel(day, { exact: true }).fill(hours);
    await form.getByLabel('Closed dates (bank holidays)').fill('2026-12-25, 2026-12-26');
    await form.getByLabel('Away reply outside these hours (once per person every 12 hours)').check();
    await form
      .getByLabel('Away reply', { exact: true })
      .fill('Hi {{first_name}}, Leeds is closed now. We open at {{opens_at}}.');
    await screenshot(page, '67-club-hours');
    await form.getByRole('button', { name: 'Save hours' }).click();
    await leeds.getByText(/away reply on/).waitFor();

    const sent = await page.request.post('/sandbox/inbound', {
      data: {
        from: WREN.phone.slice(1),
        name: WREN.name,
        text: 'Is the Leeds pool open?',
        phone_number_id: LEEDS.phoneNumberId,
      },
      headers: { Origin: BASE_URL, Authorization: `Bearer ${DEMO_KEY}` },
    });
    expect(sent.status(), await sent.text()).toBe(202);
    const found = (await (await api('GET', `/api/v1/people?q=${WREN.phone.slice(1)}`)).json()) as {
      collection: { id: string; club_id?: string }[];
    };
    const wren = found.collection[0];
    if (!wren) throw new Error('the new customer should be a lead');
    await page.goto(`/c/${wren.id}`);
    await page.getByTestId('bubble').filter({ hasText: 'Is the Leeds pool open?' }).waitFor();
    const reply = page.getByTestId('bubble').filter({ hasText: 'Hi Wren, Leeds is closed now. We open at' });
    await reply.getByText('Away reply').waitFor();
    await screenshot(page, '68-away-reply');
  });
});
