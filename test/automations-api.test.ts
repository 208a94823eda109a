// /api/v1/whatsapp/automations through the worker's fetch: validation, CRUD, tenancy, preview, run and runs.
import { describe, expect, it, vi } from 'vitest';
import { ALL_DAY, makeItem, occurrencesOf } from './helpers/automations';
import { api, approveTemplate, makeCompany, makePerson } from './helpers/fixtures';
import { expectError, manualSimulator } from './helpers/sandbox';

const PATH = '/api/v1/whatsapp/automations';

async function company() {
  const c = await makeCompany();
  await approveTemplate(c.id, { name: 'come_back' });
  await approveTemplate(c.id, { name: 'not_yet', status: 'PENDING' });
  return c;
}

const valid = {
  name: 'Birthday',
  template: { name: 'come_back', language: 'en_GB' },
  variables: ['first_name'],
  sale_type: 'membership',
  trigger: { event: 'date_of_birth' },
};

describe('creating an item', () => {
  it('answers 201 with the item, its default send window and no pause', async () => {
    const c = await company();
    const res = await api(c, 'POST', PATH, valid);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      id: expect.stringMatching(/^aut_/),
      name: 'Birthday',
      enabled: true,
      paused_reason: null,
      template: { name: 'come_back', language: 'en_GB' },
      trigger: { event: 'date_of_birth' },
      audience: null,
      send_window: { start: '08:00', end: '21:00' },
    });
  });

  it.each([
    [{ trigger: { event: 'membership_end' } }, 'validation_failed'],
    [{ trigger: { event: 'membership_end', offset_days: 2.5 } }, 'validation_failed'],
    [{ trigger: { event: 'no_reply', offset_hours: 0 } }, 'validation_failed'],
    [{ trigger: { event: 'sunrise' } }, 'validation_failed'],
    [{ send_window: { start: '21:00', end: '08:00' } }, 'validation_failed'],
    [{ send_window: { start: '8am', end: '20:00' } }, 'validation_failed'],
    [{ variables: ['shoe_size'] }, 'validation_failed'],
    [{ audience: { statuses: ['vip'] } }, 'validation_failed'],
    [{ colour: 'red' }, 'unknown_field'],
  ])('refuses %o with 422 %s', async (patch, code) => {
    const c = await company();
    await expectError(await api(c, 'POST', PATH, { ...valid, ...patch }), 422, code);
  });

  it('needs an existing template, approved if the item is enabled', async () => {
    const c = await company();
    await expectError(
      await api(c, 'POST', PATH, { ...valid, template: { name: 'nope', language: 'en_GB' } }),
      422,
      'template_not_found',
    );
    const pending = { ...valid, template: { name: 'not_yet', language: 'en_GB' } };
    await expectError(await api(c, 'POST', PATH, pending), 422, 'template_not_approved');
    expect((await api(c, 'POST', PATH, { ...pending, enabled: false })).status).toBe(201);
  });
});

describe('reading, changing and deleting', () => {
  it('lists, gets, patches any field and deletes; another company sees none of it', async () => {
    const c = await company();
    const other = await company();
    const item = await makeItem(c, { ...valid });
    await makeItem(c, { ...valid, name: 'Second' });

    const list = await api(c, 'GET', `${PATH}?per_page=1`);
    expect(await list.json()).toMatchObject({
      collection: [{ name: 'Second' }],
      pagination: { total_entries: 2, total_pages: 2 },
    });

    const patched = await api(c, 'PATCH', `${PATH}/${item.id}`, {
      name: 'Birthday wishes',
      trigger: { event: 'membership_end', offset_days: -7 },
      audience: { statuses: ['member'] },
      send_window: { start: '10:00', end: '18:00' },
    });
    expect(await patched.json()).toMatchObject({
      name: 'Birthday wishes',
      trigger: { event: 'membership_end', offset_days: -7 },
      audience: { statuses: ['member'] },
      send_window: { start: '10:00', end: '18:00' },
    });

    await expectError(await api(other, 'GET', `${PATH}/${item.id}`), 404, 'not_found');
    await expectError(await api(other, 'PATCH', `${PATH}/${item.id}`, { name: 'x' }), 404, 'not_found');
    await expectError(await api(other, 'DELETE', `${PATH}/${item.id}`), 404, 'not_found');
    expect(await (await api(other, 'GET', PATH)).json()).toMatchObject({ collection: [] });

    expect((await api(c, 'DELETE', `${PATH}/${item.id}`)).status).toBe(204);
    await expectError(await api(c, 'GET', `${PATH}/${item.id}`), 404, 'not_found');
  });

  it('needs an API key', async () => {
    const res = await api({ apiKey: 'wrong' }, 'GET', PATH);
    expect(res.status).toBe(401);
  });
});

describe('preview, run and the run log', () => {
  it('previews who would be sent what and who skipped, then runs it in the background', async () => {
    const c = await company();
    const sim = await manualSimulator(c);
    const item = await makeItem(c, {
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: ALL_DAY,
      audience: { statuses: ['lead'] },
    });
    const sheena = await makePerson(c, { first_name: 'Sheena' });
    const out = await makePerson(c, { first_name: 'Out', whatsapp_opted_out: true });
    await makePerson(c, { first_name: 'Member', status: 'member' });

    const preview = await api(c, 'POST', `${PATH}/${item.id}/preview`);
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({
      in_send_window: true,
      due: 2,
      would_send: [{ person_id: sheena.id, name: 'Sheena', params: ['Sheena'], body: 'Hi Sheena!' }],
      would_skip: [{ person_id: out.id, reason: 'opted_out' }],
      truncated: false,
    });
    expect(await occurrencesOf(item.id)).toHaveLength(0);
    expect(await sim.listMessages()).toHaveLength(0);

    const run = await api(c, 'POST', `${PATH}/${item.id}/run`);
    expect(run.status).toBe(202);
    const started = (await run.json()) as { run: { id: string; kind: string; due: number }; queued: number };
    expect(started).toMatchObject({ run: { kind: 'manual', due: 2 }, queued: 2, in_send_window: true });

    await vi.waitFor(
      async () => {
        const runs = await api(c, 'GET', `${PATH}/${item.id}/runs`);
        expect(await runs.json()).toMatchObject({
          collection: [
            {
              id: started.run.id,
              due: 2,
              sent: 1,
              skipped: { opted_out: 1 },
              pending: 0,
              finished_at: expect.any(String),
            },
          ],
        });
      },
      { timeout: 15_000, interval: 200 },
    );
    expect((await sim.listMessages()).map((m) => m.to)).toEqual([sheena.phone.slice(1)]);

    // Running again finds nobody new.
    const again = await api(c, 'POST', `${PATH}/${item.id}/run`);
    expect(await again.json()).toMatchObject({ queued: 0, run: { due: 0 } });
    const preview2 = await api(c, 'POST', `${PATH}/${item.id}/preview`);
    expect(await preview2.json()).toMatchObject({ due: 0, would_send: [], would_skip: [] });
  });

  it('refuses to run a disabled item with 409', async () => {
    const c = await company();
    const item = await makeItem(c, { ...valid, enabled: false });
    await expectError(await api(c, 'POST', `${PATH}/${item.id}/run`), 409, 'automation_disabled');
  });
});

describe('the admin throughput setting', () => {
  it('messages_per_second defaults to 80 and can be raised to 1,000', async () => {
    const admin = { Authorization: 'Bearer test-admin-token', 'Content-Type': 'application/json' };
    const { exports } = await import('cloudflare:workers');
    const created = await exports.default.fetch('http://clubchat.test/api/admin/companies', {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Fast Gym', timezone: 'Europe/London' }),
    });
    const { id } = (await created.json()) as { id: string };
    const config = {
      enabled: true,
      waba_id: `29${Math.floor(Math.random() * 1e12)}`,
      phone_number_id: `19${Math.floor(Math.random() * 1e12)}`,
      display_phone_number: '15550100002',
      access_token: 'sandbox-token',
    };
    const put = (body: unknown) =>
      exports.default.fetch(`http://clubchat.test/api/admin/companies/${id}/whatsapp`, {
        method: 'PUT',
        headers: admin,
        body: JSON.stringify(body),
      });
    expect(await (await put(config)).json()).toMatchObject({ whatsapp: { messages_per_second: 80 } });
    expect(await (await put({ ...config, messages_per_second: 1000 })).json()).toMatchObject({
      whatsapp: { messages_per_second: 1000 },
    });
    expect((await put({ ...config, messages_per_second: 5000 })).status).toBe(422);
  });
});
