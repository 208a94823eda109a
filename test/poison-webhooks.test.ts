// Meta retries anything but a 2xx for days: a signed item that fails the same way every time must be kept
// as a dead letter and acknowledged, and what a signed payload says must still be sane.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { historyOf, manualSimulator, sendText } from './helpers/sandbox';
import { envelope, inboundMessage, inboundPayload, postWebhook, statusItem } from './helpers/webhooks';

async function deadLettersMentioning(text: string): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM webhook_dead_letters WHERE instr(raw_body, ?) > 0')
    .bind(text)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function expectReadable(company: Awaited<ReturnType<typeof makeCompany>>, personId: string) {
  expect((await api(company, 'GET', `/api/v1/people/${personId}`)).status).toBe(200);
  expect((await api(company, 'GET', `/api/v1/people/${personId}/history`)).status).toBe(200);
}

describe('poison webhooks', () => {
  it('dead-letters a timestamp beyond the date range, and the person still reads back', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const id = `wamid.POISON${Date.now()}`;
    const res = await postWebhook(
      inboundPayload(company.phoneNumberId, { from: person.phone, id, timestamp: '8640000000001' }),
    );
    expect(res.status).toBe(200);
    expect(await deadLettersMentioning(id)).toBe(1);
    expect(await historyOf(company, person.id)).toHaveLength(0);
    await expectReadable(company, person.id);
  });

  it("counts a far-future timestamp as now: the window closes 24 hours from our clock, not Meta's", async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const res = await postWebhook(
      inboundPayload(company.phoneNumberId, { from: person.phone, text: 'from the future', timestamp: '253402300799' }),
    );
    expect(res.status).toBe(200);
    const detail = (await (await api(company, 'GET', `/api/v1/people/${person.id}`)).json()) as {
      whatsapp: { window_expires_at: string };
    };
    const expires = Date.parse(detail.whatsapp.window_expires_at);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 60 * 60 * 1000);
    expect(expires).toBeGreaterThan(Date.now() + 23 * 60 * 60 * 1000);
    const [note] = await historyOf(company, person.id);
    expect(Date.parse((note as unknown as { occurred_at: string }).occurred_at)).toBeLessThanOrEqual(Date.now());
  });

  it('dead-letters a message nested thousands of objects deep and stores the rest of the batch', async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 3000; i++) deep = { n: deep };
    const poison = { ...inboundMessage({ from: person.phone, text: 'deep' }), extra: deep };
    const fine = inboundMessage({ from: person.phone, text: 'still here' });
    const payload = envelope(company.phoneNumberId, { messages: [poison, fine] });
    expect((await postWebhook(payload)).status).toBe(200);
    expect((await postWebhook(payload)).status).toBe(200);
    expect(await deadLettersMentioning(poison.id)).toBeGreaterThanOrEqual(1);
    expect((await historyOf(company, person.id)).map((n) => n.body)).toEqual(['still here']);
    await expectReadable(company, person.id);
  });

  it('answers 413 to a body over the cap, and keeps a large invalid item within D1 limits', async () => {
    const company = await makeCompany();
    const huge = JSON.stringify({ object: 'whatsapp_business_account', entry: [], pad: 'x'.repeat(2 * 1024 * 1024) });
    const tooBig = await postWebhook(null, { raw: huge });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.json()).toMatchObject({ error: { code: 'payload_too_large' } });

    const marker = `BIG${Date.now()}`;
    const big = { from: 'not a number', id: marker, timestamp: 'x', type: 'text', pad: 'y'.repeat(900_000) };
    const res = await postWebhook(envelope(company.phoneNumberId, { messages: [big] }));
    expect(res.status).toBe(200);
    expect(await deadLettersMentioning(marker)).toBe(1);
  });

  it("applies a status with our callback data but another message's wamid, without taking that wamid", async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const inbound = await sim.inbound({ from: person.phone, text: 'hi' });
    expect((await sendText(company, person.id, 'Welcome!')).status).toBe(202);
    const [sent] = await sim.listMessages();
    // Ours by the callback data, but naming the wamid of the message the person sent us: it fails the same way
    // on every retry if it is allowed to reach the unique index, so Meta would retry it for days.
    const status = statusItem({
      id: inbound.wamid,
      status: 'read',
      to: person.phone,
      callbackData: sent?.callbackData ?? undefined,
    });
    expect((await postWebhook(envelope(company.phoneNumberId, { statuses: [status] }))).status).toBe(200);
    const notes = await historyOf(company, person.id);
    expect(notes.find((n) => n.type === 'whatsapp_sent')).toMatchObject({ status: 'read', wamid: sent?.wamid });
    expect(notes.find((n) => n.type === 'whatsapp_received')).toMatchObject({ wamid: inbound.wamid });
  });

  it('refuses a phone_number_id that is not digits', async () => {
    const company = await makeCompany();
    for (const bad of ['1065\u0000123', '1065🙂123', ' 1065 123 ', 'abc']) {
      const res = await fetchAdmin(`/api/admin/companies/${company.id}/whatsapp`, {
        enabled: true,
        waba_id: '102290129340398',
        phone_number_id: bad,
        display_phone_number: '15550783881',
        access_token: 'token',
      });
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
  });
});

async function fetchAdmin(path: string, body: unknown): Promise<Response> {
  return exports.default.fetch(`http://clubchat.test${path}`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${env.PLATFORM_ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}
