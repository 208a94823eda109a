// The Reports screen in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed): a new lead
// writes in and Sam Staff answers; Sam's Reports show his own figures; the manager's show everyone's with club and
// salesperson pickers, the messages-per-day chart and the funnel, in light and dark.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi as api, launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

async function phone(scheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await phoneContext(browser, scheme);
  contexts.push(context);
  return context.newPage();
}

describe('reports', () => {
  it('a lead answered by Sam shows in his own figures and in the manager’s, with charts', async () => {
    const sam = await phone();
    await logIn(sam, 'staff@demo.gym');
    const origin = { Origin: new URL(sam.url()).origin };
    const from = `+4474128${String(Date.now()).slice(-5)}`;
    const wrote = await sam.request.post('/sandbox/inbound', {
      data: { from, name: 'Rhea Report', text: 'Hi! How much is a membership?' },
      headers: origin,
    });
    expect(wrote.status()).toBe(202);
    const found = (await (await api('GET', `/api/v1/people?q=${from.slice(1)}`)).json()) as {
      collection: { id: string }[];
    };
    const lead = found.collection[0]?.id ?? '';
    expect(lead).not.toBe('');
    const replied = await sam.request.post(`/api/v1/people/${lead}/whatsapp/messages`, {
      data: { text: 'Hi Rhea, it is £30 a month. Fancy a free pass?' },
      headers: origin,
    });
    expect(replied.status(), await replied.text()).toBe(202);

    // Sam's own figures: no pickers, his answer counted.
    await sam.getByRole('button', { name: 'Menu' }).click();
    await sam.getByRole('link', { name: 'Reports' }).click();
    await sam.getByRole('heading', { name: 'Reports' }).waitFor();
    await sam.getByTestId('speed-headline').waitFor();
    expect(await sam.getByTestId('report-scope').textContent()).toContain('your own figures');
    expect(await sam.getByTestId('user-filter').count()).toBe(0);
    await expect
      .poll(async () => sam.getByTestId('speed-headline').textContent())
      .toMatch(/[1-9]\d*\/\d+leads answered/);

    // The manager: everyone, a salesperson picker, the four reports.
    const manager = await phone();
    await logIn(manager, 'manager@demo.gym');
    await manager.goto('/reports');
    await manager.getByTestId('speed-headline').waitFor();
    await manager.getByTestId('user-filter').waitFor();
    expect(await manager.getByTestId('report-scope').textContent()).toContain('everyone');
    await manager.getByRole('button', { name: '7 days' }).click();
    await expect.poll(() => manager.getByTestId('report-scope').textContent()).toMatch(/–/);
    await manager.getByTestId('speed-headline').waitFor();
    await screenshot(manager, '74-reports-speed-to-lead');

    await manager.getByRole('tab', { name: 'Messages' }).click();
    const chart = manager.getByTestId('chart-days');
    await chart.waitFor();
    // Seven days, two series: fourteen columns, some of them taller than nothing (today's messages at least).
    expect(await chart.locator('rect').count()).toBe(14);
    await expect
      .poll(async () =>
        (await chart.locator('rect').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))))).some(
          (h) => h > 0,
        ),
      )
      .toBe(true);
    expect(await manager.getByTestId('messages-headline').textContent()).toMatch(/\d+received\d+sent/);
    await screenshot(manager, '75-reports-messages-chart');

    // Dark mode, the funnel: stages drawn as bars with their counts.
    const dark = await phone('dark');
    await logIn(dark, 'manager@demo.gym');
    await dark.goto('/reports');
    await dark.getByRole('tab', { name: 'Funnel' }).click();
    const stages = dark.getByTestId('funnel-stages');
    await stages.waitFor();
    expect(await stages.locator('li').count()).toBeGreaterThanOrEqual(5);
    expect(await stages.textContent()).toContain('Enquiry');
    // Numbers stay inside a 360 px screen: nothing scrolls sideways.
    expect(await dark.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(dark, '76-reports-funnel-dark');
  });
});
