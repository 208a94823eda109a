// Photos and PDFs from staff in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed):
// a salesperson attaches a photo in the chat, sees it upload, sends it with a caption, and the chat draws it from
// the simulator through the media proxy; then a PDF, shown with its name and size. A lead of this file's own.
import type { Browser, BrowserContext, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi as api, launch, logIn, phoneContext, screenshot } from './browser';
import { png, type Rgb } from './png';

let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** A real PNG (a timetable-ish grid of coloured blocks), so the chat has a picture to draw. */
const BLOCKS: Rgb[] = [
  [230, 57, 70],
  [42, 157, 143],
  [233, 196, 106],
  [69, 123, 157],
];
const timetable = (width: number, height: number) =>
  png(width, height, (x, y) =>
    x % 60 < 4 || y % 40 < 4 ? [255, 255, 255] : (BLOCKS[(Math.floor(x / 60) + Math.floor(y / 40)) % 4] ?? [0, 0, 0]),
  );

describe('photos and PDFs from staff', () => {
  it('a photo sent with its upload progress shows in the chat; a PDF shows its name and size', async () => {
    const phone = `+4474128${String(Date.now()).slice(-5)}`;
    const made = await api('POST', '/api/v1/people', { first_name: 'Mila', last_name: 'Media', phone });
    expect(made.status, await made.clone().text()).toBe(201);
    const person = (await made.json()) as { id: string };
    const wrote = await api('POST', '/sandbox/inbound', {
      from: phone,
      name: 'Mila Media',
      text: 'Can you send the timetable?',
    });
    expect(wrote.status, await wrote.clone().text()).toBe(202);

    context = await phoneContext(browser);
    const page = await context.newPage();
    await logIn(page, 'staff@demo.gym');
    await page.goto(`/c/${person.id}`);
    await page.getByText('Can you send the timetable?').waitFor();

    // Hold the upload at the door until the screenshot is taken: the progress shows while it goes.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/v1/whatsapp/media**', async (route: Route) => {
      await held;
      await route.continue();
    });

    await page.getByRole('button', { name: 'Attach a photo or file' }).click();
    await page.getByLabel('Photo from library').setInputFiles({
      name: 'timetable.png',
      mimeType: 'image/png',
      buffer: timetable(360, 240),
    });
    await page.getByTestId('attachment-preview').getByText('timetable.png').waitFor();
    // Its thumbnail, drawn from the device before anything uploads (the app's CSP allows blob: images).
    const thumb = page.getByTestId('attachment-preview').locator('img');
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(360);
    await page.getByLabel('Caption').fill('Our timetable for December');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('progressbar', { name: 'Uploading timetable.png' }).waitFor();
    await page.getByText(/Uploading \d+%/).waitFor();
    await screenshot(page, '83-photo-uploading');
    release();

    const photo = page.getByRole('img', { name: 'Our timetable for December' });
    await photo.waitFor();
    // The picture itself, fetched back from the simulator through the media proxy, not a broken image.
    await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(360);
    await expect.poll(() => page.getByTestId('attachment-preview').count()).toBe(0);

    await page.getByRole('button', { name: 'Attach a photo or file' }).click();
    await page.getByLabel('Document (PDF…)').setInputFiles({
      name: 'Prices 2026.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(`%PDF-1.4\n${'0'.repeat(2400)}\n%%EOF\n`),
    });
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('link', { name: /Download Prices 2026.pdf · 2.4 KB/ }).waitFor();
    await screenshot(page, '84-photo-and-pdf-in-chat');

    const messages = (await (await api('GET', `/api/v1/conversations/${person.id}/messages`)).json()) as {
      collection: {
        message_type: string;
        status: string;
        media: { caption: string | null; size: number | null } | null;
      }[];
    };
    expect(messages.collection.slice(0, 2).map((m) => [m.message_type, m.media?.caption, m.media?.size])).toEqual([
      ['document', null, 2416],
      ['image', 'Our timetable for December', expect.any(Number)],
    ]);
  });

  it('refuses a file WhatsApp will not take before uploading it', async () => {
    const page = await (context ?? (await phoneContext(browser))).newPage();
    const phone = `+4474129${String(Date.now()).slice(-5)}`;
    const made = await api('POST', '/api/v1/people', { first_name: 'Gif', last_name: 'Sender', phone });
    const person = (await made.json()) as { id: string };
    await api('POST', '/sandbox/inbound', { from: phone, text: 'hi' });
    let uploads = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/whatsapp/media')) uploads++;
    });
    await page.goto(`/c/${person.id}`);
    await page.getByText('hi', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Attach a photo or file' }).click();
    await page.getByLabel('Photo from library').setInputFiles({
      name: 'huge.png',
      mimeType: 'image/png',
      buffer: Buffer.alloc(5_000_001),
    });
    await page
      .getByRole('alert')
      .getByText(/"huge.png" is 5 MB: too large for WhatsApp/)
      .waitFor();
    expect(uploads).toBe(0);
  });
});
