// Settings, quick replies and asking for push, in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode):
// an admin's API key shown once, working, then revoked; users and usage; what a staff member sees; a quick reply
// inserted with "/"; the inbox's notifications banner storing a subscription that then receives a push.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, DEMO_KEY, launch, logIn, phoneContext, screenshot } from './browser';

// A customer of this file's own (a new number makes a new lead): the staff-app tests count the demo people's
// messages, so a reply sent here to one of them would change their figures.
const QUINN = { name: 'Quinn Quickreply', phone: `+4474129${String(Date.now()).slice(-5)}` };

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function loggedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(browser);
  const page = await context.newPage();
  await logIn(page, email);
  return { context, page };
}

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('heading', { name: 'WhatsApp connection' }).waitFor();
}

const people = (key: string) => fetch(`${BASE_URL}/api/v1/people`, { headers: { Authorization: `Bearer ${key}` } });

describe('settings as an admin', () => {
  it('an API key is shown once, works against the API, and answers 401 once revoked', async () => {
    const { context, page } = await loggedIn('admin@demo.gym');
    await openSettings(page);
    expect(await page.getByTestId('connection-status').textContent()).toBe('Connected');
    // An admin connects numbers with Facebook (Embedded Signup; e2e/signup.e2e.ts).
    await page.getByRole('button', { name: 'Connect another number with Facebook' }).waitFor();
    const links = page.getByRole('navigation', { name: 'More settings' }).getByRole('link');
    expect(await links.allTextContents()).toEqual([
      expect.stringContaining('WhatsApp connection'),
      expect.stringContaining('Clubs'),
      expect.stringContaining('Pipeline'),
      expect.stringContaining('Labels'),
      expect.stringContaining('Quick replies'),
      expect.stringContaining('Usage this month'),
      expect.stringContaining('Users'),
      expect.stringContaining('Marketing frequency cap'),
      expect.stringContaining('Meta Conversions API'),
      expect.stringContaining('API keys'),
      expect.stringContaining('Audit log'),
    ]);
    await screenshot(page, '40-settings');

    await page.getByRole('link', { name: /API keys/ }).click();
    await page.getByLabel('Name (what will use it)').fill('E2E CRM');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.getByText('Copy it now: it is shown only once.').waitFor();
    const key = await page.getByTestId('new-api-key-value').inputValue();
    expect(key).toMatch(/^cc_live_/);
    await screenshot(page, '41-api-key-shown-once');

    // The key works at once for the integrator's API.
    expect((await people(key)).status).toBe(200);

    // Done forgets it: nowhere on the page, and not back after a reload; the list names it by its prefix only.
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    await shown.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(key);
    await page.reload();
    const row = page.getByTestId('api-key').filter({ hasText: 'E2E CRM' });
    await row.waitFor();
    expect(await page.content()).not.toContain(key);

    await row.getByRole('button', { name: 'Revoke E2E CRM' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke “E2E CRM”?' });
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked', { exact: true }).waitFor();
    const refused = await people(key);
    expect(refused.status).toBe(401);
    await context.close();
  });

  it('users: create a login, change its role, deactivate it after confirming', async () => {
    const { context, page } = await loggedIn('admin@demo.gym');
    await page.goto('/settings/users');
    await page.getByTestId('user').first().waitFor();
    const newUser = page.getByRole('form', { name: 'New user' });
    await newUser.getByLabel('Name').fill('Jo Coach');
    await newUser.getByLabel('Email (they log in with it)').fill('jo@demo.gym');
    await newUser.getByLabel('First password (at least 10 characters)').fill('short');
    await newUser.getByRole('button', { name: 'Create user' }).click();
    expect(await newUser.getByRole('alert').textContent()).toBe('The first password needs at least 10 characters');
    await newUser.getByLabel('First password (at least 10 characters)').fill('jo-first-password');
    await newUser.getByRole('button', { name: 'Create user' }).click();
    await newUser.getByText('Jo Coach can now log in as jo@demo.gym').waitFor();

    const jo = page.locator('[data-testid="user"][data-email="jo@demo.gym"]');
    await jo.waitFor();
    await jo.getByLabel('Role for Jo Coach').selectOption('manager');
    await expect.poll(() => jo.getByLabel('Role for Jo Coach').inputValue()).toBe('manager');
    await expect
      .poll(async () => (await page.request.get('/api/v1/users')).json())
      .toMatchObject({
        collection: expect.arrayContaining([expect.objectContaining({ email: 'jo@demo.gym', role: 'manager' })]),
      });
    // An admin cannot deactivate themselves: there is no button for it.
    const self = page.locator('[data-testid="user"][data-email="admin@demo.gym"]');
    expect(await self.getByRole('button', { name: /Deactivate/ }).count()).toBe(0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, '42-users');

    await jo.getByRole('button', { name: 'Deactivate Jo Coach' }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate Jo Coach?' });
    await dialog.getByText('logged out everywhere at once').waitFor();
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await jo.getByText('Deactivated').waitFor();
    await jo.getByRole('button', { name: 'Restore Jo Coach' }).waitFor();
    await context.close();
  });

  it('quick replies: a manager adds one; a duplicate shortcut is refused in words', async () => {
    const { context, page } = await loggedIn('manager@demo.gym');
    await page.goto('/settings/quick-replies');
    const form = page.getByRole('form', { name: 'New quick reply' });
    const add = async (shortcut: string, text: string) => {
      await form.getByLabel('Shortcut (typed after “/”)').fill(shortcut);
      await form.getByLabel('Text').fill(text);
      await form.getByRole('button', { name: 'Add quick reply' }).click();
    };
    await add('prices', 'Memberships start at £24.99 a month, no joining fee this week.');
    await page.getByTestId('quick-reply').filter({ hasText: '/prices' }).waitFor();
    await add('pool', 'The pool is open 6am to 9pm; lanes are booked in the app.');
    await page.getByTestId('quick-reply').filter({ hasText: '/pool' }).waitFor();
    await add('prices', 'Another text');
    expect(await form.getByRole('alert').textContent()).toBe('Another quick reply already uses that shortcut');
    await context.close();
  });
});

/** A stand-in for the browser's push service: headless Chromium cannot reach FCM, so PushManager.subscribe in
 * the page hands out a subscription at the sandbox's push service (worker/sandbox/push-service.ts) with a real
 * P-256 key, which the worker's push sender encrypts to and delivers, as FCM would. */
function fakePushService() {
  let current: PushSubscription | null = null;
  const b64url = (bytes: ArrayBuffer | Uint8Array) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  PushManager.prototype.getSubscription = async () => current;
  PushManager.prototype.subscribe = async function subscribe(options?: PushSubscriptionOptionsInit) {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
    const p256dh = b64url(await crypto.subtle.exportKey('raw', pair.publicKey));
    const auth = b64url(crypto.getRandomValues(new Uint8Array(16)));
    const endpoint = `https://push.sandbox/sandbox/push/e2e-${crypto.randomUUID()}`;
    const key = options?.applicationServerKey;
    const sub = {
      endpoint,
      expirationTime: null,
      options: { applicationServerKey: key instanceof Uint8Array ? key.buffer : null, userVisibleOnly: true },
      toJSON: () => ({ endpoint, expirationTime: null, keys: { p256dh, auth } }),
      unsubscribe: async () => {
        current = null;
        return true;
      },
      getKey: () => null,
    };
    current = sub as unknown as PushSubscription;
    return current;
  };
}

describe('settings, quick replies and notifications as a staff member', () => {
  it('sees no users, API keys or usage, and reads the quick replies', async () => {
    const { context, page } = await loggedIn('staff@demo.gym');
    await openSettings(page);
    const links = page.getByRole('navigation', { name: 'More settings' }).getByRole('link');
    expect(await links.allTextContents()).toEqual([
      expect.stringContaining('Clubs'),
      expect.stringContaining('Pipeline'),
      expect.stringContaining('Labels'),
      expect.stringContaining('Quick replies'),
    ]);
    await page.goto('/settings/api-keys');
    await page.getByText('Your role does not allow this; ask an admin.').waitFor();
    await page.goto('/settings/quick-replies');
    await page.getByTestId('quick-reply').filter({ hasText: '/prices' }).waitFor();
    expect(await page.getByRole('button', { name: /Edit|Delete/ }).count()).toBe(0);
    expect(await page.getByRole('form', { name: 'New quick reply' }).count()).toBe(0);
    await context.close();
  });

  it('"/" inserts a quick reply; after that first reply the inbox offers notifications, which store a subscription that gets pushes', async () => {
    const { context, page } = await loggedIn('staff@demo.gym');
    await context.addInitScript(fakePushService);
    await context.grantPermissions(['notifications'], { origin: BASE_URL });
    // The banner waits for a first reply: none on first load.
    expect(await page.getByTestId('push-prompt').count()).toBe(0);

    const inbound = await page.request.post('/sandbox/inbound', {
      data: { from: QUINN.phone, name: QUINN.name, text: 'How much is a membership?' },
      headers: { Origin: BASE_URL },
    });
    expect(inbound.status(), await inbound.text()).toBe(202);
    // A new document, so the push service stand-in (an init script) is in place when the banner subscribes.
    await page.reload();
    await page.getByTestId('conversation-row').filter({ hasText: QUINN.name }).click();
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill('/');
    const list = page.getByRole('listbox', { name: 'Quick replies' });
    await list.getByRole('option', { name: /pool/ }).waitFor();
    await screenshot(page, '44-quick-reply-picker');
    await box.fill('/pri');
    expect(await list.getByRole('option').count()).toBe(1);
    await list.getByRole('option', { name: /prices/ }).click();
    expect(await box.inputValue()).toBe('Memberships start at £24.99 a month, no joining fee this week.');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('bubble').filter({ hasText: 'no joining fee this week' }).waitFor();

    await page.getByRole('link', { name: 'Back' }).click();
    const banner = page.getByTestId('push-prompt');
    await banner.getByRole('heading', { name: 'Get notified of new messages' }).waitFor();
    await page.getByRole('list', { name: 'Chats' }).waitFor();
    await screenshot(page, '45-push-banner');
    await banner.getByRole('button', { name: 'Turn on notifications' }).click();
    await banner.waitFor({ state: 'detached' });
    const endpoint = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.pushManager.getSubscription())?.endpoint ?? null;
    });
    expect(endpoint).toMatch(/^https:\/\/push\.sandbox\/sandbox\/push\/e2e-/);

    // Settings shows the switch on for this device.
    await openSettings(page);
    expect(await page.getByRole('switch', { name: 'New messages on this device' }).isChecked()).toBe(true);

    // Stored on the server: with the app closed, Quinn's next message is pushed to that endpoint.
    const deliveries = `${BASE_URL}${new URL(endpoint ?? '').pathname}`;
    await page.close();
    await expect
      .poll(
        async () => {
          await fetch(`${BASE_URL}/sandbox/inbound`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${DEMO_KEY}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ from: QUINN.phone, text: 'Are you there?' }),
          });
          const got = (await (await fetch(deliveries)).json()) as { deliveries: unknown[] };
          return got.deliveries.length;
        },
        { timeout: 20_000, interval: 2_000 },
      )
      .toBeGreaterThan(0);
    await context.close();
  });

  it('usage this month shows the messages by category, in words and numbers', async () => {
    const { context, page } = await loggedIn('manager@demo.gym');
    await page.goto('/settings/usage');
    const service = page.getByTestId('usage-service');
    await service.waitFor();
    expect(await page.getByTestId('usage-sentence').textContent()).toMatch(/^\d+ messages? sent in \w+ \d{4}/);
    expect(Number(await service.locator('td').first().textContent())).toBeGreaterThan(0);
    await screenshot(page, '43-usage');
    await context.close();
  });
});
