// Live updates: the company inbox object holds staff sockets (Hibernation API), numbers every event, and
// lets a reconnecting app catch up with `since`.
import { evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { KEPT_EVENTS } from '../worker/realtime/company-inbox';
import type { InboxParcel } from '../worker/realtime/events';
import { notifyInbox } from '../worker/realtime/notify';
import { api, BASE, makeCompany, makePerson } from './helpers/fixtures';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';
import { appFetch, staffSession } from './helpers/staff';

interface Frame {
  type: string;
  seq?: number;
  event?: { seq: number; type: string; person_id: string; message_id: string | null };
}

/** Opens the live socket the way the browser does; frames are collected as they arrive. */
async function openLive(cookie: string, origin = BASE) {
  const res = await appFetch('/api/v1/live', { cookie, headers: { Upgrade: 'websocket', Origin: origin } });
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) return { res, ws: null, frames: [] as Frame[], next: async () => null };
  const frames: Frame[] = [];
  const waiters: ((f: Frame) => void)[] = [];
  ws.accept();
  ws.addEventListener('message', (e) => {
    if (e.data === 'pong') return;
    const frame = JSON.parse(String(e.data)) as Frame;
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  const next = () =>
    new Promise<Frame>((resolve) => {
      const queued = frames.shift();
      if (queued) resolve(queued);
      else waiters.push(resolve);
    });
  return { res, ws, frames, next };
}

describe('the live socket', () => {
  it('says hello with the latest seq, then pushes each stored message and status in order', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const live = await openLive(staff.cookie);
    expect(live.res.status).toBe(101);
    const hello = await live.next();
    expect(hello).toMatchObject({ type: 'hello', seq: 0 });

    await sim.inbound({ from: person.phone.slice(1), text: 'Hi there', name: 'Sheena' });
    const inbound = await live.next();
    expect(inbound?.event).toMatchObject({ seq: 1, type: 'message', person_id: person.id });

    const sent = await sendText(company, person.id, 'Hello Sheena');
    const { id: messageId } = (await sent.json()) as { id: string };
    await sim.flushWebhooks();
    const seen: Frame[] = [];
    // Recorded (queued), accepted (sent), then Meta's delivered and read; its `sent` webhook changes nothing.
    for (let i = 0; i < 4; i++) seen.push((await live.next()) as Frame);
    // Notifications leave the conversation object without waiting, so only the numbering is strictly ordered.
    expect(seen.map((f) => f.event?.type).sort()).toEqual(['message', 'status', 'status', 'status']);
    expect(seen.map((f) => f.event?.seq)).toEqual([2, 3, 4, 5]);
    expect(seen.every((f) => f.event?.message_id === messageId)).toBe(true);
    live.ws?.close();
  });

  it('answers ping with pong without waking the object, and keeps only small ids on the socket', async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    const live = await openLive(staff.cookie);
    await live.next();
    live.ws?.send('ping');
    const pong = await new Promise<string>((resolve) =>
      live.ws?.addEventListener('message', (e) => resolve(String(e.data)), { once: true }),
    );
    expect(pong).toBe('pong');
    const session = await env.DB.prepare('SELECT expires_at FROM sessions WHERE user_id = ?')
      .bind(staff.user.id)
      .first<{ expires_at: number }>();
    await runInDurableObject(env.INBOX.getByName(company.id), (_instance, state) => {
      const sockets = state.getWebSockets(`user:${staff.user.id}`);
      expect(sockets.length).toBe(1);
      expect(sockets[0]?.deserializeAttachment()).toEqual({
        userId: staff.user.id,
        session: expect.any(String),
        expiresAt: session?.expires_at,
        companyId: company.id,
        // An unlimited user: every event (the scope of a limited one is a few club ids: scope.test.ts).
        scope: null,
      });
    });
    live.ws?.close();
  });

  it('keeps sockets through hibernation: after eviction, events still arrive and the sequence never goes back', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const live = await openLive(staff.cookie);
    await live.next();
    await sim.inbound({ from: person.phone.slice(1), text: 'Before', name: 'Sheena' });
    expect((await live.next())?.event?.seq).toBe(1);
    await evictDurableObject(env.INBOX.getByName(company.id));
    await sim.inbound({ from: person.phone.slice(1), text: 'After', name: 'Sheena' });
    const after = (await live.next())?.event;
    expect(after).toMatchObject({ type: 'message', person_id: person.id });
    // Numbers may skip after a restart (they are reserved in blocks) but never go back, and an app catching up
    // from the first event gets the second.
    expect(after?.seq).toBeGreaterThan(1);
    const missed = (await (await staff.fetch('/api/v1/events?since=1')).json()) as { events: { seq: number }[] };
    expect(missed.events.map((e) => e.seq)).toEqual([after?.seq]);
    live.ws?.close();
  });

  it('refuses the upgrade without a session, with an API key, or from another origin', async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    await expectError(
      await appFetch('/api/v1/live', { headers: { Upgrade: 'websocket', Origin: BASE } }),
      401,
      'unauthorized',
    );
    const withKey = await api(company, 'GET', '/api/v1/live', undefined, { Upgrade: 'websocket', Origin: BASE });
    expect(withKey.status).toBe(401);
    const evil = await openLive(staff.cookie, 'https://evil.example');
    await expectError(evil.res, 403, 'bad_origin');
    await expectError(await staff.fetch('/api/v1/live'), 426, 'upgrade_required');
  });

  it('closes the session’s sockets at logout', async () => {
    const company = await makeCompany();
    const staff = await staffSession(company);
    const live = await openLive(staff.cookie);
    await live.next();
    const closed = new Promise<number>((resolve) => live.ws?.addEventListener('close', (e) => resolve(e.code)));
    await staff.fetch('/api/auth/logout', { method: 'POST', body: {} });
    expect(await closed).toBe(4001);
  });

  it('closes a socket once its session expires: no more events, and its user counts as away (pushed to) again', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const [expiring, staying] = await Promise.all([staffSession(company), staffSession(company)]);
    // A socket opened just before its session ends (a second from now).
    await env.DB.prepare('UPDATE sessions SET expires_at = ? WHERE user_id = ?')
      .bind(Date.now() + 1000, expiring.user.id)
      .run();
    const live = await openLive(expiring.cookie);
    const other = await openLive(staying.cookie);
    expect(live.res.status).toBe(101);
    await Promise.all([live.next(), other.next()]);
    const inbox = env.INBOX.getByName(company.id);
    expect((await inbox.connectedUserIds()).sort()).toEqual([expiring.user.id, staying.user.id].sort());
    const closed = new Promise<Frame>((resolve) =>
      live.ws?.addEventListener('close', (e) => resolve({ type: `closed ${e.code}` })),
    );

    // Wait for the state, not a time: HTTP refuses the session from here on.
    await vi.waitFor(async () => expect((await expiring.fetch('/api/v1/people')).status).toBe(401), {
      timeout: 10_000,
      interval: 100,
    });
    expect(await inbox.connectedUserIds()).toEqual([staying.user.id]);

    await sim.inbound({ from: person.phone.slice(1), text: 'Hi there', name: 'Sheena' });
    expect((await other.next())?.event).toMatchObject({ type: 'message', person_id: person.id });
    expect(await Promise.race([live.next(), closed])).toEqual({ type: 'closed 4001' });
    other.ws?.close();
  });

  it('never sends one company’s events to another company’s staff', async () => {
    const first = await makeCompany();
    const second = await makeCompany();
    const sim = await manualSimulator(first);
    const person = await makePerson(first);
    const other = await staffSession(second);
    const live = await openLive(other.cookie);
    await live.next();
    const own = await staffSession(first);
    const ownLive = await openLive(own.cookie);
    await ownLive.next();
    await sim.inbound({ from: person.phone.slice(1), text: 'Hi', name: 'Sheena' });
    // Once the first company's own app has the event, the other company's socket would have had it too.
    expect((await ownLive.next())?.event).toMatchObject({ type: 'message', person_id: person.id });
    const events = (await (await other.fetch('/api/v1/events?since=0')).json()) as { events: unknown[] };
    expect(events.events).toEqual([]);
    expect(live.frames).toEqual([]);
    live.ws?.close();
    ownLive.ws?.close();
  });
});

describe('catching up with since', () => {
  it('returns the events after since, and reset when the app is ahead of the server', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const staff = await staffSession(company);
    await Promise.all(
      ['one', 'two', 'three'].map((text) => sim.inbound({ from: person.phone.slice(1), text, name: 'Sheena' })),
    );
    type Events = { events: { seq: number; type: string }[]; seq: number; reset: boolean };
    // Notifying is best effort and does not hold up the webhook: wait for the three to be recorded.
    const all = await vi.waitFor(async () => {
      const body = (await (await staff.fetch('/api/v1/events?since=0')).json()) as Events;
      expect(body.events).toHaveLength(3);
      return body;
    });
    expect(all.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(all).toMatchObject({ seq: 3, reset: false });
    const missed = (await (await staff.fetch('/api/v1/events?since=2')).json()) as { events: { seq: number }[] };
    expect(missed.events.map((e) => e.seq)).toEqual([3]);
    expect(await (await staff.fetch('/api/v1/events?since=99')).json()).toMatchObject({
      events: [],
      seq: 3,
      reset: true,
    });
    // Integrators can poll the same route with their key.
    expect((await api(company, 'GET', '/api/v1/events?since=3')).status).toBe(200);
  });

  it('keeps every event of a burst for catching up, in order, and no more than the last KEPT_EVENTS', async () => {
    const company = await makeCompany();
    const inbox = env.INBOX.getByName(company.id);
    const seqs = await Promise.all(
      Array.from({ length: KEPT_EVENTS + 20 }, (_, i) => inbox.publish({ type: 'message', personId: `per_${i}` })),
    );
    expect(new Set(seqs).size).toBe(KEPT_EVENTS + 20);
    const caughtUp = await inbox.since(0, KEPT_EVENTS + 100);
    // The oldest 20 are no longer kept: an app that last saw none of these must reload.
    expect(caughtUp.reset).toBe(true);
    const kept = await inbox.since(20, KEPT_EVENTS + 100);
    expect(kept.events.map((e) => e.seq)).toEqual([...seqs].sort((a, b) => a - b).slice(20));
  });

  it('never numbers an event below one an app may have seen, even when the object restarts before storing it', async () => {
    const company = await makeCompany();
    const inbox = env.INBOX.getByName(company.id);
    const seen = await inbox.publish({ type: 'message', personId: 'per_a' });
    // Reset at once, before the event is stored: it is lost for catching up, but its number is not reused.
    await evictDurableObject(inbox);
    const next = await env.INBOX.getByName(company.id).publish({ type: 'message', personId: 'per_b' });
    expect(next).toBeGreaterThan(seen);
    const after = await env.INBOX.getByName(company.id).since(seen);
    expect(after.events.map((e) => e.person_id)).toEqual(['per_b']);
  });

  it('a staff opt-out and read state changes are events too', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    await staff.fetch(`/api/v1/people/${person.id}/whatsapp/opt-out`, { method: 'POST', body: {} });
    const body = (await (await staff.fetch('/api/v1/events?since=0')).json()) as {
      events: { type: string; person_id: string }[];
    };
    expect(body.events).toEqual([expect.objectContaining({ type: 'person', person_id: person.id })]);
  });
});

describe('notify', () => {
  it('carries a burst for one company in a few calls to its inbox, every event once and in the order given', async () => {
    const company = await makeCompany();
    const calls: number[] = [];
    let firstCallOnItsWay = () => {};
    const onItsWay = new Promise<void>((resolve) => {
      firstCallOnItsWay = resolve;
    });
    const counting = {
      ...env,
      INBOX: {
        getByName: (name: string) => {
          const inbox = env.INBOX.getByName(name);
          return {
            deliver: async (parcels: InboxParcel[]) => {
              calls.push(parcels.length);
              firstCallOnItsWay();
              await inbox.deliver(parcels);
            },
          };
        },
      },
    } as unknown as Env;
    const notify = (i: number) => notifyInbox(counting, company.id, { type: 'person', personId: `per_${i}` });
    const burst = Array.from({ length: 50 }, (_, i) => notify(i));
    await onItsWay;
    // Ten more while that call is on its way: they go together in the next.
    const later = Array.from({ length: 10 }, (_, i) => notify(50 + i));
    await Promise.all([...burst, ...later]);
    // The call waits one turn of the event loop: the fifty events of the same moment went together.
    expect(calls).toEqual([50, 10]);
    const { events } = await env.INBOX.getByName(company.id).since(0, 100);
    expect(events.map((e) => e.person_id)).toEqual(Array.from({ length: 60 }, (_, i) => `per_${i}`));
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });

  it('never fails its caller when the inbox object cannot be reached', async () => {
    const broken = {
      ...env,
      INBOX: {
        getByName: () => {
          throw new Error('object unavailable');
        },
      },
    } as unknown as Env;
    await expect(notifyInbox(broken, 'com_x', { type: 'person', personId: 'per_x' })).resolves.toBeUndefined();
  });
});
