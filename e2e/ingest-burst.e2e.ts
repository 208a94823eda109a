// A burst of signed webhooks against `wrangler dev`, the runtime production has: concurrent requests' messages
// are written to D1 together there (worker/db/group-commit.ts), which the worker tests cannot run (their plugin
// turns off the cross-request promise resolution it needs). What staff and Meta must see: every delivery answered
// 200, every message stored once whatever the redeliveries, unread counts that add up, and a live event for each.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoApi } from './browser';
import { BASE_URL } from './local-worker';

/** The demo company's sandbox number (worker/sandbox/seed.ts) and the app secret e2e runs the worker with. */
const PHONE_NUMBER_ID = '100000000000001';
const APP_SECRET = 'e2e-app-secret';

const SENDERS = 12;
const MESSAGES_EACH = 4;

function delivery(from: string, wamid: string, text: string, timestamp: number): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '200000000000001',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550100001', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: `Burst ${from.slice(-4)}` }, wa_id: from }],
              messages: [{ from, id: wamid, timestamp: String(timestamp), type: 'text', text: { body: text } }],
            },
          },
        ],
      },
    ],
  });
}

function post(body: string): Promise<Response> {
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  return fetch(`${BASE_URL}/webhooks/whatsapp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature },
    body,
  });
}

async function json<T>(res: Response): Promise<T> {
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
}

describe('a burst of webhooks', () => {
  it('stores every message once, counts it once and announces it, with every delivery sent twice at once', async () => {
    const { seq: before } = await json<{ seq: number }>(await demoApi('GET', '/api/v1/events?since=0'));
    const run = String(Date.now()).slice(-6);
    const now = Math.floor(Date.now() / 1000);
    const senders = Array.from({ length: SENDERS }, (_, i) => `4474${run}${String(i).padStart(2, '0')}`);
    const bodies = senders.flatMap((from) =>
      Array.from({ length: MESSAGES_EACH }, (_, m) =>
        delivery(from, `wamid.BURST${run}${from}${m}`, `message ${m} from ${from}`, now - MESSAGES_EACH + m),
      ),
    );
    // Each delivery twice, all at once: Meta redelivers when it did not hear back in time.
    const answers = await Promise.all([...bodies, ...bodies].map(post));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));

    const messageIds = new Set<string>();
    for (const from of senders) {
      const people = await json<{ collection: { id: string }[] }>(
        await demoApi('GET', `/api/v1/people?phone=${encodeURIComponent(`+${from}`)}`),
      );
      expect(people.collection).toHaveLength(1);
      const personId = people.collection[0]?.id ?? '';
      const messages = await json<{ collection: { id: string; body: string | null }[] }>(
        await demoApi('GET', `/api/v1/conversations/${personId}/messages?per_page=50`),
      );
      expect(messages.collection.map((m) => m.body).sort()).toEqual(
        Array.from({ length: MESSAGES_EACH }, (_, m) => `message ${m} from ${from}`),
      );
      for (const m of messages.collection) messageIds.add(m.id);
      const row = await json<{ unread_count: number; window_open: boolean }>(
        await demoApi('GET', `/api/v1/conversations/${personId}`),
      );
      expect(row).toMatchObject({ unread_count: MESSAGES_EACH, window_open: true });
    }

    // The open apps' live event for each stored message, and none for a redelivery.
    await expect
      .poll(async () => {
        const { events } = await json<{ events: { type: string; message_id: string | null }[] }>(
          await demoApi('GET', `/api/v1/events?since=${before}`),
        );
        return events.filter((e) => e.type === 'message' && e.message_id && messageIds.has(e.message_id)).length;
      })
      .toBe(SENDERS * MESSAGES_EACH);
  });
});
