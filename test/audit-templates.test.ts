// The audit log's entries for templates: created, mapped, deleted by people; status and category changes by
// Meta (webhooks) and by syncs; the sandbox's reviewer. Exactly one entry per change, none when refused.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { syncTemplates } from '../worker/whatsapp/templates/sync';
import { auditOf, testIp } from './helpers/audit';
import { api, makeCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';
import { approvedTemplate, createTemplate, manualWaba, renewalTemplate, wabaSimulator } from './helpers/templates';
import { postWebhook } from './helpers/webhooks';

const keyActor = { kind: 'api_key', id: expect.stringMatching(/^key_/), name: 'test key' };
const meta = { kind: 'system', id: 'meta', name: 'Meta' };

describe('templates changed by people', () => {
  it('a manager submits one: template.created by them, then Meta approves: status_changed by Meta', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    const manager = await staffSession(company, 'manager');
    const ip = testIp();
    const res = await manager.fetch('/api/v1/whatsapp/templates', {
      method: 'POST',
      body: renewalTemplate(),
      headers: { 'CF-Connecting-IP': ip },
    });
    expect(res.status).toBe(201);
    const t = (await res.json()) as { id: string };
    expect(await waba.flushWebhooks()).toEqual([200]);
    expect(await auditOf(company.id)).toEqual([
      expect.objectContaining({
        actor: { kind: 'user', id: manager.user.id, name: 'Test manager' },
        ip,
        action: 'template.created',
        target: { type: 'template', id: t.id },
        details: { name: 'class_reminder', language: 'en_GB', category: 'UTILITY', status: 'PENDING' },
      }),
      expect.objectContaining({
        actor: meta,
        ip: null,
        action: 'template.status_changed',
        target: { type: 'template', id: t.id },
        details: {
          name: 'class_reminder',
          language: 'en_GB',
          from: 'PENDING',
          to: 'APPROVED',
          reason: null,
          event: 'APPROVED',
        },
      }),
    ]);
  });

  it('nothing is logged when Meta refuses the submission or the name is taken', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    await wabaSimulator(company).queueFaults([{ kind: 'http', status: 400, code: 200, title: 'Permissions error' }]);
    expect((await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate())).status).toBe(502);
    expect(await auditOf(company.id)).toEqual([]);
    await createTemplate(company, renewalTemplate());
    await expectError(
      await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate()),
      409,
      'template_exists',
    );
    expect((await auditOf(company.id)).map((e) => e.action)).toEqual(['template.created']);
  });

  it('a new variable mapping is template.updated with from and to; a refused or unchanged one is not', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const t = await createTemplate(company, renewalTemplate());
    const map = { '1': 'first_name' };
    const ip = testIp();
    const patch = (variable_map: unknown, headers = {}) =>
      api(company, 'PATCH', `/api/v1/whatsapp/templates/${t.id}`, { variable_map }, headers);
    expect((await patch(map, { 'CF-Connecting-IP': ip })).status).toBe(200);
    expect((await patch(map)).status).toBe(200);
    await expectError(await patch({ '9': 'first_name' }), 422, 'invalid_template');
    expect(await auditOf(company.id, 'template.updated')).toEqual([
      expect.objectContaining({
        actor: keyActor,
        ip,
        target: { type: 'template', id: t.id },
        details: { name: 'class_reminder', language: 'en_GB', variable_map: { from: {}, to: map } },
      }),
    ]);
  });

  it('a deletion is template.deleted, naming what went', async () => {
    const company = await makeCompany();
    const t = await approvedTemplate(company, renewalTemplate());
    const ip = testIp();
    const res = await api(company, 'DELETE', `/api/v1/whatsapp/templates/${t.id}`, undefined, {
      'CF-Connecting-IP': ip,
    });
    expect(res.status).toBe(204);
    expect((await api(company, 'DELETE', `/api/v1/whatsapp/templates/${t.id}`)).status).toBe(404);
    expect(await auditOf(company.id, 'template.deleted')).toEqual([
      expect.objectContaining({
        actor: keyActor,
        ip,
        target: { type: 'template', id: t.id },
        details: { name: 'class_reminder', language: 'en_GB', status: 'APPROVED' },
      }),
    ]);
  });
});

describe("Meta's webhooks", () => {
  const webhook = (wabaId: string, field: string, value: Record<string, unknown>, offsetSeconds = 0) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000) + offsetSeconds, changes: [{ field, value }] }],
  });

  it('a status change is logged once; a stale one, or the same status again, is not', async () => {
    const company = await makeCompany();
    const t = await approvedTemplate(company, renewalTemplate());
    const status = (event: string, offset: number) =>
      webhook(
        company.wabaId,
        'message_template_status_update',
        { event, message_template_id: Number(t.meta_id), reason: 'NONE' },
        offset,
      );
    expect((await postWebhook(status('PAUSED', 60))).status).toBe(200);
    expect((await postWebhook(status('PAUSED', 61))).status).toBe(200);
    expect((await postWebhook(status('PENDING', -120))).status).toBe(200);
    expect(
      (await auditOf(company.id, 'template.status_changed')).map((e) => [e.actor.id, e.details?.from, e.details?.to]),
    ).toEqual([
      ['meta', 'PENDING', 'APPROVED'],
      ['meta', 'APPROVED', 'PAUSED'],
    ]);
  });

  it('a category change is template.updated by Meta, with from and to', async () => {
    const company = await makeCompany();
    const t = await approvedTemplate(company, renewalTemplate());
    const change = webhook(company.wabaId, 'template_category_update', {
      message_template_id: Number(t.meta_id),
      previous_category: 'UTILITY',
      new_category: 'MARKETING',
    });
    expect((await postWebhook(change)).status).toBe(200);
    expect((await postWebhook(change)).status).toBe(200);
    expect(await auditOf(company.id, 'template.updated')).toEqual([
      expect.objectContaining({
        actor: meta,
        ip: null,
        target: { type: 'template', id: t.id },
        details: { name: 'class_reminder', language: 'en_GB', category: { from: 'UTILITY', to: 'MARKETING' } },
      }),
    ]);
  });
});

describe('syncs', () => {
  it('log imports, status changes and deletions, as whoever asked or as the hourly sync', async () => {
    const company = await makeCompany();
    const waba = await manualWaba(company);
    const paused = await approvedTemplate(company, renewalTemplate({ name: 'paused_later' }));
    const gone = await approvedTemplate(company, renewalTemplate({ name: 'gone' }));
    await waba.setTemplateStatus({ name: 'paused_later', event: 'PAUSED', notify: false });
    await waba.putTemplate({
      name: 'from_manager',
      language: 'en_GB',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello there' }],
    });
    const ip = testIp();
    const res = await api(company, 'POST', '/api/v1/whatsapp/templates/sync', undefined, { 'CF-Connecting-IP': ip });
    expect(res.status).toBe(200);
    const bySync = (await auditOf(company.id)).filter((e) => e.details?.source === 'meta_sync');
    expect(bySync).toHaveLength(2);
    // In the order of Meta's list: one batch, one time.
    expect(bySync).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: keyActor,
          ip,
          action: 'template.created',
          details: expect.objectContaining({ name: 'from_manager', status: 'APPROVED', source: 'meta_sync' }),
        }),
        expect.objectContaining({
          actor: keyActor,
          action: 'template.status_changed',
          target: { type: 'template', id: paused.id },
          details: expect.objectContaining({ from: 'APPROVED', to: 'PAUSED' }),
        }),
      ]),
    );

    // Deleted in WhatsApp Manager; the hourly sync finds out.
    await waba.setTemplateStatus({ name: 'gone', event: 'DISABLED', notify: false });
    await syncTemplates(env, company.id);
    const hourly = (await auditOf(company.id)).filter((e) => e.actor.id === 'template_sync');
    expect(hourly).toEqual([
      expect.objectContaining({
        actor: { kind: 'system', id: 'template_sync', name: 'Hourly template sync' },
        ip: null,
        action: 'template.status_changed',
        target: { type: 'template', id: gone.id },
        details: expect.objectContaining({ from: 'APPROVED', to: 'DISABLED' }),
      }),
    ]);
    // Nothing changed since: nothing logged.
    const before = (await auditOf(company.id)).length;
    await syncTemplates(env, company.id);
    expect(await auditOf(company.id)).toHaveLength(before);
  });
});

describe("the sandbox's reviewer", () => {
  it("a manager's rejection is logged as theirs, and the status it causes as Meta's", async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const manager = await staffSession(company, 'manager');
    const t = await createTemplate(company, renewalTemplate());
    const ip = testIp();
    const res = await manager.fetch('/sandbox/templates/status', {
      method: 'POST',
      body: { name: 'class_reminder', event: 'REJECTED', reason: 'INVALID_FORMAT' },
      headers: { 'CF-Connecting-IP': ip },
    });
    expect(await res.json()).toEqual({ webhook_statuses: [200] });
    expect((await auditOf(company.id)).slice(1)).toEqual([
      expect.objectContaining({
        actor: meta,
        action: 'template.status_changed',
        target: { type: 'template', id: t.id },
        details: expect.objectContaining({ from: 'PENDING', to: 'REJECTED', reason: 'INVALID_FORMAT' }),
      }),
      expect.objectContaining({
        actor: { kind: 'user', id: manager.user.id, name: 'Test manager' },
        ip,
        action: 'template.review_simulated',
        target: { type: 'template', id: t.id },
        details: { name: 'class_reminder', language: 'en_GB', event: 'REJECTED', reason: 'INVALID_FORMAT' },
      }),
    ]);
  });
});
