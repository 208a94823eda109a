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

describe('scope', () => {
  it('a salesperson sees only their own', async () => {
    const sally = await newUser('Sally Sales', 'salesperson', null);
    await assign('per_demo_maria', sally.id);
    // Chloe is a lead too, but Sam's: out of Sally's sight.
    await assign('per_demo_chloe', 'usr_demo_staff');

    // Ben, a Leeds lead, is nobody's: Sally may see him (she is in every club) and claim him.
    await assign('per_demo_ben', null);

    const page = await loggedIn(sally.email);
    const people = await everyone();
    const hers = new Set(
      people.filter((p) => p.owner === sally.id || (p.owner === null && p.status === 'lead')).map((p) => p.id),
    );
    const chats = await ok<{ collection: { person_id: string }[] }>(
      await admin.request.get('/api/v1/conversations?per_page=100'),
    );
    const expected = chats.collection.map((c) => c.person_id).filter((id) => hers.has(id));
    expect(expected).toEqual(expect.arrayContaining(['per_demo_maria', 'per_demo_ben']));
    await expect.poll(async () => (await rowsOn(page)).sort()).toEqual([...expected].sort());
    for (const id of ['per_demo_chloe', 'per_demo_noah', 'per_demo_olivia', 'per_demo_jack'])
      expect(hers.has(id), id).toBe(false);

    // Live: Chloe writes, and nothing of it reaches Sally; María writes, and her chat moves up at once.
    const inbound = (from: string, text: string) =>
      admin.request.post('/sandbox/inbound', { data: { from, text }, headers: origin });
    expect((await inbound('+447412345607', 'Chloe here, for Sam only')).status()).toBe(202);
    expect((await inbound('+447412345611', 'María here, for Sally')).status()).toBe(202);
    await row(page, 'per_demo_maria').getByText('María here, for Sally').waitFor();
    expect(await page.getByText('Chloe here, for Sam only').count()).toBe(0);

    await page.getByRole('tab', { name: /^Mine/ }).click();
    await page.getByRole('tab', { name: /^Mine/, selected: true }).waitFor();
    await expect.poll(() => rowsOn(page)).toEqual(['per_demo_maria']);
    await page.getByRole('tab', { name: /^All/ }).click();
    await row(page, 'per_demo_ben').waitFor();
    await screenshot(page, '64-salesperson-inbox');

    // The People screen and search find nobody else; someone else's person is "not found", as another gym's.
    await page.goto('/people');
    await page.getByLabel('Search people by name, phone or email').fill('Chloe');
    await page.getByText('No one matches.').waitFor();
    await page.goto('/people/per_demo_chloe');
    await page
      .getByRole('alert')
      .getByText(/not found/i)
      .waitFor();
    // Her own: the profile offers Release, never Assign to…
    await page.goto('/people/per_demo_maria');
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
    const leedsPeople = (await everyone()).filter((p) => p.club === leeds.id).map((p) => p.id);
    expect(leedsPeople).toEqual(expect.arrayContaining(['per_demo_grace', 'per_demo_ben', 'per_demo_liam']));

    // The admin sees both clubs, and may narrow the inbox to Leeds.
    await admin.goto('/');
    await admin.getByTestId('club-filter').selectOption({ label: 'Leeds Riverside' });
    await expect.poll(async () => (await rowsOn(admin)).every((id) => leedsPeople.includes(id))).toBe(true);
    await row(admin, 'per_demo_grace').waitFor();

    const page = await loggedIn(nell.email);
    await row(page, 'per_demo_maria').waitFor();
    const shown = await rowsOn(page);
    for (const id of leedsPeople) expect(shown, id).not.toContain(id);
    // One club to see: no club to choose.
    expect(await page.getByTestId('club-filter').count()).toBe(0);
    await screenshot(page, '65-club-limited-inbox');

    // Grace wrote to Leeds' number: nothing of her, live or by search, or by her address.
    expect(
      (
        await admin.request.post('/sandbox/inbound', {
          data: { from: '+447412345606', text: 'Grace again, Leeds only' },
          headers: origin,
        })
      ).status(),
    ).toBe(202);
    await row(admin, 'per_demo_grace').getByText('Grace again, Leeds only').waitFor();
    expect(await page.getByText('Grace again, Leeds only').count()).toBe(0);
    await page.goto('/people');
    await page.getByLabel('Search people by name, phone or email').fill('Grace');
    await page.getByText('No one matches.').waitFor();
    for (const path of ['/people/per_demo_grace', '/c/per_demo_grace']) {
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
