// Templates, as a gym manager sees them in real Chromium at 360 x 740 against `wrangler dev` in sandbox mode:
// write one with a live preview and the API's own rules, see Meta's review (the simulator plays the reviewer)
// turn it from pending to approved, send it from a conversation; staff members have no way in.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

// The demo seed's integrator key: the simulator's reviewer controls take an API key, not a staff session.
const DEMO_API_KEY = 'cc_demo_sandbox_key_do_not_use_in_production';
// Tom's reply window is closed (on the sandbox clock, below), so the composer offers approved templates.
const TOM = 'per_demo_tom';

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

/** Meta's reviewer, played by the simulator: its verdict reaches us as a signed status webhook. */
async function metaReviews(name: string, event: 'APPROVED' | 'REJECTED', reason?: string) {
  const res = await page.request.post('/sandbox/templates/status', {
    data: { name, language: 'en_GB', event, ...(reason ? { reason } : {}) },
    headers: { Authorization: `Bearer ${DEMO_API_KEY}` },
  });
  expect(res.status(), await res.text()).toBe(200);
}

const row = (name: string) => page.getByTestId('template-row').filter({ has: page.getByRole('link', { name }) });
const statusOf = (name: string) => row(name).getByTestId('template-status');

describe('templates', () => {
  it('a staff member has no Templates link, and the screen and the API both refuse them', async () => {
    const staff = await (await phoneContext(browser)).newPage();
    await logIn(staff, 'staff@demo.gym');
    await staff.getByRole('button', { name: 'Menu' }).click();
    await staff.getByRole('link', { name: 'Chats' }).waitFor();
    expect(await staff.getByRole('link', { name: 'Templates' }).count()).toBe(0);
    await staff.goto('/templates/new');
    expect(await staff.getByRole('alert').textContent()).toContain('Only managers and admins manage templates');
    expect(await staff.getByRole('button', { name: 'Submit to Meta for review' }).count()).toBe(0);
    const create = await staff.request.post('/api/v1/whatsapp/templates', {
      data: {
        name: 'staff_template',
        language: 'en_GB',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hello there' }],
      },
      headers: { Origin: new URL(staff.url()).origin },
    });
    expect(create.status()).toBe(403);
    await staff.context().close();
  });

  it('a manager writes a template: live preview, messages in words from the API rules, then submits it', async () => {
    await logIn(page, 'manager@demo.gym');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Templates' }).click();
    await row('welcome_offer').waitFor();
    await page.getByRole('link', { name: 'New template' }).click();

    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Trial Pass');
    await name.blur();
    expect(await page.getByTestId('errors-name').textContent()).toBe('Lowercase letters, digits and underscores');
    expect(await name.getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel(/^Header text/).fill('Your free trial');
    await page
      .getByLabel(/^Body/)
      .fill('Hi {{1}}, your trial pass for {{2}} is ready. Show this message at reception.');
    await page.getByLabel(/^Footer/).fill('Demo Gym');
    await page.getByRole('button', { name: '+ Add quick reply' }).click();
    await page.getByLabel(/^Button 1 text/).fill('See you there');
    await page.getByLabel('Sample for {{1}}').fill('Sheena');
    await page.getByLabel(/^\{\{1\}\} filled from/).selectOption('first_name');
    const second = page.getByLabel('Sample for {{2}}');
    await second.focus();
    await second.blur();
    expect(await page.getByTestId('errors-samples').textContent()).toBe(
      'Every variable needs a sample value: give one for each of the 2 variable(s)',
    );

    expect(await second.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Sample for {{1}}').getAttribute('aria-invalid')).toBe('false');
    const preview = page.getByRole('figure', { name: 'Preview' });
    expect(await preview.textContent()).toContain('Your free trial');
    expect(await preview.textContent()).toContain('Hi Sheena, your trial pass for {{2}} is ready.');
    expect(await preview.getByRole('listitem').textContent()).toContain('See you there');
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, '21-template-create');

    await second.fill('Saturday');
    expect(await page.getByTestId('errors-samples').count()).toBe(0);
    expect(await preview.textContent()).toContain('Hi Sheena, your trial pass for Saturday is ready.');
    await page.getByRole('button', { name: 'Submit to Meta for review' }).click();
    // The name is still wrong: nothing is sent, and the first field at fault takes the focus.
    await page.getByText('One thing to fix').waitFor();
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    await name.fill('trial_pass');
    await page.getByRole('button', { name: 'Submit to Meta for review' }).click();

    await page.getByText('Submitted trial_pass to Meta for review').waitFor();
    await statusOf('trial_pass').waitFor();
    expect(await statusOf('trial_pass').getAttribute('data-status')).toBe('PENDING');
    expect(await statusOf('trial_pass').textContent()).toBe('Pending review');
  });

  it("shows Meta's rejection with its reason in words, and the reviewer's approval once it comes", async () => {
    // A second template, written through the API, which the reviewer rejects.
    const made = await page.request.post('/api/v1/whatsapp/templates', {
      data: {
        name: 'summer_sale',
        language: 'en_GB',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Half price memberships all summer long!' }],
      },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(made.status(), await made.text()).toBe(201);
    await metaReviews('summer_sale', 'REJECTED', 'INCORRECT_CATEGORY');

    // In sandbox mode a manager plays Meta's reviewer from the pending template's own page.
    await page.getByRole('link', { name: 'trial_pass' }).click();
    await page.getByRole('heading', { name: 'trial_pass' }).waitFor();
    const review = page.getByRole('region', { name: "Sandbox: Meta's review" });
    await review.getByRole('button', { name: 'Approve' }).waitFor();
    await screenshot(page, '24-template-sandbox-review');
    await review.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('template-status').filter({ hasText: 'Approved' }).waitFor();
    expect(await review.count()).toBe(0);
    await page.getByRole('link', { name: 'Back' }).click();

    await page.reload();
    await row('summer_sale').waitFor();
    expect(await statusOf('summer_sale').getAttribute('data-status')).toBe('REJECTED');
    expect(await row('summer_sale').textContent()).toContain(
      'Rejected: The category does not fit the content: promotional wording needs the Marketing category.',
    );
    expect(await statusOf('trial_pass').getAttribute('data-status')).toBe('APPROVED');
    expect(await statusOf('trial_pass').textContent()).toBe('Approved');
    await screenshot(page, '20-templates-list');

    // Its page: the preview with the samples Meta reviewed, and where {{1}} comes from.
    await page.getByRole('link', { name: 'trial_pass' }).click();
    await page.getByRole('heading', { name: 'trial_pass' }).waitFor();
    const preview = page.getByRole('figure', { name: 'Preview' });
    expect(await preview.textContent()).toContain('Hi Sheena, your trial pass for Saturday is ready.');
    expect(await page.getByRole('definition').first().textContent()).toBe('First name');
    await screenshot(page, '22-template-approved');
  });

  it('the approved template is offered in a conversation whose window is closed, and sends', async () => {
    // Tom may have written in another file's test (staff-app's Reply from history): files run in the order
    // vitest's cache picks, so his window is closed here on the sandbox clock rather than assumed closed.
    const closed = await page.request.post(`/sandbox/people/${TOM}/expire-window`, {
      data: {},
      headers: { Authorization: `Bearer ${DEMO_API_KEY}` },
    });
    expect(closed.status(), await closed.text()).toBe(200);
    await page.goto(`/c/${TOM}`);
    await page.getByText('The 24-hour reply window is closed').waitFor();
    await page.getByRole('combobox', { name: 'Template', exact: true }).selectOption({ label: 'trial_pass (en_GB)' });
    // {{1}} comes from the template's variable map (first name); {{2}} is typed.
    await expect.poll(() => page.getByLabel('Variable {{1}}').inputValue()).toBe('Tom');
    await page.getByLabel('Variable {{2}}').fill('Sunday');
    await page.getByRole('button', { name: 'Send template' }).click();
    const sent = page.getByTestId('bubble').filter({ hasText: 'Hi Tom, your trial pass for Sunday is ready.' });
    await sent
      .and(page.locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]'))
      .waitFor({ timeout: 20_000 });
    await screenshot(page, '23-template-sent');
  });

  it('deletes a template only after confirming, at Meta too', async () => {
    await page.goto('/templates');
    await row('summer_sale').getByRole('button', { name: 'Delete summer_sale' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete summer_sale?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect(await row('summer_sale').count()).toBe(1);
    await row('summer_sale').getByRole('button', { name: 'Delete summer_sale' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('Deleted summer_sale.').waitFor();
    await expect.poll(() => row('summer_sale').count()).toBe(0);
    expect(await row('trial_pass').count()).toBe(1);
  });

  it("syncs with Meta's list: nothing to change, said in words", async () => {
    await page.getByRole('button', { name: 'Sync from Meta' }).click();
    await page.getByText('Synced with Meta: nothing changed.').waitFor();
    expect(await statusOf('trial_pass').getAttribute('data-status')).toBe('APPROVED');
    expect(await row('summer_sale').count()).toBe(0);
  });
});
