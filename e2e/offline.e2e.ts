// Offline in real Chromium: the inbox and an opened conversation stay readable with no connection (the service
// worker's saved answers), a reply written offline waits on the device, survives a reload, and goes when the
// connection is back. The answer to that send is cut on its way back (the phone lost signal again), so the app
// replays it: the simulator must still have received it exactly once. A reply refused when it finally goes
// (the window closed meanwhile) stays on its bubble, in words, until discarded.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

interface SimMessage {
  to: string;
  type: string;
  request: unknown;
}

/** A number no other test uses, so the conversation is this test's own. */
const newPhone = () => `+4477009${String(Date.now()).slice(-5)}${Math.floor(Math.random() * 10)}`;

async function customerWrites(page: Page, from: string, name: string, text: string) {
  const res = await page.request.post('/sandbox/inbound', {
    data: { from, name, text },
    headers: { Origin: BASE_URL },
  });
  expect(res.status(), await res.text()).toBe(202);
}

/** What WhatsApp (the simulator) received for this number with this text. */
async function receivedBy(page: Page, phone: string, text: string): Promise<SimMessage[]> {
  const res = await page.request.get('/sandbox/messages');
  expect(res.status(), await res.text()).toBe(200);
  const { data } = (await res.json()) as { data: SimMessage[] };
  return data.filter((m) => m.to === phone.replace('+', '') && JSON.stringify(m.request).includes(text));
}

/** Logged in, with the service worker in charge of the page (it saves what the staff member reads). */
// Logins are throttled per account (10 a minute) and the browser tests log in often: the tests share them out.
async function openApp(context: BrowserContext, email = 'staff@demo.gym'): Promise<Page> {
  const page = await context.newPage();
  await logIn(page, email);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
  return page;
}

const row = (page: Page, name: string) => page.getByTestId('conversation-row').filter({ hasText: name });
const composer = (page: Page) => page.getByRole('textbox', { name: 'Message', exact: true });

/** Open the conversation from the inbox while online, so its person and messages are saved on the device. */
async function readWhileOnline(page: Page, name: string, text: string) {
  await page.reload();
  await row(page, name).click();
  await page.getByText(text).waitFor();
  await composer(page).waitFor();
  await page.getByRole('link', { name: 'Back' }).click();
  await row(page, name).waitFor();
}

describe('offline', () => {
  it('reads saved messages offline, keeps a reply waiting, and sends it exactly once when the connection is back', async () => {
    const context = await phoneContext(browser);
    // Chromium 150 does not fire `online` in a page that was loaded offline when the connection comes back, and
    // a phone's browser may miss it too: the app must not depend on the event, so this page never hears it.
    await context.addInitScript(() => window.addEventListener('online', (e) => e.stopImmediatePropagation(), true));
    const page = await openApp(context);
    const phone = newPhone();
    await customerWrites(page, phone, 'Olive Offline', 'Is the gym open tonight?');
    await readWhileOnline(page, 'Olive Offline', 'Is the gym open tonight?');

    await context.setOffline(true);
    await page.reload();
    await row(page, 'Olive Offline').getByText('Is the gym open tonight?').waitFor();
    expect(await page.getByTestId('offline-notice').textContent()).toBe('Offline: showing saved messages');
    // The inbox really came from the device: the service worker marks what it answered from its saved copies.
    const saved = await page.evaluate(async () => {
      // The very request the inbox makes (its first page of 50): the service worker saves answers by URL.
      const res = await fetch('/api/v1/conversations?per_page=50');
      return res.headers.get('X-ClubChat-Saved');
    });
    expect(saved).toBe('1');
    await screenshot(page, '50-offline-inbox');

    await row(page, 'Olive Offline').click();
    await page.getByText('Is the gym open tonight?').waitFor();
    await composer(page).fill('Yes, until 10pm tonight!');
    await page.getByRole('button', { name: 'Send' }).click();
    const outboxBubble = page.getByTestId('bubble').filter({ hasText: 'Yes, until 10pm tonight!' });
    await outboxBubble.getByRole('status').filter({ hasText: 'Waiting for connection' }).waitFor();
    expect(await composer(page).inputValue()).toBe('');
    await screenshot(page, '51-waiting-bubble');

    // Kept on the device: still waiting after a reload with no connection.
    await page.reload();
    await outboxBubble.getByText('Waiting for connection').waitFor();
    expect(await receivedBy(page, phone, 'until 10pm')).toHaveLength(0);

    // The connection comes back, the reply goes, but its answer is lost on the way back: the app cannot know it
    // went, so it keeps it and replays it with the same Idempotency-Key (at the next sign of a working connection
    // or the next start, whichever comes first: the reload below makes sure of the second).
    const attempts: { key: string | undefined; replayed: string | undefined }[] = [];
    await context.route('**/api/v1/people/*/whatsapp/messages', async (route) => {
      const response = await route.fetch();
      attempts.push({
        key: route.request().headers()['idempotency-key'],
        replayed: response.headers()['idempotent-replayed'],
      });
      if (attempts.length === 1) await route.abort('internetdisconnected');
      else await route.fulfill({ response });
    });
    await context.setOffline(false);
    await expect.poll(() => attempts.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);

    await page.reload();
    const sent = page.getByTestId('bubble').filter({ hasText: 'Yes, until 10pm tonight!' });
    await sent.and(page.locator('[data-status="sent"], [data-status="delivered"], [data-status="read"]')).waitFor({
      timeout: 20_000,
    });
    // The message reached the server the first time, so the list can show it while the replay that
    // confirms it is still on its way; once confirmed, the device's copy goes and one bubble is left.
    await expect.poll(() => sent.count()).toBe(1);
    await expect.poll(() => page.getByTestId('bubble').and(page.locator('[data-status^="outbox-"]')).count()).toBe(0);
    expect(await page.getByText('Waiting for connection').count()).toBe(0);
    expect(await page.getByTestId('offline-notice').count()).toBe(0);
    // Every attempt carried the same key, and every one after the first got the server's first answer back.
    expect(attempts[0]?.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    for (const replay of attempts.slice(1)) expect(replay).toEqual({ key: attempts[0]?.key, replayed: 'true' });
    const tries = attempts.length;

    // Another start online changes nothing: WhatsApp received the reply exactly once.
    await page.reload();
    await sent.first().waitFor();
    expect(await sent.count()).toBe(1);
    expect(await receivedBy(page, phone, 'until 10pm')).toHaveLength(1);
    expect(attempts).toHaveLength(tries);
    await context.close();
  });

  it('a reply refused when it finally goes (the window closed meanwhile) says why and can be discarded', async () => {
    const context = await phoneContext(browser);
    const page = await openApp(context, 'manager@demo.gym');
    const phone = newPhone();
    await customerWrites(page, phone, 'Rita Refused', 'Can I freeze my membership?');
    await readWhileOnline(page, 'Rita Refused', 'Can I freeze my membership?');
    const personId = await row(page, 'Rita Refused').getAttribute('data-person');

    await context.setOffline(true);
    await row(page, 'Rita Refused').click();
    await composer(page).fill('Yes, fill in the form at the desk');
    await page.getByRole('button', { name: 'Send' }).click();
    const bubble = page.getByTestId('bubble').filter({ hasText: 'fill in the form at the desk' });
    await bubble.getByText('Waiting for connection').waitFor();

    // A day passes before the phone finds signal (the sandbox clock; this request is not the phone's).
    const api = await browser.newContext({ baseURL: BASE_URL, storageState: await context.storageState() });
    const expired = await api.request.post(`/sandbox/people/${personId}/expire-window`, {
      data: {},
      headers: { Origin: BASE_URL },
    });
    expect(expired.status(), await expired.text()).toBe(200);
    await api.close();

    await context.setOffline(false);
    await bubble
      .getByRole('note')
      .filter({ hasText: 'Not sent: More than 24 hours since they last wrote: send a template instead' })
      .waitFor({ timeout: 20_000 });
    // The conversation catches up too: the window is closed, so the composer offers templates now.
    await page.getByText('The 24-hour reply window is closed').waitFor();
    await screenshot(page, '52-refused-bubble');
    // Refused is kept, also after a reload, until the staff member discards it.
    await page.reload();
    await bubble.getByRole('note').waitFor();
    await bubble.getByRole('button', { name: /^Discard unsent message/ }).click();
    await expect.poll(() => bubble.count()).toBe(0);
    await page.reload();
    await page.getByText('Can I freeze my membership?').waitFor();
    expect(await bubble.count()).toBe(0);
    expect(await receivedBy(page, phone, 'fill in the form')).toHaveLength(0);
    await context.close();
  });

  it('logging out forgets the saved messages: the next staff member, of another gym, never sees them offline', async () => {
    const context = await phoneContext(browser);
    const page = await openApp(context);
    await customerWrites(page, newPhone(), 'Paula Private', 'My card number is in my profile');
    await readWhileOnline(page, 'Paula Private', 'My card number is in my profile');
    const savedCount = () => page.evaluate(async () => (await (await caches.open('clubchat-api')).keys()).length);
    expect(await savedCount()).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    expect(await savedCount()).toBe(0);

    await page.getByLabel('Email').fill('staff@northside.gym');
    await page.getByLabel('Password').fill('clubchat-demo');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('No chats yet').waitFor();
    await context.setOffline(true);
    await page.reload();
    await page.getByText('No chats yet').waitFor();
    expect(await page.getByTestId('offline-notice').textContent()).toBe('Offline: showing saved messages');
    expect(await page.getByText('Paula Private').count()).toBe(0);
    await context.close();
  });
});
