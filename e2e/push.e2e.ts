// Web Push in real Chromium: a push delivered to the service worker (DevTools protocol,
// ServiceWorker.deliverPushMessage, what a push service would hand the browser) shows the conversation's
// notification, a second one for the same conversation replaces it, and a tap takes the app to the conversation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, logIn, phoneContext } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

interface Shown {
  title: string;
  body: string;
  tag: string;
  url: string | null;
}

const SHOWN = `(async () => {
  const reg = await navigator.serviceWorker.ready;
  return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data?.url ?? null }));
})()`;

describe('Web Push in the service worker', () => {
  it('shows one notification per conversation and a tap opens that conversation', async () => {
    const context = await phoneContext(browser);
    await context.grantPermissions(['notifications'], { origin: BASE_URL });
    const page = await context.newPage();
    await logIn(page, 'staff@demo.gym');
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Chats' }).waitFor();

    const cdp = await context.newCDPSession(page);
    const registration = new Promise<string>((resolve) => {
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
          const mine = e.registrations.find((r) => r.scopeURL.startsWith(BASE_URL) && !r.isDeleted);
          if (mine) resolve(mine.registrationId);
        },
      );
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    const push = (body: string) =>
      cdp.send('ServiceWorker.deliverPushMessage', {
        origin: `${BASE_URL}/`,
        registrationId,
        data: JSON.stringify({ title: 'Sheena', body, tag: 'conversation-per_demo_sheena', url: '/c/per_demo_sheena' }),
      });

    // On a busy machine a push delivered over DevTools while the worker is still starting can be dropped by
    // Chromium: the same push (same tag, so never two notifications) goes again until one is shown.
    await expect
      .poll(
        async () => {
          const shown = await page.evaluate<Shown[]>(SHOWN);
          if (shown.length === 0) await push('Is the pool open on Sunday?');
          return shown;
        },
        { interval: 2_000 },
      )
      .toEqual([
        {
          title: 'Sheena',
          body: 'Is the pool open on Sunday?',
          tag: 'conversation-per_demo_sheena',
          url: '/c/per_demo_sheena',
        },
      ]);
    await push('And the sauna?');
    await expect.poll(async () => (await page.evaluate<Shown[]>(SHOWN)).map((n) => n.body)).toEqual(['And the sauna?']);

    // Chromium offers no protocol call to tap a notification: the worker gets the same event a tap fires.
    const [worker] = context.serviceWorkers();
    if (!worker) throw new Error('no service worker');
    await worker.evaluate(`(async () => {
      const [n] = await self.registration.getNotifications();
      self.dispatchEvent(new NotificationEvent('notificationclick', { notification: n }));
    })()`);
    await page.waitForURL('**/c/per_demo_sheena');
    expect(await page.evaluate<Shown[]>(SHOWN)).toEqual([]);
    await context.close();
  });
});
