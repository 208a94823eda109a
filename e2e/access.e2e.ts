// Roles and tenancy, seen from the browser: the server refuses what a role does not allow, and one gym's staff
// never see another gym's people, conversations or live events.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, logIn, phoneContext, screenshot } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function loggedIn(email: string): Promise<Page> {
  const page = await (await phoneContext(browser)).newPage();
  await logIn(page, email);
  return page;
}

describe('roles', () => {
  it('a staff member gets 403 from a manager route; a manager does not', async () => {
    const staff = await loggedIn('staff@demo.gym');
    const manager = await loggedIn('manager@demo.gym');
    const me = async (page: Page) => (await (await page.request.get('/api/auth/me')).json()).permissions;
    // Staff chat, assign leads and take them in turn (scope.e2e.ts: salespeople only claim).
    expect(await me(staff)).toEqual(['conversations', 'assign_owners', 'take_leads']);
    expect(await me(manager)).toContain('templates');
    // Automated items are a manager's: a staff member is refused, by the server, with the one error shape.
    const refused = await staff.request.get('/api/v1/whatsapp/automations');
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
    expect((await manager.request.get('/api/v1/whatsapp/automations')).status()).toBe(200);
    // Staff read the approved templates they send, but only managers change them.
    expect((await staff.request.get('/api/v1/whatsapp/templates')).status()).toBe(200);
    const create = await staff.request.post('/api/v1/whatsapp/templates', {
      data: { name: 'staff_attempt', language: 'en_GB', category: 'UTILITY', components: [] },
      headers: { Origin: new URL(staff.url()).origin },
    });
    expect(create.status()).toBe(403);
  });
});

describe('tenancy', () => {
  it("a second gym's staff never see the first gym's data, not even live", async () => {
    const demo = await loggedIn('staff@demo.gym');
    const north = await loggedIn('staff@northside.gym');
    const origin = { Origin: new URL(demo.url()).origin };

    // The demo gym's customer writes; the demo inbox shows it live.
    const sent = await demo.request.post('/sandbox/inbound', {
      data: { from: '+447412345603', text: 'Only Demo Gym should see this' },
      headers: origin,
    });
    expect(sent.status()).toBe(202);
    await demo.getByText('Only Demo Gym should see this').waitFor();

    // Northside's inbox, list and direct reads know nothing of it.
    await north.reload();
    await north.getByRole('heading', { name: 'Chats' }).waitFor();
    await north
      .getByText(/No chats yet|Chats/)
      .first()
      .waitFor();
    expect(await north.getByText('Only Demo Gym should see this').count()).toBe(0);
    expect(await north.getByText('Priya').count()).toBe(0);
    await screenshot(north, '10-second-gym-inbox');
    const list = await (await north.request.get('/api/v1/conversations')).json();
    expect(JSON.stringify(list)).not.toContain('per_demo_');
    for (const path of [
      '/api/v1/people/per_demo_priya',
      '/api/v1/conversations/per_demo_priya',
      '/api/v1/conversations/per_demo_priya/messages',
      '/api/v1/people/per_demo_priya/history',
    ])
      expect((await north.request.get(path)).status(), path).toBe(404);
    const events = await (await north.request.get('/api/v1/events?since=0')).json();
    expect(JSON.stringify(events)).not.toContain('per_demo_');
    // Writes to another gym's person are refused the same way.
    const send = await north.request.post('/api/v1/people/per_demo_priya/whatsapp/messages', {
      data: { text: 'hello' },
      headers: origin,
    });
    expect(send.status()).toBe(404);
  });
});
