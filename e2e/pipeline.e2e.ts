// Lead stages and labels in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed): a
// staff member moves a lead along the pipeline from the conversation's bar, the profile's history says who did
// it, and labels go on from the profile. A lead of this file's own, so no other test's figures change.
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

describe('lead stages and labels', () => {
  it('a staff member moves a lead to Tour booked from the chat, and labels them from the profile', async () => {
    const made = await api('POST', '/api/v1/people', {
      first_name: 'Stella',
      last_name: 'Stage',
      phone: `+4474127${String(Date.now()).slice(-5)}`,
    });
    expect(made.status, await made.clone().text()).toBe(201);
    const person = (await made.json()) as { id: string };
    const label = await api('POST', '/api/v1/labels', { name: `Student ${Date.now() % 100000}`, color: 'blue' });
    const student = (await label.json()) as { name: string };

    context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'staff@demo.gym');
    await page.goto(`/c/${person.id}`);
    const stage = page.getByRole('region', { name: 'Owner and stage' }).getByLabel('Stage');
    await expect.poll(() => stage.inputValue().catch(() => '')).not.toBe('');
    expect(await stage.locator('option:checked').textContent()).toBe('Enquiry');
    // It saves on change: wait for the server's answer before leaving the page.
    await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/v1/people/${person.id}`) && r.request().method() === 'PATCH'),
      stage.selectOption({ label: 'Tour booked' }),
    ]);
    await screenshot(page, '69-stage-in-chat');

    await page.goto(`/people/${person.id}`);
    await page.getByText('Stage: Enquiry → Tour booked by Sam Staff').waitFor();
    expect(await page.getByTestId('person-stage').locator('option:checked').textContent()).toBe('Tour booked');
    await page.getByRole('button', { name: 'Labels…' }).click();
    await page.getByRole('checkbox', { name: student.name }).check();
    await page.getByRole('button', { name: 'Save labels' }).click();
    await page.getByRole('list', { name: 'Labels' }).getByText(student.name).waitFor();
    await screenshot(page, '70-profile-stage-labels');
    const listed = (await (await api('GET', `/api/v1/people?stage=${await stageId('Tour booked')}`)).json()) as {
      collection: { id: string }[];
    };
    expect(listed.collection.map((p) => p.id)).toContain(person.id);
  });
});

async function stageId(name: string): Promise<string> {
  const pipeline = (await (await api('GET', '/api/v1/pipeline')).json()) as { stages: { id: string; name: string }[] };
  return pipeline.stages.find((s) => s.name === name)?.id ?? '';
}
