// An automated item's audience by lead source, like a broadcast's: 'ad' takes the people who came from a
// click-to-WhatsApp ad, ad_ids those of particular ads; the preview and the sweep agree, and a wrong value is 422.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../worker/db/client';
import { people } from '../worker/db/schema';
import { processOccurrences } from '../worker/whatsapp/automations/consumer';
import { ALL_DAY, makeItem, sweepAt } from './helpers/automations';
import { api, approveTemplate, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, manualSimulator } from './helpers/sandbox';

vi.setConfig({ testTimeout: 30_000 });

const PATH = '/api/v1/whatsapp/automations';

/**
 * A company with one person_created item per audience, then (after them: such an item takes only people created
 * after it) two ad leads and a walk-in.
 */
async function withAdLeads(audiences: Record<string, unknown>[]) {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  await approveTemplate(company.id, { name: 'come_back' });
  const items = [];
  for (const audience of audiences)
    items.push(
      await makeItem(company, {
        trigger: { event: 'person_created', offset_hours: 0 },
        send_window: ALL_DAY,
        audience,
      }),
    );
  const spring = await makePerson(company, { first_name: 'Spring' });
  const summer = await makePerson(company, { first_name: 'Summer' });
  await makePerson(company, { first_name: 'Walkin' });
  // The inbound batch sets people.ad_source_id from Meta's referral (ad-leads.test.ts); here it is set as it would be.
  await getDb(env).update(people).set({ adSourceId: 'ad_spring' }).where(eq(people.id, spring.id));
  await getDb(env).update(people).set({ adSourceId: 'ad_summer' }).where(eq(people.id, summer.id));
  return { company, sim, items, summer };
}

async function previewNames(company: TestCompany, itemId: string): Promise<string[]> {
  const res = await api(company, 'POST', `${PATH}/${itemId}/preview`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { would_send: { name: string }[] };
  return body.would_send.map((p) => p.name).sort();
}

describe("an automated item's lead source", () => {
  it("source 'ad' takes those who came from an ad, ad_ids those of one ad; the item keeps what it was given", async () => {
    const { company, items } = await withAdLeads([{ source: 'ad' }, { ad_ids: ['ad_summer'] }, { statuses: ['lead'] }]);
    const [fromAds, fromSummer, leads] = items.map((i) => i.id);
    expect(await previewNames(company, fromAds ?? '')).toEqual(['Spring', 'Summer']);
    expect(await previewNames(company, fromSummer ?? '')).toEqual(['Summer']);
    expect(await previewNames(company, leads ?? '')).toEqual(['Spring', 'Summer', 'Walkin']);
    expect(await (await api(company, 'GET', `${PATH}/${fromSummer}`)).json()).toMatchObject({
      audience: { ad_ids: ['ad_summer'] },
    });
  });

  it('the sweep sends to the ad leads only', async () => {
    const { company, sim, items, summer } = await withAdLeads([{ ad_ids: ['ad_summer'] }]);
    const now = Date.now() + 60_000;
    const swept = await sweepAt(company, items[0]?.id ?? '', now);
    await processOccurrences(env, swept.ids, now, company.id);
    expect((await sim.listMessages()).map((m) => m.to)).toEqual([summer.phone.slice(1)]);
  });

  it.each([[{ source: 'website' }], [{ ad_ids: [] }], [{ ad_ids: Array.from({ length: 21 }, (_, i) => `ad_${i}`) }]])(
    'refuses the audience %o with 422',
    async (audience) => {
      const company = await makeCompany();
      await approveTemplate(company.id, { name: 'come_back' });
      const res = await api(company, 'POST', PATH, {
        name: 'Ads',
        template: { name: 'come_back', language: 'en_GB' },
        variables: ['first_name'],
        sale_type: 'membership',
        trigger: { event: 'date_of_birth' },
        audience,
      });
      await expectError(res, 422, 'validation_failed');
    },
  );
});
