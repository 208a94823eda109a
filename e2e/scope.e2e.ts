// Who sees whom, in real Chromium at 360 x 740 against `wrangler dev` (sandbox mode, the demo seed with its two
// clubs): a salesperson sees only their own people and unassigned leads, live too; a user limited to the first
// club sees nothing of Leeds Riverside. The admin sets both up through the users API, as Settings > Users does.
import type { APIResponse, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, DEMO_PASSWORD, launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;
let admin: Page;

beforeAll(async () => {
  browser = await launch();
  admin = await loggedIn('admin@demo.gym');
});

afterAll(async () => {
  await browser?.close();
});

async function loggedIn(email: string): Promise<Page> {
  const page = await (await phoneContext(browser)).newPage();
  await logIn(page, email);
  return page;
}

const origin = { Origin: BASE_URL };

async function ok<T>(res: APIResponse, status = 200): Promise<T> {
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

/** A new login made by the admin; its email. */
async function newUser(name: string, role: string, clubIds: string[] | null): Promise<{ id: string; email: string }> {
  const email = `${name.split(' ')[0]?.toLowerCase()}-${Date.now()}@demo.gym`;
  const data = { email, name, role, password: DEMO_PASSWORD, club_ids: clubIds };
  const user = await ok<{ id: string }>(await admin.request.post('/api/v1/users', { data, headers: origin }), 201);
  return { id: user.id, email };
}

const assign = async (personId: string, owner: string | null) =>
  ok(await admin.request.patch(`/api/v1/people/${personId}`, { data: { owner_user_id: owner }, headers: origin }));

const rowsOn = (page: Page) =>
  page.getByTestId('conversation-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-person') ?? ''));

const row = (page: Page, personId: string) =>
  page.locator(`[data-testid="conversation-row"][data-person="${personId}"]`);

/** The inbox as the admin sees it, with each person's owner and status: what a scope is checked against. */
async function everyone(): Promise<{ id: string; owner: string | null; status: string; club: string | null }[]> {
  const page = await ok<{
    collection: { id: string; owner_user_id: string | null; status: string; club_id: string }[];
  }>(await admin.request.get('/api/v1/people?per_page=100'));
  return page.collection.map((p) => ({ id: p.id, owner: p.owner_user_id, status: p.status, club: p.club_id }));
}

/** A fresh UK mobile per call, so this file's people never meet the seed's or another file's. */
let phones = 0;
const freshPhone = (): string => `+447413${String((Date.now() + phones++ * 7919) % 1e6).padStart(6, '0')}`;

/** A new person of the demo gym (in `club_id` if given), who then writes once, so they have a chat. */
async function writer(first_name: string, club_id?: string): Promise<{ id: string; phone: string }> {
  const data = { first_name, phone: freshPhone(), status: 'lead', ...(club_id ? { club_id } : {}) };
  const person = await ok<{ id: string; phone: string }>(
    await admin.request.post('/api/v1/people', { data, headers: origin }),
    201,
  );
  await writes(person.phone, `Hello, this is ${first_name}`);
  return person;
}

async function writes(from: string, text: string): Promise<void> {
  const res = await admin.request.post('/sandbox/inbound', { data: { from, text }, headers: origin });
  expect(res.status(), await res.text()).toBe(202);
}

// This file leaves the seed's people as it found them (other files count their unread messages and windows): it
// writes, assigns and searches only people of its own.
describe('scope', () => {
  it('a salesperson sees only their own', async () => {
    const sally = await newUser('Sally Sales', 'salesperson', null);
    const hersAlready = await writer('Selma Sallys');
    const sams = await writer('Sami Samslead');
    const open = await writer('Otto Openlead');
    await assign(hersAlready.id, sally.id);
    await assign(sams.id, 'usr_demo_staff');

    const page = await loggedIn(sally.email);
    const people = await everyone();
    const hers = new Set(
      people.filter((p) => p.owner === sally.id || (p.owner === null && p.status === 'lead')).map((p) => p.id),
    );
    const chats = await ok<{ collection: { person_id: string }[] }>(
      await admin.request.get('/api/v1/conversations?per_page=100'),
    );
    const expected = chats.collection.map((c) => c.person_id).filter((id) => hers.has(id));
    expect(expected).toEqual(expect.arrayContaining([hersAlready.id, open.id]));
    await expect.poll(async () => (await rowsOn(page)).sort()).toEqual([...expected].sort());
    for (const id of [sams.id, 'per_demo_noah', 'per_demo_olivia', 'per_demo_jack'])
      expect(hers.has(id), id).toBe(false);

    // Live: Sam's lead writes, and nothing of it reaches Sally; hers writes, and the chat moves up at once.
    await writes(sams.phone, 'For Sam only');
    await writes(hersAlready.phone, 'For Sally');
    await row(page, hersAlready.id).getByText('For Sally').waitFor();
    expect(await page.getByText('For Sam only').count()).toBe(0);

    await page.getByRole('tab', { name: /^Mine/ }).click();
    await page.getByRole('tab', { name: /^Mine/, selected: true }).waitFor();
    await expect.poll(() => rowsOn(page)).toEqual([hersAlready.id]);
    await page.getByRole('tab', { name: /^All/ }).click();
    await row(page, open.id).waitFor();
    await screenshot(page, '64-salesperson-inbox');

    // The People screen and search find nobody else; someone else's person is "not found", as another gym's.
    await page.goto('/people');
    await page.getByLabel('Search people by name, phone or email').fill('Samslead');
    await page.getByText('No one matches.').waitFor();
    await page.goto(`/people/${sams.id}`);
    await page
      .getByRole('alert')
      .getByText(/not found/i)
      .waitFor();
    // Her own: the profile offers Release, never Assign to…
    await page.goto(`/people/${hersAlready.id}`);
    await page.getByRole('button', { name: 'Action ▾' }).click();
    await page.getByRole('menuitem', { name: 'Release' }).waitFor();
    expect(await page.getByRole('menuitem', { name: 'Assign to…' }).count()).toBe(0);
  });

  it('a club-limited user sees nothing of the other club', async () => {
    const clubs = await ok<{ collection: { id: string; name: string }[] }>(await admin.request.get('/api/v1/clubs'));
    const first = clubs.collection.find((c) => c.name !== 'Leeds Riverside');
    const leeds = clubs.collection.find((c) => c.name === 'Leeds Riverside');
    if (!first || !leeds) throw new Error('the demo gym has two clubs');
    const nell = await newUser('Nell Firstclub', 'staff', [first.id]);
    const lena = await writer('Lena Leedsonly', leeds.id);
    const fiona = await writer('Fiona Firstclub', first.id);
    const leedsPeople = (await everyone()).filter((p) => p.club === leeds.id).map((p) => p.id);
    expect(leedsPeople).toEqual(expect.arrayContaining(['per_demo_grace', 'per_demo_ben', 'per_demo_liam', lena.id]));

    // The admin sees both clubs, and may narrow the inbox to Leeds.
    await admin.goto('/');
    await admin.getByTestId('club-filter').selectOption({ label: 'Leeds Riverside' });
    await expect.poll(async () => (await rowsOn(admin)).every((id) => leedsPeople.includes(id))).toBe(true);
    await row(admin, lena.id).waitFor();

    const page = await loggedIn(nell.email);
    await row(page, fiona.id).waitFor();
    const shown = await rowsOn(page);
    for (const id of leedsPeople) expect(shown, id).not.toContain(id);
    // One club to see: no club to choose.
    expect(await page.getByTestId('club-filter').count()).toBe(0);
    await screenshot(page, '65-club-limited-inbox');

    // Lena writes again: the admin's Leeds inbox shows it live, Nell's nothing; nor do search or her address.
    await writes(lena.phone, 'Leeds only, again');
    await row(admin, lena.id).getByText('Leeds only, again').waitFor();
    expect(await page.getByText('Leeds only, again').count()).toBe(0);
    await page.goto('/people');
    await page.getByLabel('Search people by name, phone or email').fill('Lena');
    await page.getByText('No one matches.').waitFor();
    for (const path of [`/people/${lena.id}`, `/c/${lena.id}`]) {
      await page.goto(path);
      await page
        .getByRole('alert')
        .getByText(/not found/i)
        .waitFor();
    }
    for (const path of ['/api/v1/people/per_demo_grace', '/api/v1/people/per_demo_grace/history'])
      expect((await page.request.get(path)).status(), path).toBe(404);
  });
});
