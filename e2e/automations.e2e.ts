// Automated items from a manager's phone, in real Chromium at 360 x 740 against `wrangler dev` in sandbox mode:
// create one with the form (its sentence reading it back), see who it would reach now and who it would skip and
// why, run it and read the run log, switch it off and on; a staff member has no link and is refused.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

const ITEM = 'Welcome new leads';
const SENTENCE = 'As soon as a person is added, within 00:00-24:00 London time, send welcome_offer to leads';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await (await phoneContext(browser)).newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** A UK mobile no other demo person has (the phone is unique per company). */
const freshPhone = () => `+447412${String(Math.floor(100_000 + Math.random() * 800_000))}`;

/** People join the gym after the item exists (a person_created item counts only those), over the same API. */
async function addPerson(data: Record<string, unknown>): Promise<string> {
  const res = await page.request.post('/api/v1/people', {
    data,
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}

const card = () => page.getByTestId('automation-item').filter({ hasText: ITEM });

describe('automated items', () => {
  it('a manager opens them from the menu and creates one; the sentence reads it back as the form changes', async () => {
    await logIn(page, 'manager@demo.gym');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Automated items' }).click();
    await page
      .getByText('No automated items yet.')
      .or(page.getByRole('list', { name: 'Automated items' }))
      .waitFor();
    await page.getByRole('link', { name: '+ New item' }).click();
    await page.getByRole('heading', { name: 'New automated item' }).waitFor();
    await page.getByLabel('Template').locator('option', { hasText: 'welcome_offer' }).waitFor({ state: 'attached' });

    // Sent empty, the form says what is missing, in words, before anything goes to the server.
    await page.getByRole('button', { name: 'Create item' }).click();
    await page.getByText('Give the item a name').waitFor();
    await page.getByText('Choose an approved template', { exact: true }).waitFor();
    await screenshot(page, '34-automation-form-errors');

    const sentence = page.getByTestId('automation-sentence');
    await page.getByLabel('Name', { exact: true }).fill(ITEM);
    await page.getByLabel('Trigger').selectOption('person_created');
    await page.getByLabel('Hours after').fill('0');
    await page.getByLabel('Template').selectOption('welcome_offer:en_GB');
    await page.getByLabel('Fills {{1}}').selectOption('first_name');
    await page.getByLabel('Leads', { exact: true }).check();
    await page.getByLabel('From').fill('00:00');
    // All day, so the run below is inside the window whatever the time in London.
    await page.getByLabel('Until midnight').check();
    expect(await sentence.textContent()).toBe(SENTENCE);
    await page.getByText('Give the item a name').waitFor({ state: 'detached' });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '31-automation-form');

    await page.getByRole('button', { name: 'Create item' }).click();
    await card().waitFor();
    expect(await card().getByTestId('automation-sentence').textContent()).toBe(SENTENCE);
    expect(await card().getByRole('switch', { name: ITEM }).getAttribute('aria-checked')).toBe('true');
    await screenshot(page, '30-automations-list');
  });

  it('its audience preview shows who would get what now, and who is skipped and why', async () => {
    const dana = await addPerson({ first_name: 'Dana', last_name: 'Due', phone: freshPhone(), status: 'lead' });
    await addPerson({ first_name: 'Nick', last_name: 'Nophone', status: 'lead' });
    await addPerson({
      first_name: 'Olive',
      last_name: 'Optout',
      phone: freshPhone(),
      status: 'lead',
      whatsapp_opted_out: true,
    });
    // Not a lead: outside the audience, so neither sent nor skipped.
    await addPerson({ first_name: 'Mo', last_name: 'Member', phone: freshPhone(), status: 'member' });

    await card().getByRole('link', { name: 'Audience now' }).click();
    const willSend = page.getByRole('list', { name: 'Would be sent now' });
    const skipped = page.getByRole('list', { name: 'Skipped' });
    await willSend.waitFor();
    const danaRow = willSend.getByRole('listitem').filter({ hasText: 'Dana Due' });
    expect(await danaRow.locator('.preview-body').textContent()).toBe(
      'Hi Dana, welcome to Demo Gym! Your free day pass is ready at reception.',
    );
    expect(await danaRow.getByRole('link', { name: 'Dana Due' }).getAttribute('href')).toBe(`/people/${dana}`);
    expect(await willSend.getByRole('listitem').count()).toBe(1);
    await skipped.getByRole('listitem').filter({ hasText: 'Nick Nophone' }).getByText('No phone number').waitFor();
    await skipped
      .getByRole('listitem')
      .filter({ hasText: 'Olive Optout' })
      .getByText('Opted out of WhatsApp messages')
      .waitFor();
    expect(await skipped.getByRole('listitem').count()).toBe(2);
    expect(await page.getByText('Mo Member').count()).toBe(0);
    expect(await page.getByTestId('window-state').textContent()).toMatch(
      /^Now is inside the send window \(00:00-24:00 London time\)/,
    );
    await screenshot(page, '32-automation-audience');
  });

  it('run now: the run log shows the run with its counts and the skips by reason', async () => {
    await page.getByRole('button', { name: 'Run now' }).click();
    await page.getByRole('heading', { name: 'Run log' }).waitFor();
    const run = page.getByTestId('run').first();
    await run.getByText('Run by hand').waitFor();
    // The sends go through the queue: refresh until the run has finished.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          await run.waitFor();
          return run.locator('.chip').first().textContent();
        },
        { timeout: 45_000, interval: 1_000 },
      )
      .toBe('Finished');
    expect(await run.locator('.run-counts').textContent()).toBe('3 due1 sent2 skipped');
    const reasons = run.getByRole('list', { name: 'Skipped, by reason' });
    await reasons.getByText('1 × No phone number').waitFor();
    await reasons.getByText('1 × Opted out of WhatsApp messages').waitFor();
    await screenshot(page, '33-automation-runs');
  });

  it('editing it starts from what was saved, and the list reads back the change', async () => {
    await page.goto('/automations');
    await card().getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit automated item' }).waitFor();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe(ITEM);
    expect(await page.getByLabel('Fills {{1}}').inputValue()).toBe('first_name');
    expect(await page.getByTestId('automation-sentence').textContent()).toBe(SENTENCE);
    await page.getByLabel('Hours after').fill('2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await card().waitFor();
    expect(await card().getByTestId('automation-sentence').textContent()).toBe(
      SENTENCE.replace('As soon as a person is added', '2 hours after a person is added'),
    );
  });

  it('switches off and on from the list, and the server keeps what was chosen', async () => {
    await page.goto('/automations');
    const toggle = card().getByRole('switch', { name: ITEM });
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await page.reload();
    await expect.poll(() => card().getByRole('switch', { name: ITEM }).getAttribute('aria-checked')).toBe('false');
    await card().getByRole('switch', { name: ITEM }).click();
    await expect.poll(() => card().getByRole('switch', { name: ITEM }).getAttribute('aria-checked')).toBe('true');
    await page.reload();
    await expect.poll(() => card().getByRole('switch', { name: ITEM }).getAttribute('aria-checked')).toBe('true');
  });

  it('a staff member has no link to them and is refused, in words and by the server', async () => {
    const staff = await (await phoneContext(browser)).newPage();
    await logIn(staff, 'staff@demo.gym');
    await staff.getByRole('button', { name: 'Menu' }).click();
    await staff.getByRole('link', { name: 'Chats' }).waitFor();
    expect(await staff.getByRole('link', { name: 'Automated items' }).count()).toBe(0);
    await staff.goto('/automations');
    expect(await staff.getByRole('alert').textContent()).toBe(
      'Automated items are for managers and admins: your role does not allow this. Ask an admin.',
    );
    expect(await staff.getByText(ITEM).count()).toBe(0);
    const refused = await staff.request.get('/api/v1/whatsapp/automations');
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
  });
  it('a manager deletes it after confirming; it leaves the list', async () => {
    await page.goto('/automations');
    await card().getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('button', { name: 'Delete this item' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this automated item?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Delete this item' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Automated items' }).waitFor();
    await page
      .getByText('No automated items yet.')
      .or(page.getByRole('list', { name: 'Automated items' }))
      .waitFor();
    expect(await card().count()).toBe(0);
  });
});
