// POST /templates/sync and the hourly cron: Meta's list is the truth.
import { createScheduledController } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb } from '../worker/db/client';
import { templates } from '../worker/db/schema';
import worker from '../worker/index';
import { CRON } from '../worker/scheduled';
import { metaTemplatesFor } from '../worker/whatsapp/templates/meta-templates';
import { syncTemplates } from '../worker/whatsapp/templates/sync';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, historyOf, manualSimulator } from './helpers/sandbox';
import {
  approvedTemplate,
  createTemplate,
  getTemplateJson,
  manualWaba,
  renewalTemplate,
  type TemplateJson,
  wabaSimulator,
} from './helpers/templates';

const sync = async (company: TestCompany) => {
  const res = await api(company, 'POST', '/api/v1/whatsapp/templates/sync');
  expect(res.status).toBe(200);
  return res.json();
};

const list = async (company: TestCompany) => {
  const res = await api(company, 'GET', '/api/v1/whatsapp/templates?per_page=100');
  return ((await res.json()) as { collection: TemplateJson[] }).collection;
};

/** Deleted at Meta directly (WhatsApp Manager), so we never heard. */
async function deleteAtMeta(company: TestCompany, name: string) {
  const res = await exports.default.fetch(
    `http://meta.sandbox/sandbox/graph/v23.0/${company.wabaId}/message_templates?name=${name}`,
    { method: 'DELETE', headers: { Authorization: 'Bearer x' } },
  );
  expect(res.status).toBe(200);
}

describe('sync', () => {
  it('imports, updates and marks deleted, answering the counts', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    const kept = await approvedTemplate(company, renewalTemplate({ name: 'kept' }));
    const paused = await approvedTemplate(company, renewalTemplate({ name: 'paused_later' }));
    const gone = await approvedTemplate(company, renewalTemplate({ name: 'gone' }));
    // Meta changes behind our back: a webhook we missed, one made in WhatsApp Manager, one deleted there.
    await waba.setTemplateStatus({ name: 'paused_later', event: 'PAUSED', notify: false });
    await waba.setTemplateCategory({ name: 'kept', category: 'MARKETING', notify: false });
    await waba.putTemplate({
      name: 'from_manager',
      language: 'es',
      category: 'UTILITY',
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Hola {{first_name}}, bienvenida.' }],
    });
    await deleteAtMeta(company, 'gone');

    expect(await sync(company)).toEqual({ imported: 1, updated: 2, deleted: 1, unchanged: 0, skipped: 0 });
    expect(await getTemplateJson(company, kept.id)).toMatchObject({ category: 'MARKETING', status: 'APPROVED' });
    expect(await getTemplateJson(company, paused.id)).toMatchObject({ status: 'PAUSED' });
    // Kept for the history that used it, but no longer sendable.
    expect(await getTemplateJson(company, gone.id)).toMatchObject({ status: 'DELETED' });
    const imported = (await list(company)).find((t) => t.name === 'from_manager');
    expect(imported).toMatchObject({
      language: 'es',
      status: 'APPROVED',
      parameter_format: 'NAMED',
      variables: ['first_name'],
    });

    // A second sync changes nothing.
    expect(await sync(company)).toEqual({ imported: 0, updated: 0, deleted: 0, unchanged: 3, skipped: 0 });
  });

  it('two syncs at once import a template once', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    await waba.putTemplate({
      name: 'from_manager',
      language: 'en_GB',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello there' }],
    });
    await Promise.all([sync(company), sync(company)]);
    expect((await list(company)).map((t) => t.name)).toEqual(['from_manager']);
  });

  it("follows every page of Meta's list", async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    for (let i = 0; i < 105; i++)
      await waba.putTemplate({
        name: `bulk_${i}`,
        language: 'en_GB',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hello there' }],
      });
    expect(await sync(company)).toMatchObject({ imported: 105 });
    const count = await getDb(env).$count(templates, eq(templates.companyId, company.id));
    expect(count).toBe(105);
  });

  it('a template marked DELETED answers template_not_approved, keeps the history, and deletes locally only', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const t = await approvedTemplate(company, renewalTemplate());
    const sent = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      template: { name: 'class_reminder', language: 'en_GB', params: ['Sheena', 'Spin'] },
    });
    expect(sent.status).toBe(202);
    await deleteAtMeta(company, 'class_reminder');
    await sync(company);
    await expectError(
      await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
        template: { name: 'class_reminder', language: 'en_GB', params: ['Sheena', 'Spin'] },
      }),
      422,
      'template_not_approved',
    );
    expect((await historyOf(company, person.id))[0]?.template?.name).toBe('class_reminder');
    expect((await api(company, 'DELETE', `/api/v1/whatsapp/templates/${t.id}`)).status).toBe(204);
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('answers 502 meta_error when Meta cannot list, and changes nothing', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    const t = await approvedTemplate(company, renewalTemplate());
    await waba.queueFaults([{ kind: 'http', status: 500, code: 2, title: 'Service temporarily unavailable' }]);
    const res = await api(company, 'POST', '/api/v1/whatsapp/templates/sync');
    await expectError(res, 502, 'meta_error');
    expect((await getTemplateJson(company, t.id)).status).toBe('APPROVED');
  });
});

describe('a webhook that arrives while a sync runs', () => {
  /** Syncs with a webhook from Meta applied right after Meta's list was read, before the sync writes. */
  async function syncWithWebhookAfterList(company: TestCompany, webhook: () => Promise<void>) {
    const meta = metaTemplatesFor(env);
    let raced = false;
    await syncTemplates(env, company.id, {
      replay: false,
      meta: {
        ...meta,
        list: async (creds) => {
          const listed = await meta.list(creds);
          raced = true;
          await webhook();
          return listed;
        },
      },
    });
    expect(raced).toBe(true);
  }

  it('keeps a PAUSED that came after Meta listed the template APPROVED, and sends stay refused', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    await manualSimulator(company);
    const person = await makePerson(company);
    const t = await approvedTemplate(company, renewalTemplate());
    await syncWithWebhookAfterList(company, async () => {
      expect(await waba.setTemplateStatus({ name: 'class_reminder', event: 'PAUSED' })).toEqual([200]);
    });

    expect(await getTemplateJson(company, t.id)).toMatchObject({ status: 'PAUSED' });
    await expectError(
      await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
        template: { name: 'class_reminder', language: 'en_GB', params: ['Sheena', 'Spin'] },
      }),
      422,
      'template_not_approved',
    );
  });

  it('keeps an APPROVED that came after Meta listed the template PAUSED, and sends go', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    await manualSimulator(company);
    const person = await makePerson(company);
    const t = await approvedTemplate(company, renewalTemplate());
    expect(await waba.setTemplateStatus({ name: 'class_reminder', event: 'PAUSED' })).toEqual([200]);
    await syncWithWebhookAfterList(company, async () => {
      expect(await waba.setTemplateStatus({ name: 'class_reminder', event: 'REINSTATED' })).toEqual([200]);
    });

    expect(await getTemplateJson(company, t.id)).toMatchObject({ status: 'APPROVED' });
    const sent = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      template: { name: 'class_reminder', language: 'en_GB', params: ['Sheena', 'Spin'] },
    });
    expect(sent.status).toBe(202);
  });

  it('does not mark DELETED a template created after Meta listed the WABA', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    let created: TemplateJson | undefined;
    await syncWithWebhookAfterList(company, async () => {
      created = await createTemplate(company, renewalTemplate());
    });
    if (!created) throw new Error('no template created');
    expect(await getTemplateJson(company, created.id)).toMatchObject({ status: 'PENDING' });
    // Meta's review arrives as usual.
    expect(await waba.flushWebhooks()).toEqual([200]);
    expect(await getTemplateJson(company, created.id)).toMatchObject({ status: 'APPROVED' });
  });
});

describe('the hourly cron', () => {
  it('syncs every enabled company and skips disabled ones', async () => {
    const a = await makeCompany();
    const b = await makeCompany();
    const off = await makeCompany({ whatsapp: false });
    for (const c of [a, b, off])
      await wabaSimulator(c).putTemplate({
        name: 'from_manager',
        language: 'en_GB',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hello there' }],
      });
    await worker.scheduled(createScheduledController({ cron: CRON.hourly, scheduledTime: Date.now() }), env);
    expect((await list(a)).map((t) => t.name)).toEqual(['from_manager']);
    expect((await list(b)).map((t) => t.name)).toEqual(['from_manager']);
    expect(await list(off)).toEqual([]);
  });
});
