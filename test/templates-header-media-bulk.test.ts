// Automated items and broadcasts sending a template with a photo header: the item's or broadcast's own file
// (stored on it, checked by the header's rules when set), else the template's default; with neither, every
// person is skipped as missing a value, and nothing reaches Meta.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import type { HeaderMedia } from '#common/templates/header-media';
import { getDb } from '../worker/db/client';
import { templates } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { processOccurrences } from '../worker/whatsapp/automations/consumer';
import { ALL_DAY as ITEM_DAY, makeItem, sweepAt as sweepItemAt } from './helpers/automations';
import { act, inAnHour, makeBroadcast, recipientsOf, runAt } from './helpers/broadcasts';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { manualSimulator } from './helpers/sandbox';

vi.setConfig({ testTimeout: 30_000 });

/** An approved MARKETING template with a photo header and one body variable, as a sync would store it. */
async function photoTemplate(company: TestCompany, name: string, headerMedia: HeaderMedia | null) {
  await getDb(env)
    .insert(templates)
    .values({
      id: newId('tpl'),
      companyId: company.id,
      name,
      language: 'en_GB',
      category: 'MARKETING',
      status: 'APPROVED',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['2:x'] } },
        { type: 'BODY', text: 'Hi {{1}}, our summer timetable is out.' },
      ],
      variables: ['1'],
      headerMedia,
    });
}

async function setUp(headerMedia: HeaderMedia | null) {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  await photoTemplate(company, 'open_day', headerMedia);
  return { company, sim };
}

const headerOf = (request: unknown) =>
  (request as { template?: { components?: { type: string; parameters: unknown[] }[] } }).template?.components?.find(
    (c) => c.type === 'header',
  )?.parameters[0];

describe('a broadcast of a photo-header template', () => {
  it("sends its own file to everyone, and the template's default when it names none", async () => {
    const { company, sim } = await setUp({ type: 'image', link: 'https://example.com/default.png' });
    await makePerson(company, { first_name: 'Sheena' });
    const own = await makeBroadcast(company, { header_media: { link: 'https://example.com/summer.png' } });
    expect(own).toMatchObject({ header_media: { type: 'image', link: 'https://example.com/summer.png' } });
    expect((await act(company, own.id, 'start')).status).toBe(200);
    await runAt(company, own.id, inAnHour());
    const plain = await makeBroadcast(company, { name: 'Plain' });
    expect((await act(company, plain.id, 'start')).status).toBe(200);
    await runAt(company, plain.id, inAnHour());
    expect((await sim.listMessages()).map((m) => headerOf(m.request))).toEqual([
      { type: 'image', image: { link: 'https://example.com/summer.png' } },
      { type: 'image', image: { link: 'https://example.com/default.png' } },
    ]);
  });

  it('refuses a file the header cannot take (422 invalid_media), and skips everyone when there is no file at all', async () => {
    const { company, sim } = await setUp(null);
    await makePerson(company);
    const res = await api(company, 'POST', '/api/v1/whatsapp/broadcasts', {
      name: 'Bad',
      template: { name: 'open_day', language: 'en_GB' },
      start_at: new Date(Date.now() + 3_600_000).toISOString(),
      header_media: { link: 'https://example.com/a.pdf', filename: 'a.pdf' },
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'invalid_media',
      message: expect.stringMatching(/Only a document header has a file name/),
    });
    const b = await makeBroadcast(company);
    expect((await act(company, b.id, 'start')).status).toBe(200);
    await runAt(company, b.id, inAnHour());
    expect((await recipientsOf(b.id)).map((r) => [r.state, r.reason])).toEqual([['skipped', 'missing_variable']]);
    expect(await sim.listMessages()).toEqual([]);
  });
});

describe('an automated item with a photo-header template', () => {
  it('sends the file stored on the item; changing the template clears it for that template’s default', async () => {
    const { company, sim } = await setUp(null);
    const item = await makeItem(company, {
      template: { name: 'open_day', language: 'en_GB' },
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: ITEM_DAY,
      header_media: { link: 'https://example.com/tour.jpg' },
    });
    expect(item).toMatchObject({ header_media: { type: 'image', link: 'https://example.com/tour.jpg' } });
    await makePerson(company, { first_name: 'Sheena' });
    const now = Date.now();
    const swept = await sweepItemAt(company, item.id, now);
    await processOccurrences(env, swept.ids, now);
    expect((await sim.listMessages()).map((m) => headerOf(m.request))).toEqual([
      { type: 'image', image: { link: 'https://example.com/tour.jpg' } },
    ]);

    await photoTemplate(company, 'open_day_two', { type: 'image', link: 'https://example.com/two.png' });
    const res = await api(company, 'PATCH', `/api/v1/whatsapp/automations/${item.id}`, {
      template: { name: 'open_day_two', language: 'en_GB' },
    });
    expect(((await res.json()) as { header_media: unknown }).header_media).toBeNull();
  });
});
