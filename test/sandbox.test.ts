// The Meta simulator misbehaving on purpose: faults, manual delivery, failing recipients, templates, media,
// its HTTP routes, and its refusal to run outside sandbox mode.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../worker/app';
import { sha256Hex, toHex } from '../worker/auth/crypto';
import { getDb } from '../worker/db/client';
import { apiKeys, companies } from '../worker/db/schema';
import { newId, randomToken } from '../worker/ids';
import { MetaSandbox } from '../worker/sandbox/meta-sandbox';
import { metaApiFor, SANDBOX_GRAPH_URL } from '../worker/whatsapp/meta';
import type { MetaCredentials, OutboundMessage } from '../worker/whatsapp/meta/types';
import { messagesValueSchema, statusSchema, webhookPayloadSchema } from '../worker/whatsapp/meta/webhook-schema';
import { api, makeCompany, uniquePhone } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { appFetch, staffSession } from './helpers/staff';
import { approvedTemplate, getTemplateJson, renewalTemplate, wabaSimulator } from './helpers/templates';

const meta = metaApiFor(env);

async function sandboxNumber(delivery: 'auto' | 'manual' = 'manual') {
  const company = await makeCompany();
  const sandbox = env.META_SANDBOX.getByName(company.phoneNumberId);
  await sandbox.configure({ delivery });
  const creds: MetaCredentials = { phoneNumberId: company.phoneNumberId, accessToken: 'test-access-token' };
  return { company, sandbox, creds };
}

const waId = (): string => uniquePhone().slice(1);
const hello = (to: string, callbackData = 'msg_1'): OutboundMessage => ({
  to,
  content: { kind: 'text', text: 'Hello!' },
  callbackData,
});

/** The statuses inside each delivered webhook, in delivery order. */
function statusesOf(bodies: string[]) {
  return bodies.flatMap((body) => {
    const value = messagesValueSchema.parse(webhookPayloadSchema.parse(JSON.parse(body)).entry[0]?.changes[0]?.value);
    return (value.statuses ?? []).map((s) => statusSchema.parse(s));
  });
}

const graph = (path: string, init: RequestInit = {}) =>
  exports.default.fetch(`${SANDBOX_GRAPH_URL}${path}`, {
    ...init,
    headers: { Authorization: 'Bearer test-token', 'Content-Type': 'application/json', ...init.headers },
  });

describe('faults', () => {
  it('answers a queued 429 once, accepting nothing, then accepts the retry: exactly one message', async () => {
    const { sandbox, creds } = await sandboxNumber();
    await sandbox.queueFaults([{ kind: 'http', status: 429, code: 130429, retryAfterSeconds: 2 }]);
    const to = waId();
    const first = await meta.sendMessage(creds, hello(to));
    expect(first).toMatchObject({ kind: 'retryable', retryAfterMs: 2000, error: { code: 130429, httpStatus: 429 } });
    expect(await sandbox.listMessages()).toEqual([]);
    expect(await sandbox.pendingWebhooks()).toBe(0);

    const retry = await meta.sendMessage(creds, hello(to));
    expect(retry.kind).toBe('accepted');
    expect(await sandbox.listMessages()).toHaveLength(1);
  });

  it('consumes faults first in, first out, one per send', async () => {
    const { sandbox, creds } = await sandboxNumber();
    await sandbox.queueFaults([
      { kind: 'http', status: 400, code: 131047 },
      { kind: 'http', status: 503, code: 131000 },
    ]);
    const to = waId();
    expect(await meta.sendMessage(creds, hello(to))).toMatchObject({
      kind: 'permanent',
      error: { code: 131047, title: 'Re-engagement message' },
    });
    expect(await meta.sendMessage(creds, hello(to))).toMatchObject({ kind: 'retryable', error: { code: 131000 } });
    expect((await meta.sendMessage(creds, hello(to))).kind).toBe('accepted');
  });

  it('on a timeout fault, accepts and records the message and queues its statuses while the client sees unknown', async () => {
    const { sandbox, creds } = await sandboxNumber();
    await sandbox.queueFaults([{ kind: 'timeout' }]);
    const to = waId();
    const outcome = await meta.sendMessage(creds, hello(to, 'msg_timeout'));
    expect(outcome.kind).toBe('unknown');
    const [recorded] = await sandbox.listMessages();
    expect(recorded).toMatchObject({ to, callbackData: 'msg_timeout' });
    // The statuses still arrive, carrying our id: the only way to learn the fate of that send.
    await sandbox.flushWebhooks();
    const statuses = statusesOf((await sandbox.listDeliveries()).map((d) => d.body));
    expect(statuses.map((s) => [s.id, s.status, s.biz_opaque_callback_data])).toEqual([
      [recorded?.wamid, 'sent', 'msg_timeout'],
      [recorded?.wamid, 'delivered', 'msg_timeout'],
      [recorded?.wamid, 'read', 'msg_timeout'],
    ]);
  });
});

describe('webhook delivery', () => {
  it('in manual mode holds webhooks, then delivers them reversed and twice each', async () => {
    const { sandbox, creds } = await sandboxNumber();
    const outcome = await meta.sendMessage(creds, hello(waId()));
    expect(outcome.kind).toBe('accepted');
    expect(await sandbox.listDeliveries()).toEqual([]);
    expect(await sandbox.pendingWebhooks()).toBe(3);

    const statuses = await sandbox.flushWebhooks({ order: 'reverse', duplicate: true });
    expect(statuses).toHaveLength(6);
    expect(await sandbox.pendingWebhooks()).toBe(0);
    const deliveries = await sandbox.listDeliveries();
    expect(statusesOf(deliveries.map((d) => d.body)).map((s) => s.status)).toEqual([
      'read',
      'read',
      'delivered',
      'delivered',
      'sent',
      'sent',
    ]);
    // A duplicate is the same bytes with the same signature, as Meta's redeliveries are.
    expect(deliveries[1]?.body).toBe(deliveries[0]?.body);
    expect(deliveries[1]?.signature).toBe(deliveries[0]?.signature);
    expect(deliveries.map((d) => d.status)).toEqual(statuses);
  });

  it('emits only the configured statuses', async () => {
    const { sandbox, creds } = await sandboxNumber();
    await sandbox.configure({ statuses: ['delivered'] });
    await meta.sendMessage(creds, hello(waId()));
    await sandbox.flushWebhooks();
    expect(statusesOf((await sandbox.listDeliveries()).map((d) => d.body)).map((s) => s.status)).toEqual(['delivered']);
  });

  it('in auto mode delivers due webhooks from the alarm and keeps the ones not answered 2xx for a retry', async () => {
    const { sandbox, creds } = await sandboxNumber('auto');
    await sandbox.configure({ delayMs: 0 });
    await meta.sendMessage(creds, hello(waId()));
    expect(await runDurableObjectAlarm(sandbox)).toBe(true);
    const deliveries = await sandbox.listDeliveries();
    expect(deliveries).toHaveLength(3);
    expect(deliveries.every((d) => d.attempt === 1)).toBe(true);
    const refused = deliveries.filter((d) => d.status < 200 || d.status >= 300).length;
    expect(await sandbox.pendingWebhooks()).toBe(refused);
    await sandbox.reset();
  });

  it('makes sends to a failing recipient accepted, then failed with Meta error details', async () => {
    const { sandbox, creds } = await sandboxNumber();
    const to = waId();
    await sandbox.failRecipient(`+${to}`, 131026);
    const outcome = await meta.sendMessage(creds, hello(to, 'msg_fail'));
    expect(outcome.kind).toBe('accepted');
    await sandbox.flushWebhooks();
    const statuses = statusesOf((await sandbox.listDeliveries()).map((d) => d.body));
    // Accepted, reported sent, then failed: never delivered or read.
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'failed']);
    expect(statuses[0]?.errors).toBeUndefined();
    expect(statuses[1]).toMatchObject({
      status: 'failed',
      recipient_id: to,
      biz_opaque_callback_data: 'msg_fail',
      errors: [
        {
          code: 131026,
          title: 'Message undeliverable',
          message: 'Message undeliverable',
          error_data: { details: 'Message undeliverable' },
        },
      ],
    });
    // Someone else still gets the normal statuses; with no `sent` configured, a failure is reported alone.
    await meta.sendMessage(creds, hello(waId()));
    expect(await sandbox.flushWebhooks()).toHaveLength(3);
    await sandbox.configure({ statuses: [] });
    await meta.sendMessage(creds, hello(to));
    expect(await sandbox.flushWebhooks()).toHaveLength(1);
    const last = statusesOf((await sandbox.listDeliveries()).map((d) => d.body)).at(-1);
    expect(last).toMatchObject({ status: 'failed', errors: [{ code: 131026 }] });
    expect(await sandbox.pendingWebhooks()).toBe(0);
  });

  it('delivers any payload, signed, for batched or odd webhooks', async () => {
    const { sandbox } = await sandboxNumber();
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [] },
        { id: '2', changes: [] },
      ],
    };
    const status = await sandbox.deliverPayload(payload);
    const [delivery] = await sandbox.listDeliveries();
    expect(delivery?.status).toBe(status);
    expect(JSON.parse(delivery?.body ?? '')).toEqual(payload);
  });

  it('builds inbound replies and media messages like Meta, and serves the media', async () => {
    const { sandbox } = await sandboxNumber();
    const from = waId();
    await sandbox.inbound({ from, type: 'image', text: 'my card', context: { from: '15550783881', id: 'wamid.OUT1' } });
    const [delivery] = await sandbox.listDeliveries();
    const value = messagesValueSchema.parse(
      webhookPayloadSchema.parse(JSON.parse(delivery?.body ?? '')).entry[0]?.changes[0]?.value,
    );
    const message = value.messages?.[0] as {
      type: string;
      context: unknown;
      image: { id: string; mime_type: string; sha256: string; caption: string };
    };
    expect(message).toMatchObject({
      type: 'image',
      context: { id: 'wamid.OUT1' },
      image: { mime_type: 'image/jpeg', caption: 'my card' },
    });

    const info = await graph(`/${message.image.id}`);
    expect(info.status).toBe(200);
    const media = (await info.json()) as {
      url: string;
      sha256: string;
      file_size: number;
      id: string;
      messaging_product: string;
    };
    expect(media).toMatchObject({ id: message.image.id, messaging_product: 'whatsapp', sha256: message.image.sha256 });
    const file = await exports.default.fetch(media.url, { headers: { Authorization: 'Bearer test-token' } });
    expect(file.headers.get('Content-Type')).toBe('image/jpeg');
    const bytes = await file.arrayBuffer();
    expect(toHex(await crypto.subtle.digest('SHA-256', bytes))).toBe(media.sha256);
    expect(bytes.byteLength).toBe(media.file_size);
    expect((await graph('/999999/somewhere')).status).toBe(400);
  });
});

describe('templates on the WABA', () => {
  it('creates PENDING templates, lists them with paging, refuses duplicates, deletes by name', async () => {
    const wabaId = `1022${Date.now()}`;
    // The review (an APPROVED webhook after templateReviewMs) waits for a flush, so deliveries below are ours.
    await env.META_SANDBOX.getByName(`waba:${wabaId}`).configure({ delivery: 'manual' });
    const create = (name: string) =>
      graph(`/${wabaId}/message_templates`, {
        method: 'POST',
        body: JSON.stringify({
          name,
          category: 'UTILITY',
          language: 'en_GB',
          components: [{ type: 'BODY', text: 'Hi {{1}}', example: { body_text: [['Sheena']] } }],
        }),
      });
    const created = await create('welcome_offer');
    expect(created.status).toBe(200);
    const { id, status, category } = (await created.json()) as { id: string; status: string; category: string };
    expect({ status, category }).toEqual({ status: 'PENDING', category: 'UTILITY' });
    expect(id).toMatch(/^\d{15,16}$/);
    expect((await create('class_reminder')).status).toBe(200);

    const duplicate = await create('welcome_offer');
    expect(duplicate.status).toBe(400);
    expect(await duplicate.json()).toMatchObject({ error: { code: 100, error_subcode: 2388024 } });
    expect((await create('Bad Name')).status).toBe(400);

    const page1 = (await (await graph(`/${wabaId}/message_templates?limit=1`)).json()) as {
      data: { name: string }[];
      paging: { cursors: { after: string }; next?: string };
    };
    expect(page1.data.map((t) => t.name)).toEqual(['welcome_offer']);
    expect(page1.paging.next).toBeTruthy();
    const page2 = (await (
      await graph(`/${wabaId}/message_templates?limit=1&after=${page1.paging.cursors.after}`)
    ).json()) as {
      data: { name: string }[];
      paging: { next?: string };
    };
    expect(page2.data.map((t) => t.name)).toEqual(['class_reminder']);
    expect(page2.paging.next).toBeUndefined();

    const waba = env.META_SANDBOX.getByName(`waba:${wabaId}`);
    await waba.setTemplateStatus({ name: 'welcome_offer', event: 'APPROVED' });
    const [update] = await waba.listDeliveries();
    expect(JSON.parse(update?.body ?? '')).toEqual({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: wabaId,
          // WABA webhooks carry the event's time (epoch seconds) on the entry.
          time: expect.any(Number),
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'APPROVED',
                message_template_id: Number(id),
                message_template_name: 'welcome_offer',
                message_template_language: 'en_GB',
                reason: 'NONE',
              },
            },
          ],
        },
      ],
    });

    expect((await graph(`/${wabaId}/message_templates?name=welcome_offer`, { method: 'DELETE' })).status).toBe(200);
    expect((await graph(`/${wabaId}/message_templates?name=welcome_offer`, { method: 'DELETE' })).status).toBe(400);
    expect((await waba.listTemplates()).map((t) => t.name)).toEqual(['class_reminder']);
  });

  it('requires a bearer token', async () => {
    const res = await exports.default.fetch(`${SANDBOX_GRAPH_URL}/123/message_templates`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 190, type: 'OAuthException' } });
  });
});

describe('HTTP routes for people', () => {
  it('lets a company play an inbound message, read what was sent, queue faults and configure', async () => {
    const company = await makeCompany();
    const sandbox = env.META_SANDBOX.getByName(company.phoneNumberId);
    expect((await api(company, 'POST', '/sandbox/configure', { delivery: 'manual', delayMs: 50 })).status).toBe(200);
    expect(await sandbox.settings()).toMatchObject({ delivery: 'manual', delayMs: 50 });

    const from = uniquePhone();
    const inbound = await api(company, 'POST', '/sandbox/inbound', { from, text: 'Is the gym open?', name: 'Sheena' });
    expect(inbound.status).toBe(202);
    const { wamid } = (await inbound.json()) as { wamid: string };
    expect(wamid).toMatch(/^wamid\./);
    const [delivery] = await sandbox.listDeliveries();
    expect(delivery?.body).toContain(`"from":"${from.slice(1)}"`);

    const faults = await api(company, 'POST', '/sandbox/faults', {
      faults: [{ kind: 'http', status: 429, code: 130429 }],
    });
    expect(faults.status).toBe(202);
    const creds = { phoneNumberId: company.phoneNumberId, accessToken: 'test-access-token' };
    expect((await meta.sendMessage(creds, hello(from.slice(1)))).kind).toBe('retryable');
    expect((await meta.sendMessage(creds, hello(from.slice(1), 'msg_route'))).kind).toBe('accepted');

    const listed = await api(company, 'GET', '/sandbox/messages');
    expect(listed.status).toBe(200);
    expect(await listed.json()).toMatchObject({
      data: [{ to: from.slice(1), type: 'text', callback_data: 'msg_route', request: { text: { body: 'Hello!' } } }],
    });

    expect((await api(company, 'POST', '/sandbox/inbound', { from: 'nope', text: 'x' })).status).toBe(422);
    expect((await api(company, 'POST', '/sandbox/faults', { faults: [{ kind: 'explode' }] })).status).toBe(422);
    expect((await api({ apiKey: 'cc_wrong' }, 'GET', '/sandbox/messages')).status).toBe(401);
  });

  it('answers 409 whatsapp_not_configured for a company without a phone number id', async () => {
    const db = getDb(env);
    const companyId = newId('com');
    await db.insert(companies).values({ id: companyId, name: 'No Number Gym', timezone: 'Europe/London' });
    const apiKey = `cc_test_${randomToken(32)}`;
    await db.insert(apiKeys).values({
      id: newId('key'),
      companyId,
      name: 'k',
      keyHash: await sha256Hex(apiKey),
      prefix: apiKey.slice(0, 12),
    });
    const res = await api({ apiKey }, 'GET', '/sandbox/messages');
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'whatsapp_not_configured' } });
  });

  it('keeps the sandbox out of the integrator OpenAPI document', async () => {
    const doc = (await (await exports.default.fetch('http://clubchat.test/api/v1/openapi.json')).json()) as {
      paths?: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths ?? {}).filter((p) => p.startsWith('/sandbox'))).toEqual([]);
  });
});

describe("the reviewer's HTTP routes (/sandbox/templates/status and /category)", () => {
  async function approved() {
    const company = await makeCompany();
    const template = await approvedTemplate(company, renewalTemplate());
    await wabaSimulator(company).configure({ delivery: 'auto' });
    return { company, template };
  }

  it("take a manager's session, as they take an API key", async () => {
    const { company, template } = await approved();
    const manager = await staffSession(company, 'manager');
    const paused = await manager.fetch('/sandbox/templates/status', {
      method: 'POST',
      body: { name: 'class_reminder', event: 'PAUSED' },
    });
    expect(paused.status).toBe(200);
    expect(await paused.json()).toEqual({ webhook_statuses: [200] });
    expect(await getTemplateJson(company, template.id)).toMatchObject({ status: 'PAUSED' });

    const recategorised = await manager.fetch('/sandbox/templates/category', {
      method: 'POST',
      body: { name: 'class_reminder', category: 'MARKETING' },
    });
    expect(recategorised.status).toBe(200);
    expect(await getTemplateJson(company, template.id)).toMatchObject({ category: 'MARKETING' });

    const reinstated = await api(company, 'POST', '/sandbox/templates/status', {
      name: 'class_reminder',
      event: 'REINSTATED',
    });
    expect(reinstated.status).toBe(200);
    expect(await getTemplateJson(company, template.id)).toMatchObject({ status: 'APPROVED' });
  });

  it('refuse a staff session (403), no session (401), and any session outside sandbox mode (404)', async () => {
    const { company, template } = await approved();
    const staff = await staffSession(company, 'staff');
    const body = { name: 'class_reminder', event: 'PAUSED' };
    await expectError(await staff.fetch('/sandbox/templates/status', { method: 'POST', body }), 403, 'forbidden');
    await expectError(await appFetch('/sandbox/templates/status', { method: 'POST', body }), 401, 'unauthorized');

    const manager = await staffSession(company, 'manager');
    const live = await buildApp().fetch(
      new Request('http://clubchat.test/sandbox/templates/status', {
        method: 'POST',
        headers: { Cookie: manager.cookie, Origin: 'http://clubchat.test', 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
      { ...env, WHATSAPP_MODE: 'live' },
    );
    await expectError(live, 404, 'sandbox_disabled');
    expect(await getTemplateJson(company, template.id)).toMatchObject({ status: 'APPROVED' });
  });
});

describe('outside sandbox mode', () => {
  const liveEnv = { ...env, WHATSAPP_MODE: 'live' };
  const app = buildApp();

  it('answers 404 sandbox_disabled on every route', async () => {
    const company = await makeCompany();
    const requests = [
      new Request(`${SANDBOX_GRAPH_URL}/${company.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '16505551234', type: 'text', text: { body: 'hi' } }),
      }),
      new Request('http://clubchat.test/sandbox/inbound', {
        method: 'POST',
        headers: { Authorization: `Bearer ${company.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: '+16505551234', text: 'hi' }),
      }),
      new Request('http://clubchat.test/sandbox/messages', { headers: { Authorization: `Bearer ${company.apiKey}` } }),
    ];
    for (const request of requests) {
      const res = await app.fetch(request, liveEnv);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'sandbox_disabled' } });
    }
    expect(await env.META_SANDBOX.getByName(company.phoneNumberId).listMessages()).toEqual([]);
  });

  it('refuses RPC and HTTP inside the object itself', async () => {
    const stub = env.META_SANDBOX.getByName(`live-${Date.now()}`);
    await runInDurableObject(stub, async (_instance, state) => {
      const live = new MetaSandbox(state, liveEnv);
      await expect(live.listMessages()).rejects.toThrow(/sandbox/);
      await expect(live.inbound({ from: '16505551234', text: 'hi' })).rejects.toThrow(/sandbox/);
      await expect(live.queueFaults([{ kind: 'timeout' }])).rejects.toThrow(/sandbox/);
      const res = await live.fetch(new Request(`${SANDBOX_GRAPH_URL}/1/messages`, { method: 'POST', body: '{}' }));
      expect(res.status).toBe(404);
    });
  });
});
