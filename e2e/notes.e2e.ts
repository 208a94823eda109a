// Internal notes and @mentions in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed):
// Sam writes a note in a lead's chat mentioning Morgan, chosen from the @ list; Morgan's phone (its own browser,
// subscribed to push in Settings, in dark mode) gets "Sam Staff mentioned you", finds the chat under Mentions, and
// tapping the notification opens the chat with the note, which reads the mention; the profile lists and adds notes.
// A lead of this file's own.
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, DEMO_KEY, launch, logIn, phoneContext, screenshot } from './browser';
import {
  decrypt,
  deliveriesTo,
  deliverToServiceWorker,
  sandboxPushManager,
  storedKeys,
  tapNotification,
} from './push-relay';

let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
});

const NINA = { name: 'Nina Notes', phone: `+4474128${String(Date.now()).slice(-5)}` };

const SHOWN = `(async () => {
  const reg = await navigator.serviceWorker.ready;
  return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, url: n.data?.url ?? null }));
})()`;

describe('internal notes with @mentions', () => {
  it('a note mentioning Morgan reaches Morgan’s phone as a push that opens the chat, and files it under Mentions', async () => {
    // Nina writes in, so her chat is in everyone's inbox.
    const inbound = await fetch(`${BASE_URL}/sandbox/inbound`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEMO_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ from: NINA.phone, name: NINA.name, text: 'Hi! Can I book a tour this week?' }),
    });
    expect(inbound.status, await inbound.text()).toBe(202);

    // Morgan's phone: logged in, notifications on from Settings.
    const morgan = await phoneContext(browser, 'dark');
    contexts.push(morgan);
    await morgan.addInitScript(sandboxPushManager);
    await morgan.grantPermissions(['notifications'], { origin: BASE_URL });
    const mPage = await morgan.newPage();
    await logIn(mPage, 'manager@demo.gym');
    await mPage.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await mPage.goto('/settings');
    const pushSwitch = mPage.getByRole('switch', { name: 'New messages on this device' });
    await pushSwitch.click();
    await expect.poll(() => pushSwitch.isChecked()).toBe(true);
    const keys = await storedKeys(mPage);

    // Sam writes the note from Nina's chat, choosing Morgan from the @ list.
    const sam = await phoneContext(browser);
    contexts.push(sam);
    const sPage = await sam.newPage();
    await logIn(sPage, 'staff@demo.gym');
    await sPage.getByTestId('conversation-row').filter({ hasText: NINA.name }).click();
    const personId = new URL(sPage.url()).pathname.split('/').pop() ?? '';
    await sPage.getByRole('button', { name: 'Note', exact: true }).click();
    const box = sPage.getByRole('textbox', { name: 'Note' });
    await box.pressSequentially('Tour booked for Friday 6pm. @mor');
    const list = sPage.getByRole('listbox', { name: 'People to mention' });
    await list.getByRole('option', { name: /Morgan Manager/ }).waitFor();
    expect(await list.getByRole('option').count()).toBe(1);
    await screenshot(sPage, '71-note-mention-picker');
    await box.press('Enter');
    expect(await box.inputValue()).toBe('Tour booked for Friday 6pm. @Morgan Manager ');
    await box.pressSequentially('can you show her round?');
    await box.press('Enter');
    const card = sPage.getByTestId('note-card').filter({ hasText: 'can you show her round?' });
    await card.waitFor();
    expect(await card.locator('strong').textContent()).toBe('Note by Sam Staff');
    expect(await card.locator('.mention').textContent()).toBe('@Morgan Manager');
    // Never sent: the chat's last message is still Nina's, and nothing new went to WhatsApp.
    expect(await sPage.getByTestId('bubble').count()).toBe(1);

    // The push service got one push for Morgan; its words, decrypted as Morgan's browser would.
    await expect.poll(async () => (await deliveriesTo(keys)).length).toBe(1);
    const [delivery] = await deliveriesTo(keys);
    if (!delivery) throw new Error('no push');
    const data = await decrypt(keys, delivery);
    expect(JSON.parse(data)).toEqual({
      title: NINA.name,
      body: 'Sam Staff mentioned you: Tour booked for Friday 6pm. @Morgan Manager can you show her round?',
      tag: `mention-${personId}`,
      url: `/c/${personId}`,
    });

    // Morgan's inbox: Mentions, with its count, shows Nina's chat.
    await mPage.goto('/');
    const mentions = mPage.getByRole('tab', { name: /^Mentions/ });
    await expect.poll(() => mentions.textContent()).toMatch(/^Mentions\d+ with unread mentions$/);
    await mentions.click();
    // Nina's chat alone (the others have no note mentioning Morgan), marked as mentioning them.
    await expect
      .poll(() => mPage.getByTestId('conversation-row').allTextContents())
      .toEqual([expect.stringContaining(NINA.name)]);
    await mPage.getByTestId('conversation-row').getByTestId('mention-chip').waitFor();
    await screenshot(mPage, '73-inbox-mentions');

    // The push reaches Morgan's service worker; a tap opens Nina's chat with the note.
    await deliverToServiceWorker(morgan, mPage, data);
    await expect
      .poll(() => mPage.evaluate<{ title: string; body: string; url: string | null }[]>(SHOWN))
      .toEqual([
        { title: NINA.name, body: expect.stringMatching(/^Sam Staff mentioned you: /), url: `/c/${personId}` },
      ]);
    await tapNotification(morgan);
    await mPage.waitForURL(`**/c/${personId}`);
    const seen = mPage.getByTestId('note-card').filter({ hasText: 'can you show her round?' });
    await seen.waitFor();
    await screenshot(mPage, '72-note-in-chat-dark');

    // The profile lists notes under their own filter, and adds one too.
    await mPage.getByRole('link', { name: 'Profile' }).click();
    await mPage.getByLabel('Filter history').selectOption('note');
    await mPage.getByTestId('note-card').filter({ hasText: 'can you show her round?' }).waitFor();
    const add = mPage.getByRole('form', { name: 'Add note' });
    await add.getByRole('textbox', { name: 'Note' }).fill('Showed her round; she starts Monday.');
    await add.getByRole('button', { name: 'Add note' }).click();
    await mPage.getByTestId('note-card').filter({ hasText: 'she starts Monday' }).waitFor();
    expect(await mPage.getByTestId('note-card').count()).toBe(2);

    // Opening the chat read the mention: Mentions is empty again.
    await mPage.goto('/');
    await mPage.getByRole('tab', { name: /^Mentions/ }).click();
    await mPage.getByText(/Nothing mentions you/).waitFor();
  });
});
