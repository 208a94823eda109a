// Web Push: staff whose app is closed hear of a new inbound message (name, preview, one notification per
// conversation), pushes are aes128gcm + VAPID, and a subscription the push service says is gone is deleted.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../worker/app';
import { newId, randomToken } from '../worker/ids';
import { pushInbound } from '../worker/push/inbound';
import { api, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import {
  aes128gcmHeader,
  answerPushesWith,
  type BrowserSubscription,
  browserSubscription,
  decryptPush,
  pushDeliveries,
  verifyVapid,
} from './helpers/push';
import { expectError, manualSimulator } from './helpers/sandbox';
import { appFetch, staffSession } from './helpers/staff';
import { inboundPayload, postWebhook } from './helpers/webhooks';

type Staff = Awaited<ReturnType<typeof staffSession>>;

async function subscribe(staff: Staff, sub?: BrowserSubscription) {
  const browser = sub ?? (await browserSubscription());
  const res = await staff.fetch('/api/v1/push/subscriptions', {
    method: 'POST',
    body: browser.json,
    headers: { 'User-Agent': 'Mozilla/5.0 (Linux; Android 14) Chrome/130' },
  });
  expect(res.status).toBe(201);
  return { browser, saved: (await res.json()) as { id: string; endpoint: string } };
}

/** The customer writes; returns once the inbound is stored and the pushes it started are done. */
async function customerWrites(company: TestCompany, phone: string, text: string) {
  const sim = await manualSimulator(company);
  const { status } = await sim.inbound({ from: phone.slice(1), text, name: 'Sheena WA' });
  expect(status).toBe(200);
  await env.INBOX.getByName(company.id).pushesSettled();
}

async function openApp(cookie: string) {
  const res = await appFetch('/api/v1/live', {
    cookie,
    headers: { Upgrade: 'websocket', Origin: 'http://clubchat.test' },
  });
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) throw new Error(`live: ${res.status}`);
  ws.accept();
  return ws;
}

describe('subscribing', () => {
  it('gives the app the VAPID public key, for staff sessions only', async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    const res = await staff.fetch('/api/v1/push/vapid-public-key');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ public_key: env.VAPID_PUBLIC_KEY });
    await expectError(await api(company, 'GET', '/api/v1/push/vapid-public-key'), 401, 'unauthorized');
  });

  it('stores one row per device: the same endpoint again updates it, even for another staff member', async () => {
    const company = await makeCompany();
    const [anna, ben] = await Promise.all([staffSession(company), staffSession(company, 'manager')]);
    const first = await subscribe(anna);
    const again = await subscribe(ben, first.browser);
    expect(again.saved.id).toBe(first.saved.id);
    const rows = await env.DB.prepare('SELECT user_id, user_agent FROM push_subscriptions WHERE endpoint = ?')
      .bind(first.browser.json.endpoint)
      .all<{ user_id: string; user_agent: string }>();
    expect(rows.results).toEqual([{ user_id: ben.user.id, user_agent: 'Mozilla/5.0 (Linux; Android 14) Chrome/130' }]);
  });

  it('keeps one subscription per session: a new endpoint replaces the previous one, also when sent concurrently', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const first = await subscribe(staff);
    const second = await subscribe(staff);
    const burst = await Promise.all(Array.from({ length: 30 }, () => subscribe(staff)));

    const rows = await env.DB.prepare('SELECT id FROM push_subscriptions WHERE user_id = ?')
      .bind(staff.user.id)
      .all<{ id: string }>();
    expect(rows.results).toHaveLength(1);
    const kept = burst.find((b) => b.saved.id === rows.results[0]?.id);
    if (!kept) throw new Error('the kept row is none of the burst');

    await customerWrites(company, person.phone, 'Hello');
    const delivered = await Promise.all([first, second, ...burst].map((s) => pushDeliveries(s.browser)));
    expect(delivered.flat()).toHaveLength(1);
    expect(await pushDeliveries(kept.browser)).toHaveLength(1);
  });

  it("moves a device to the new login and drops that login's previous device", async () => {
    const company = await makeCompany();
    const [anna, ben] = await Promise.all([staffSession(company), staffSession(company)]);
    const shared = await subscribe(anna);
    await subscribe(ben);
    await subscribe(ben, shared.browser);
    const rows = await env.DB.prepare('SELECT user_id, endpoint FROM push_subscriptions WHERE company_id = ?')
      .bind(company.id)
      .all<{ user_id: string; endpoint: string }>();
    expect(rows.results).toEqual([{ user_id: ben.user.id, endpoint: shared.browser.json.endpoint }]);
  });

  it('refuses keys that are not a P-256 point and a 16-byte secret, and endpoints that are not https', async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    const { json } = await browserSubscription();
    const post = (body: unknown) => staff.fetch('/api/v1/push/subscriptions', { method: 'POST', body });
    await expectError(await post({ ...json, keys: { ...json.keys, p256dh: 'short' } }), 422, 'validation_failed');
    await expectError(
      await post({ ...json, keys: { ...json.keys, auth: `${json.keys.auth}AAAA` } }),
      422,
      'validation_failed',
    );
    await expectError(await post({ ...json, endpoint: 'http://push.example/x' }), 422, 'validation_failed');
    await expectError(await post({ ...json, extra: 1 }), 422, 'unknown_field');
  });
});

describe('a new inbound message', () => {
  it('pushes once per message to a staff member whose app is closed: name, preview, conversation tag and URL', async () => {
    const company = await makeCompany();
    const person = await makePerson(company, { first_name: 'Sheena', last_name: 'Patel' });
    const staff = await staffSession(company);
    const { browser } = await subscribe(staff);

    await customerWrites(company, person.phone, 'Hi, is the pool open\non Sunday?');
    await customerWrites(company, person.phone, 'And the sauna?');

    const deliveries = await pushDeliveries(browser);
    expect(deliveries).toHaveLength(2);
    const notices = await Promise.all(deliveries.map((d) => decryptPush(browser, d)));
    const tag = `conversation-${person.id}`;
    expect(notices).toEqual([
      { title: 'Sheena Patel', body: 'Hi, is the pool open on Sunday?', tag, url: `/c/${person.id}` },
      { title: 'Sheena Patel', body: 'And the sauna?', tag, url: `/c/${person.id}` },
    ]);
  });

  it('starts pushing once the first staff member subscribes, after messages that had no one to reach', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    await customerWrites(company, person.phone, 'Anyone there?');
    const { browser } = await subscribe(staff);
    await customerWrites(company, person.phone, 'Hello?');
    const notices = await Promise.all((await pushDeliveries(browser)).map((d) => decryptPush(browser, d)));
    expect(notices).toMatchObject([{ body: 'Hello?' }]);
  });

  it('is aes128gcm with a VAPID signature a push service accepts', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const { browser } = await subscribe(staff);
    await customerWrites(company, person.phone, 'Hello');

    const [delivery] = await pushDeliveries(browser);
    if (!delivery) throw new Error('no push');
    expect(delivery.headers).toMatchObject({
      'content-encoding': 'aes128gcm',
      'content-type': 'application/octet-stream',
      urgency: 'high',
      topic: person.id,
      ttl: '3600',
    });
    const body = Uint8Array.from(atob(delivery.body), (c) => c.charCodeAt(0));
    const header = aes128gcmHeader(body);
    expect(header.keyId).toHaveLength(65);
    expect(header.keyId[0]).toBe(4); // an uncompressed P-256 point: the sender's one-time key
    expect(header.ciphertext.length).toBeGreaterThan(16);
    const vapid = await verifyVapid(delivery, env.VAPID_PUBLIC_KEY);
    expect(vapid.valid).toBe(true);
    expect(vapid.keyMatches).toBe(true);
    expect(vapid.claims).toMatchObject({ aud: 'https://push.sandbox', sub: 'mailto:push-tests@clubchat.example' });
    expect(vapid.claims.exp * 1000).toBeGreaterThan(Date.now());
  });

  it('does not push to staff whose app is open, and still pushes to the others', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const [open, closed] = await Promise.all([staffSession(company), staffSession(company)]);
    const [openSub, closedSub] = await Promise.all([subscribe(open), subscribe(closed)]);
    const ws = await openApp(open.cookie);
    expect(await env.INBOX.getByName(company.id).connectedUserIds()).toEqual([open.user.id]);

    await customerWrites(company, person.phone, 'Anyone there?');

    expect(await pushDeliveries(openSub.browser)).toHaveLength(0);
    expect(await pushDeliveries(closedSub.browser)).toHaveLength(1);
    ws.close();
  });

  it('deletes a subscription whose endpoint answers 410 Gone (or 404), and keeps one that answers 500', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const [a, b, c] = await Promise.all([staffSession(company), staffSession(company), staffSession(company)]);
    const [gone, notFound, broken] = await Promise.all([subscribe(a), subscribe(b), subscribe(c)]);
    await Promise.all([
      answerPushesWith(gone.browser, 410),
      answerPushesWith(notFound.browser, 404),
      answerPushesWith(broken.browser, 500),
    ]);

    await customerWrites(company, person.phone, 'Hello?');

    const left = await env.DB.prepare('SELECT id FROM push_subscriptions WHERE company_id = ?')
      .bind(company.id)
      .all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual([broken.saved.id]);
  });

  it('stops after logout, after unsubscribing, and never reaches another company', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const person = await makePerson(company);
    const [leaving, unsubscribing, elsewhere] = await Promise.all([
      staffSession(company),
      staffSession(company),
      staffSession(other),
    ]);
    const subs = await Promise.all([subscribe(leaving), subscribe(unsubscribing), subscribe(elsewhere)]);
    expect((await leaving.fetch('/api/auth/logout', { method: 'POST' })).status).toBe(204);
    const del = await unsubscribing.fetch('/api/v1/push/subscriptions', {
      method: 'DELETE',
      body: { endpoint: subs[1].browser.json.endpoint },
    });
    expect(del.status).toBe(204);

    await customerWrites(company, person.phone, 'Hello');

    for (const s of subs) expect(await pushDeliveries(s.browser)).toHaveLength(0);
  });

  it('does not push again for a redelivered webhook, even redelivered concurrently', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const { browser } = await subscribe(staff);
    const payload = inboundPayload(company.phoneNumberId, { from: person.phone, text: 'Once' });
    const answers = await Promise.all([postWebhook(payload), postWebhook(payload), postWebhook(payload)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await env.INBOX.getByName(company.id).pushesSettled();
    expect(await pushDeliveries(browser)).toHaveLength(1);
  });
});

describe('push endpoints', () => {
  const liveEnv = { ...env, WHATSAPP_MODE: 'live' };
  const app = buildApp();
  // What a staff login stored in the review, and the worker then fetched on every inbound message (a fresh
  // query string each time: endpoints are unique across the test database).
  const notPushServices = () => {
    const q = `?t=${randomToken(8)}`;
    return [
      `https://169.254.169.254/latest/meta-data/iam/security-credentials/${q}`,
      `https://127.0.0.1:8787/sandbox/seed${q}`,
      `${BASE.replace('http:', 'https:')}/api/admin/companies${q}`,
      `https://intranet.corp.local/admin${q}`,
      `https://fcm.googleapis.com.evil.example/fcm/send/x${q}`,
      `https://evilpush.apple.com/x${q}`,
      `https://fcm.googleapis.com:8443/fcm/send/x${q}`,
      `https://user@fcm.googleapis.com/fcm/send/x${q}`,
    ];
  };

  afterEach(() => vi.restoreAllMocks());

  async function subscribeLive(staff: Staff, endpoint: string) {
    const { json } = await browserSubscription();
    const request = new Request(`${BASE}/api/v1/push/subscriptions`, {
      method: 'POST',
      headers: { Cookie: staff.cookie, Origin: BASE, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...json, endpoint }),
    });
    return app.fetch(request, liveEnv);
  }

  it("accepts only the browsers' push services in live mode, and the simulator's only in sandbox mode", async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    for (const endpoint of [...notPushServices(), (await browserSubscription()).json.endpoint]) {
      const res = await subscribeLive(staff, endpoint);
      expect(res.status, endpoint).toBe(422);
      expect(await res.json(), endpoint).toMatchObject({
        error: { code: 'push_endpoint_not_allowed', message: expect.stringContaining('fcm.googleapis.com') },
      });
    }
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/cVc2',
      'https://web.push.apple.com/QGx1',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAA',
      'https://wns2-par02p.notify.windows.com/w/?token=BQYAAA',
    ].map((e) => `${e}${randomToken(8)}`)) {
      expect((await subscribeLive(staff, endpoint)).status, endpoint).toBe(201);
    }
    // Sandbox mode (this test run's): the simulator's push host too, and still nothing else.
    await subscribe(staff);
    const sandboxed = await staff.fetch('/api/v1/push/subscriptions', {
      method: 'POST',
      body: {
        ...(await browserSubscription()).json,
        endpoint: `https://127.0.0.1:8787/sandbox/seed?${randomToken(8)}`,
      },
    });
    await expectError(sandboxed, 422, 'push_endpoint_not_allowed');
  });

  it('never fetches a stored endpoint that is not a push service, and deletes it', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const { browser, saved } = await subscribe(staff);
    // Rows stored before endpoints were checked: same session, straight into D1.
    const row = await env.DB.prepare('SELECT session_hash FROM push_subscriptions WHERE id = ?')
      .bind(saved.id)
      .first<{ session_hash: string }>();
    const { json } = await browserSubscription();
    for (const endpoint of notPushServices())
      await env.DB.prepare(
        `INSERT INTO push_subscriptions (id, company_id, user_id, session_hash, endpoint, p256dh, auth, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`,
      )
        .bind(newId('psh'), company.id, staff.user.id, row?.session_hash, endpoint, json.keys.p256dh, json.keys.auth)
        .run();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const input = { companyId: company.id, personId: person.id, messageId: 'm1', preview: 'Hello' };

    const live = await pushInbound(liveEnv, input, []);
    expect(fetchSpy).not.toHaveBeenCalled();
    // In live mode the simulator's endpoint is not a push service either: nothing was sent, all rows went.
    expect(live).toMatchObject({ sent: 0, failed: 0, subscribed: false });
    const left = await env.DB.prepare('SELECT id FROM push_subscriptions WHERE company_id = ?')
      .bind(company.id)
      .all<{ id: string }>();
    expect(left.results).toEqual([]);
    expect(await pushDeliveries(browser)).toHaveLength(0);
  });

  it('in sandbox mode still pushes to the simulator while refusing the rest', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const { browser, saved } = await subscribe(staff);
    await env.DB.prepare(
      `INSERT INTO push_subscriptions (id, company_id, user_id, session_hash, endpoint, p256dh, auth, created_at, updated_at)
       SELECT ?, company_id, user_id, session_hash, ?, p256dh, auth, 0, 0 FROM push_subscriptions WHERE id = ?`,
    )
      .bind(newId('psh'), notPushServices()[0], saved.id)
      .run();
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const report = await pushInbound(
      env,
      { companyId: company.id, personId: person.id, messageId: 'm1', preview: 'Hi' },
      [],
    );
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(report).toMatchObject({ sent: 1, failed: 0, subscribed: true });
    expect(await pushDeliveries(browser)).toHaveLength(1);
    const left = await env.DB.prepare('SELECT id FROM push_subscriptions WHERE company_id = ?')
      .bind(company.id)
      .all<{ id: string }>();
    expect(left.results.map((r) => r.id)).toEqual([saved.id]);
  });
});
