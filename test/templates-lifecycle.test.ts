// A template's life as Meta reports it: review, rejection, pause, category change; sends follow its status.
import { runDurableObjectAlarm } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../worker/db/client';
import { webhookDeadLetters } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { replayKeptTemplateUpdates } from '../worker/whatsapp/templates/webhook';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { conversation, expectError, historyOf, manualSimulator } from './helpers/sandbox';
import { createTemplate, getTemplateJson, manualWaba, renewalTemplate, wabaSimulator } from './helpers/templates';
import { postWebhook } from './helpers/webhooks';

async function setUp() {
  const company = await makeCompany();
  const waba = await manualWaba(company);
  const sim = await manualSimulator(company);
  const person = await makePerson(company, { first_name: 'Sheena' });
  return { company, waba, sim, person };
}

const send = (company: Parameters<typeof api>[0], personId: string, params?: unknown, name = 'class_reminder') =>
  api(company, 'POST', `/api/v1/people/${personId}/whatsapp/messages`, {
    template: { name, language: 'en_GB', ...(params === undefined ? {} : { params }) },
  });

const templateWebhook = (wabaId: string, field: string, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ field, value }] }],
});

describe('submit -> PENDING -> APPROVED by webhook -> send', () => {
  it('refuses to send while PENDING, and sends once Meta approves', async () => {
    const { company, waba, sim, person } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    expect(t.status).toBe('PENDING');
    await expectError(await send(company, person.id, ['Sheena', 'Spin']), 422, 'template_not_approved');
    expect(await sim.listMessages()).toEqual([]);

    // The simulator's review: a signed message_template_status_update with the id as a JSON number.
    expect(await waba.flushWebhooks()).toEqual([200]);
    const delivered = await waba.listDeliveries();
    expect(delivered[0]?.body).toContain(`"message_template_id":${t.meta_id}`);
    expect(await getTemplateJson(company, t.id)).toMatchObject({ status: 'APPROVED', rejected_reason: null });

    const res = await send(company, person.id, ['Sheena', 'Spin']);
    expect(res.status).toBe(202);
    const [sent] = await sim.listMessages();
    expect(sent?.request).toMatchObject({
      type: 'template',
      template: {
        name: 'class_reminder',
        language: { code: 'en_GB' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Sheena' },
              { type: 'text', text: 'Spin' },
            ],
          },
        ],
      },
    });
    const [note] = await historyOf(company, person.id);
    expect(note).toMatchObject({
      message_type: 'template',
      body: 'Hi Sheena, your Spin class starts soon.',
      template: { name: 'class_reminder', language: 'en_GB', category: 'UTILITY', params: ['Sheena', 'Spin'] },
    });
  });

  it.each([
    ['REJECTED', 'INVALID_FORMAT'],
    ['PAUSED', undefined],
    ['DISABLED', undefined],
  ])('a template Meta marks %s answers 422 template_not_approved', async (event, reason) => {
    const { company, waba, sim, person } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    await waba.flushWebhooks();
    expect(
      await waba.setTemplateStatus({ name: 'class_reminder', event: event as 'PAUSED', ...(reason ? { reason } : {}) }),
    ).toEqual([200]);
    expect(await getTemplateJson(company, t.id)).toMatchObject({ status: event, rejected_reason: reason ?? null });
    await expectError(await send(company, person.id, ['Sheena', 'Spin']), 422, 'template_not_approved');
    expect(await sim.listMessages()).toEqual([]);
  });

  it('a template rejected before the review lands stays rejected (the approval is dropped)', async () => {
    const { company, waba } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    await waba.setTemplateStatus({ name: 'class_reminder', event: 'REJECTED', reason: 'TAG_CONTENT_MISMATCH' });
    expect(await waba.flushWebhooks()).toEqual([]);
    expect(await getTemplateJson(company, t.id)).toMatchObject({
      status: 'REJECTED',
      rejected_reason: 'TAG_CONTENT_MISMATCH',
    });
  });

  it('a paused template that Meta reinstates goes again', async () => {
    const { company, waba, person } = await setUp();
    await createTemplate(company, renewalTemplate());
    await waba.flushWebhooks();
    await waba.setTemplateStatus({ name: 'class_reminder', event: 'PAUSED' });
    await waba.setTemplateStatus({ name: 'class_reminder', event: 'REINSTATED' });
    expect((await send(company, person.id, ['Sheena', 'Spin'])).status).toBe(202);
  });

  it('a queued message whose template is paused before it goes is not sent', async () => {
    const { company, waba, sim, person } = await setUp();
    await createTemplate(company, renewalTemplate());
    await waba.flushWebhooks();
    await sim.queueFaults([{ kind: 'http', status: 429, code: 130429, title: 'Rate limit hit' }]);
    const res = await send(company, person.id, ['Sheena', 'Spin']);
    expect(res.status).toBe(202);
    expect(((await res.json()) as { status: string }).status).toBe('queued');
    await waba.setTemplateStatus({ name: 'class_reminder', event: 'PAUSED' });
    await runDurableObjectAlarm(conversation(company, person.id));
    const [note] = await historyOf(company, person.id);
    expect(note).toMatchObject({ status: 'failed', error: { code: 'template_not_approved' } });
  });
});

describe('category updates', () => {
  it('applies template_category_update, found by Meta id', async () => {
    const { company, waba } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    expect(await waba.setTemplateCategory({ name: 'class_reminder', category: 'MARKETING' })).toEqual([200]);
    expect((await getTemplateJson(company, t.id)).category).toBe('MARKETING');
  });

  it('finds the template by name and language when the id is not ours', async () => {
    const { company } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    const res = await postWebhook(
      templateWebhook(company.wabaId, 'template_category_update', {
        message_template_id: 999,
        message_template_name: 'class_reminder',
        message_template_language: 'en_GB',
        previous_category: 'UTILITY',
        new_category: 'MARKETING',
      }),
    );
    expect(res.status).toBe(200);
    expect((await getTemplateJson(company, t.id)).category).toBe('MARKETING');
  });
});

describe('updates for templates we do not have', () => {
  it('keeps one that arrives before the template is stored, and applies it when the template is created', async () => {
    const { company, waba } = await setUp();
    // Meta's review overtakes our create; the id is unknowable here, so it is found by name and language.
    const early = templateWebhook(company.wabaId, 'message_template_status_update', {
      event: 'APPROVED',
      message_template_id: 1,
      message_template_name: 'class_reminder',
      message_template_language: 'en_GB',
      reason: 'NONE',
    });
    expect((await postWebhook(early)).status).toBe(200);
    const kept = await getDb(env).select().from(webhookDeadLetters).all();
    expect(kept.filter((l) => l.rawBody.includes(company.wabaId))).toHaveLength(1);

    const t = await createTemplate(company, renewalTemplate());
    expect(t.status).toBe('APPROVED');
    const after = await getDb(env).select().from(webhookDeadLetters).all();
    expect(after.filter((l) => l.rawBody.includes(company.wabaId))).toHaveLength(0);
    await waba.flushWebhooks();
  });

  it('replays the dead letters the webhook kept before templates were handled', async () => {
    const { company, waba } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    // What webhook.ts wrote for this field before: { field, value }, without the WABA id.
    await getDb(env)
      .insert(webhookDeadLetters)
      .values({
        id: newId('dlq'),
        rawBody: JSON.stringify({
          field: 'message_template_status_update',
          value: { event: 'PAUSED', message_template_id: Number(t.meta_id), message_template_name: 'class_reminder' },
        }),
        error: 'unhandled field: message_template_status_update',
      });
    expect(await replayKeptTemplateUpdates(env)).toMatchObject({ applied: 1 });
    expect((await getTemplateJson(company, t.id)).status).toBe('PAUSED');
    await waba.flushWebhooks();
    const left = await getDb(env).select().from(webhookDeadLetters).all();
    expect(left.filter((l) => l.rawBody.includes(String(t.meta_id)))).toHaveLength(0);
  });

  it('acknowledges an update for a WABA we do not know, and keeps it', async () => {
    const res = await postWebhook(
      templateWebhook('123456789', 'message_template_status_update', {
        event: 'APPROVED',
        message_template_id: 42,
        message_template_name: 'nobody',
        message_template_language: 'en_GB',
      }),
    );
    expect(res.status).toBe(200);
    const kept = await getDb(env).select().from(webhookDeadLetters).all();
    expect(kept.some((l) => l.rawBody.includes('"waba_id":"123456789"'))).toBe(true);
  });
});

describe('the simulator', () => {
  it('approves a submission on its own after the review delay (auto delivery)', async () => {
    const company = await makeCompany();
    await wabaSimulator(company).configure({ delivery: 'auto', templateReviewMs: 0 });
    const t = await createTemplate(company, renewalTemplate());
    await vi.waitFor(async () => expect((await getTemplateJson(company, t.id)).status).toBe('APPROVED'), {
      timeout: 5000,
      interval: 50,
    });
  });

  it('can be told over HTTP to pause a template and to change its category', async () => {
    const { company, waba } = await setUp();
    const t = await createTemplate(company, renewalTemplate());
    await waba.flushWebhooks();
    const paused = await api(company, 'POST', '/sandbox/templates/status', { name: 'class_reminder', event: 'PAUSED' });
    expect(await paused.json()).toEqual({ webhook_statuses: [200] });
    const moved = await api(company, 'POST', '/sandbox/templates/category', {
      name: 'class_reminder',
      category: 'MARKETING',
    });
    expect(moved.status).toBe(200);
    expect(await getTemplateJson(company, t.id)).toMatchObject({ status: 'PAUSED', category: 'MARKETING' });
  });
});
