// A template with a photo header, in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode): a manager
// picks the sample photo (refused in words when it is not one), submits it (the worker hands the photo to the
// simulator's Resumable Upload API for Meta's handle), the simulator's reviewer approves it, the manager changes
// its default photo, and a salesperson sends it from a conversation whose window is closed: the chat shows that
// photo, fetched back through the proxy.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoApi as api, launch, logIn, phoneContext, screenshot } from './browser';
import { png, type Rgb } from './png';

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  context = await phoneContext(browser);
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

/** A real PNG: four coloured bands, so the chat has a picture to draw and its width to check. */
const BANDS: Rgb[] = [
  [42, 157, 143],
  [233, 196, 106],
  [244, 162, 97],
  [231, 111, 81],
];
const bands = (width: number, height: number) =>
  png(width, height, (_x, y) => BANDS[Math.floor((y / height) * 4)] ?? [0, 0, 0]);

const naturalWidth = (img: ReturnType<Page['locator']>) => img.evaluate((el) => (el as HTMLImageElement).naturalWidth);

describe('a template with a photo header', () => {
  it('is made with a sample photo, approved, sent from a conversation, and shows its photo in the chat', async () => {
    const name = `summer_timetable_${String(Date.now()).slice(-6)}`;
    await logIn(page, 'manager@demo.gym');
    await page.goto('/templates/new');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Category').selectOption('MARKETING');
    await page.getByLabel('Header type').selectOption('IMAGE');
    const sample = page.getByLabel('Sample photo');
    // Not a photo: said in words at once, before anything is uploaded.
    await sample.setInputFiles({ name: 'timetable.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4') });
    expect(await page.getByTestId('errors-header').textContent()).toBe(
      '"timetable.pdf" is an application/pdf file: a photo header takes JPEG or PNG, up to 5 MB.',
    );
    await sample.setInputFiles({ name: 'timetable.png', mimeType: 'image/png', buffer: bands(360, 200) });
    await expect.poll(() => page.getByTestId('errors-header').count()).toBe(0);
    await page.getByLabel(/^Body/).fill('Our summer timetable starts on Monday: see you at the club!');
    const preview = page.getByRole('figure', { name: 'Preview' });
    await expect.poll(() => naturalWidth(preview.getByRole('img', { name: 'The header' }))).toBe(360);
    await preview.scrollIntoViewIfNeeded();
    await screenshot(page, '89-template-photo-header');
    await page.getByRole('button', { name: 'Submit to Meta for review' }).click();
    await page.getByText(`Submitted ${name} to Meta for review`).waitFor();

    // Meta's reviewer, played by the simulator: it took the template only with a handle its upload issued.
    const reviewed = await api('POST', '/sandbox/templates/status', { name, language: 'en_GB', event: 'APPROVED' });
    expect(reviewed.status, await reviewed.clone().text()).toBe(200);
    await page.getByRole('link', { name }).click();
    await page.getByTestId('template-status').filter({ hasText: 'Approved' }).waitFor();
    expect(await page.getByTestId('template-header').textContent()).toContain('Photo header. Sent with');
    // Meta keeps an upload 30 days: the default photo can be changed here, checked before it goes up.
    const change = page.getByLabel('Change the default photo');
    await change.setInputFiles({ name: 'poster.webp', mimeType: 'image/webp', buffer: Buffer.from('RIFF') });
    expect(await page.getByRole('alert').textContent()).toBe(
      '"poster.webp" is an image/webp file: a photo header takes JPEG or PNG, up to 5 MB.',
    );
    const before = await page.getByTestId('template-header').textContent();
    await change.setInputFiles({ name: 'june.png', mimeType: 'image/png', buffer: bands(320, 180) });
    await expect.poll(() => page.getByTestId('template-header').textContent()).not.toBe(before);

    // Someone who never wrote: the window is closed, so the composer offers approved templates.
    const phone = `+4474129${String(Date.now()).slice(-5)}`;
    const made = await api('POST', '/api/v1/people', { first_name: 'Hana', last_name: 'Header', phone });
    expect(made.status, await made.clone().text()).toBe(201);
    const person = (await made.json()) as { id: string };
    const staff = await (await phoneContext(browser)).newPage();
    await logIn(staff, 'staff@demo.gym');
    await staff.goto(`/c/${person.id}`);
    await staff.getByLabel('Template', { exact: true }).selectOption({ label: `${name} (en_GB)` });
    expect(await staff.getByTestId('header-file-choice').textContent()).toBe("Sending the template's photo.");
    await staff.getByRole('button', { name: 'Send template' }).click();

    const bubble = staff.getByTestId('bubble').filter({ hasText: 'Our summer timetable starts on Monday' });
    const photo = bubble.getByRole('img', { name: 'Photo' });
    await photo.waitFor();
    // The photo itself, fetched back from the simulator through the media proxy.
    await expect.poll(() => naturalWidth(photo)).toBe(320);
    // The picker put away, the chat has the room to show what went.
    await staff.getByLabel('Template', { exact: true }).selectOption('');
    await photo.scrollIntoViewIfNeeded();
    await screenshot(staff, '90-template-photo-in-chat');

    const messages = (await (await api('GET', `/api/v1/conversations/${person.id}/messages`)).json()) as {
      collection: { message_type: string; media: { mime_type: string | null } | null }[];
    };
    expect(messages.collection.find((m) => m.message_type === 'template')).toMatchObject({
      media: { mime_type: 'image/png' },
    });
    await staff.context().close();
  });
});
