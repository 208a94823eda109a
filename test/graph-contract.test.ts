// The real Graph client against the simulator, through metaApiFor(env) in sandbox mode: the two must agree
// on every body, answer, error, webhook and signature, or sandbox mode proves nothing about production.
import { runInDurableObject } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Interactive } from '#common/interactive/interactive-rules';
import { CAPTION_MAX } from '#common/media';
import { metaAppId } from '../worker/config';
import { graphErrorBody } from '../worker/sandbox/graph-errors';
import { parseMessagesRequest, sendAnswer } from '../worker/sandbox/graph-messages';
import { SANDBOX_BUSINESS_OBJECT } from '../worker/sandbox/signup-store';
import { metaApiFor, SANDBOX_GRAPH_URL } from '../worker/whatsapp/meta';
import { conversionsRequestSchema } from '../worker/whatsapp/meta/conversions-schema';
import { conversionsBody, sendBody } from '../worker/whatsapp/meta/graph-client';
import { sessionPath } from '../worker/whatsapp/meta/resumable-upload';
import { graphErrorBodySchema, sendAnswerSchema, TEXT_BODY_MAX } from '../worker/whatsapp/meta/send-schema';
import { isValidSignature } from '../worker/whatsapp/meta/signature';
import type { ConversionEvent, MetaCredentials, OutboundMessage } from '../worker/whatsapp/meta/types';
import {
  inboundMessageSchema,
  messagesValueSchema,
  statusSchema,
  webhookPayloadSchema,
} from '../worker/whatsapp/meta/webhook-schema';
import { metaTemplatesFor } from '../worker/whatsapp/templates/meta-templates';
import { makeCompany, uniquePhone } from './helpers/fixtures';

const meta = metaApiFor(env);

/** A fresh simulated number (storage is shared across this file), webhooks held for flushWebhooks(). */
async function sandboxNumber() {
  const company = await makeCompany();
  const sandbox = env.META_SANDBOX.getByName(company.phoneNumberId);
  await sandbox.configure({ delivery: 'manual' });
  const creds: MetaCredentials = { phoneNumberId: company.phoneNumberId, accessToken: 'test-access-token' };
  return { company, sandbox, creds };
}

const waId = (): string => uniquePhone().slice(1);
const bytesOf = (body: string): ArrayBuffer => new TextEncoder().encode(body).buffer as ArrayBuffer;

function messagesValue(body: string) {
  const payload = webhookPayloadSchema.parse(JSON.parse(body));
  return messagesValueSchema.parse(payload.entry[0]?.changes[0]?.value);
}

/** Reply buttons, lists and link buttons within every one of Meta's limits (#common/interactive). */
const words = (max: number) => fc.stringMatching(new RegExp(`^[A-Za-z0-9][A-Za-z0-9 ]{0,${max - 1}}$`));
const validInteractive = fc.oneof(
  fc.uniqueArray(words(20), { minLength: 1, maxLength: 3, selector: (t) => t.trim() }).map(
    (titles): Interactive => ({
      type: 'button',
      body: { text: 'Which day?' },
      action: { buttons: titles.map((title, i) => ({ type: 'reply', reply: { id: `b${i}`, title } })) },
    }),
  ),
  fc
    .array(fc.record({ title: words(24), description: fc.option(words(72), { nil: undefined }) }), {
      minLength: 1,
      maxLength: 10,
    })
    .map(
      (rows): Interactive => ({
        type: 'list',
        header: { type: 'text', text: 'Classes' },
        body: { text: 'Pick one' },
        footer: { text: 'Leeds' },
        action: {
          button: 'See classes',
          sections: [
            {
              rows: rows.map((r, i) => ({
                id: `r${i}`,
                title: r.title,
                ...(r.description ? { description: r.description } : {}),
              })),
            },
          ],
        },
      }),
    ),
  words(20).map(
    (text): Interactive => ({
      type: 'cta_url',
      body: { text: 'Our timetable' },
      action: { name: 'cta_url', parameters: { display_text: text, url: 'https://gym.example/t' } },
    }),
  ),
);

describe('graph client <-> simulator', () => {
  it('sends text and template messages that the simulator accepts and records exactly as sent', async () => {
    const { sandbox, creds } = await sandboxNumber();
    const to = waId();
    const textMessage: OutboundMessage = {
      to,
      content: { kind: 'text', text: 'Hi Sheena, see you at 6?' },
      callbackData: 'msg_text_1',
    };
    const templateMessage: OutboundMessage = {
      to,
      content: { kind: 'template', template: { name: 'welcome_offer', language: 'en_GB', params: ['Sheena'] } },
      callbackData: 'msg_tpl_1',
    };
    const first = await meta.sendMessage(creds, textMessage);
    const second = await meta.sendMessage(creds, templateMessage);
    expect(first.kind).toBe('accepted');
    expect(second.kind).toBe('accepted');

    const recorded = await sandbox.listMessages();
    expect(recorded.map((m) => m.wamid)).toEqual([first, second].map((o) => (o.kind === 'accepted' ? o.wamid : null)));
    expect(recorded[0]?.wamid).toMatch(/^wamid\.[A-Za-z0-9+/=]+$/);
    expect(recorded.map((m) => JSON.parse(m.rawBody))).toStrictEqual([
      sendBody(textMessage),
      sendBody(templateMessage),
    ]);
    expect(recorded.map((m) => [m.to, m.type, m.callbackData])).toEqual([
      [to, 'text', 'msg_text_1'],
      [to, 'template', 'msg_tpl_1'],
    ]);
  });

  it('rejects what Meta rejects: no token (190), a bad body (100), text over 4096 characters (100)', async () => {
    const { sandbox, creds } = await sandboxNumber();
    const to = waId();
    const noToken = await meta.sendMessage(
      { ...creds, accessToken: '' },
      { to, content: { kind: 'text', text: 'hi' }, callbackData: 'x' },
    );
    expect(noToken).toMatchObject({ kind: 'permanent', error: { code: 190, httpStatus: 401 } });

    const tooLong = await meta.sendMessage(creds, {
      to,
      content: { kind: 'text', text: 'a'.repeat(TEXT_BODY_MAX + 1) },
      callbackData: 'x',
    });
    expect(tooLong).toMatchObject({ kind: 'permanent', error: { code: 100, httpStatus: 400 } });
    const longest = await meta.sendMessage(creds, {
      to,
      content: { kind: 'text', text: 'a'.repeat(TEXT_BODY_MAX) },
      callbackData: 'x',
    });
    expect(longest.kind).toBe('accepted');

    const badTo = await meta.sendMessage(creds, {
      to: 'not-a-number',
      content: { kind: 'text', text: 'hi' },
      callbackData: 'x',
    });
    expect(badTo).toMatchObject({ kind: 'permanent', error: { code: 100 } });

    const raw = await exports.default.fetch(`${SANDBOX_GRAPH_URL}/${creds.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to, type: 'text', text: { bdy: 'typo' } }),
    });
    expect(raw.status).toBe(400);
    const error = graphErrorBodySchema.parse(await raw.json());
    expect(error.error).toMatchObject({ code: 100, message: '(#100) Invalid parameter', type: 'OAuthException' });
    expect(error.error.fbtrace_id).toBeTruthy();

    // Only the 4096-character message got through.
    expect((await sandbox.listMessages()).map((m) => m.request.type === 'text' && m.request.text.body.length)).toEqual([
      TEXT_BODY_MAX,
    ]);
  });

  it('agrees on shapes: every body the client builds passes the simulator, every simulator answer passes the client', () => {
    const message = fc.record({
      to: fc.stringMatching(/^[1-9]\d{7,14}$/),
      callbackData: fc.string({ minLength: 1, maxLength: 64 }),
      content: fc.oneof(
        fc.record({ kind: fc.constant('text' as const), text: fc.string({ minLength: 1, maxLength: TEXT_BODY_MAX }) }),
        fc.record({
          kind: fc.constant('template' as const),
          template: fc.record({
            name: fc.stringMatching(/^[a-z0-9_]{1,40}$/),
            language: fc.constantFrom('en_GB', 'en_US', 'pt_BR', 'es'),
            params: fc.array(fc.string({ minLength: 1, maxLength: 50 }), { maxLength: 5 }),
          }),
        }),
        // A photo, video or document header's file, by id or link (a file name given whatever the kind).
        fc.record({
          kind: fc.constant('template' as const),
          template: fc.record({
            name: fc.stringMatching(/^[a-z0-9_]{1,40}$/),
            language: fc.constantFrom('en_GB', 'es'),
          }),
          resolved: fc.record({
            category: fc.constant('MARKETING' as const),
            parameterFormat: fc.constant('POSITIONAL' as const),
            values: fc.constant({}),
            header: fc.constant<{ value: string }[]>([]),
            body: fc.array(fc.record({ value: fc.string({ minLength: 1, maxLength: 50 }) }), { maxLength: 3 }),
            text: fc.constant({ header: null, body: 'Our timetable' }),
            headerMedia: fc.oneof(
              fc.record(
                {
                  type: fc.constantFrom('image' as const, 'video' as const, 'document' as const),
                  id: fc.stringMatching(/^\d{15,16}$/),
                  filename: fc.string({ minLength: 1, maxLength: 60 }),
                },
                { requiredKeys: ['type', 'id'] },
              ),
              fc.record(
                {
                  type: fc.constantFrom('image' as const, 'video' as const, 'document' as const),
                  link: fc.webUrl({ validSchemes: ['https'] }),
                  filename: fc.string({ minLength: 1, maxLength: 60 }),
                },
                { requiredKeys: ['type', 'link'] },
              ),
            ),
          }),
        }),
        fc.record({
          kind: fc.constant('media' as const),
          media: fc.record(
            {
              type: fc.constantFrom(
                'image' as const,
                'document' as const,
                'video' as const,
                'audio' as const,
                'sticker' as const,
              ),
              id: fc.stringMatching(/^\d{15,16}$/),
              // Given whatever the kind: the client sends a caption and a file name only where Meta allows them.
              caption: fc.string({ minLength: 1, maxLength: CAPTION_MAX }),
              filename: fc.string({ minLength: 1, maxLength: 60 }),
            },
            { requiredKeys: ['type', 'id'] },
          ),
        }),
        fc.record({ kind: fc.constant('interactive' as const), interactive: validInteractive }),
      ),
    });
    fc.assert(
      fc.property(message, (m) => {
        const body = sendBody(m);
        const parsed = parseMessagesRequest(JSON.parse(JSON.stringify(body)));
        expect(parsed).toMatchObject({ ok: true, kind: 'send' });
        if (parsed.ok && parsed.kind === 'send')
          expect(sendAnswerSchema.safeParse(sendAnswer(parsed.body, 'wamid.X')).success).toBe(true);
      }),
    );
    for (const code of [100, 190, 130429, 131026, 131047, 131056, 132000])
      expect(graphErrorBodySchema.safeParse(graphErrorBody({ status: 400, code })).success).toBe(true);
  });

  it('emits statuses that parse, echo the callback data and carry a signature over the exact bytes', async () => {
    const { sandbox, creds, company } = await sandboxNumber();
    const to = waId();
    const outcome = await meta.sendMessage(creds, {
      to,
      content: { kind: 'text', text: 'Olá José' },
      callbackData: 'msg_çé_1',
    });
    if (outcome.kind !== 'accepted') throw new Error(`not accepted: ${outcome.kind}`);
    expect(await sandbox.flushWebhooks()).toHaveLength(3);

    const deliveries = await sandbox.listDeliveries();
    expect(deliveries).toHaveLength(3);
    const statuses = [];
    for (const d of deliveries) {
      expect(await isValidSignature(env.META_APP_SECRET, bytesOf(d.body), d.signature)).toBe(true);
      const payload = webhookPayloadSchema.parse(JSON.parse(d.body));
      expect(payload.entry[0]?.id).toBe(company.wabaId);
      const value = messagesValue(d.body);
      expect(value.metadata).toEqual({ display_phone_number: '15550783881', phone_number_id: company.phoneNumberId });
      for (const s of value.statuses ?? []) statuses.push(statusSchema.parse(s));
    }
    expect(statuses.map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    for (const s of statuses)
      expect(s).toMatchObject({ id: outcome.wamid, recipient_id: to, biz_opaque_callback_data: 'msg_çé_1' });
    expect(statuses[0]).toMatchObject({
      conversation: { origin: { type: 'service' } },
      pricing: { pricing_model: 'PMP', billable: false },
    });
  });

  it('delivers inbound messages that parse, escaped and signed like Meta (non-ASCII included)', async () => {
    const { sandbox, company } = await sandboxNumber();
    const from = waId();
    const text = 'Olá! Posso ir à aula às 7h? 💪 https://example.com/a';
    const { wamid } = await sandbox.inbound({ from: `+${from}`, text, name: 'Zoë Ñúñez' });
    const [delivery] = await sandbox.listDeliveries();
    if (!delivery) throw new Error('nothing delivered');

    // Meta's bytes: ASCII only, non-ASCII as \uXXXX (emoji as a surrogate pair), slashes escaped.
    expect(/^[\x20-\x7e]*$/.test(delivery.body)).toBe(true);
    expect(delivery.body).toContain('Ol\\u00e1');
    expect(delivery.body).toContain('\\ud83d\\udcaa');
    expect(delivery.body).toContain('https:\\/\\/example.com\\/a');
    expect(await isValidSignature(env.META_APP_SECRET, bytesOf(delivery.body), delivery.signature)).toBe(true);
    // Re-serialising the parsed JSON changes the bytes, so the signature no longer matches: receivers must use raw bytes.
    const reserialised = JSON.stringify(JSON.parse(delivery.body));
    expect(await isValidSignature(env.META_APP_SECRET, bytesOf(reserialised), delivery.signature)).toBe(false);

    const value = messagesValue(delivery.body);
    expect(value.metadata.phone_number_id).toBe(company.phoneNumberId);
    expect(value.contacts).toEqual([{ profile: { name: 'Zoë Ñúñez' }, wa_id: from }]);
    const message = inboundMessageSchema.parse(value.messages?.[0]);
    expect(message).toMatchObject({ from, id: wamid, type: 'text', text: { body: text } });
  });

  it('reports Conversions API events the simulator accepts and records exactly as built; errors as Meta', async () => {
    const datasetId = String(Math.floor(1e14 + Math.random() * 9e14));
    const dataset = env.META_SANDBOX.getByName(`dataset:${datasetId}`);
    const events: ConversionEvent[] = [
      {
        name: 'LeadSubmitted',
        id: 'cev_1',
        at: Date.UTC(2026, 5, 1, 9),
        ctwaClid: 'ARAkLkA8',
        wabaId: '102290129340398',
      },
      {
        name: 'Purchase',
        id: 'cev_2',
        at: Date.UTC(2026, 5, 2, 9),
        ctwaClid: 'ARAkLkA8',
        wabaId: null,
        value: { currency: 'GBP', amount: 39.5 },
      },
    ];
    expect(await meta.sendConversionEvents('test-access-token', datasetId, events)).toEqual({
      kind: 'accepted',
      eventsReceived: 2,
    });
    const [got] = await dataset.listConversions();
    expect(got?.body).toStrictEqual(conversionsBody(events));
    expect(got?.body.data[0]).toMatchObject({
      event_name: 'LeadSubmitted',
      event_time: Date.UTC(2026, 5, 1, 9) / 1000,
      action_source: 'business_messaging',
      messaging_channel: 'whatsapp',
      user_data: { whatsapp_business_account_id: '102290129340398', ctwa_clid: 'ARAkLkA8' },
    });

    expect(await meta.sendConversionEvents('', datasetId, events)).toMatchObject({
      kind: 'permanent',
      error: { code: 190 },
    });
    await dataset.queueFaults([
      { kind: 'http', status: 429, code: 80007, retryAfterSeconds: 5 },
      { kind: 'timeout', hangMs: 5_000 },
    ]);
    expect(await meta.sendConversionEvents('t', datasetId, events)).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 5_000,
    });
    expect(await meta.sendConversionEvents('t', datasetId, events)).toMatchObject({ kind: 'unknown' });
    // A body Meta would refuse (a Purchase without its value) is refused by the simulator too.
    const raw = await exports.default.fetch(`${SANDBOX_GRAPH_URL}/${datasetId}/events`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ data: [{ ...conversionsBody(events).data[0], event_name: 'Purchase' }] }),
    });
    expect(raw.status).toBe(400);
    expect(graphErrorBodySchema.parse(await raw.json()).error.code).toBe(100);
    // Accepted: the first call and the one that timed out (Meta had it), never the refused ones.
    expect(await dataset.listConversions()).toHaveLength(2);
  });

  it('agrees on Conversions API shapes: every body the client builds passes the simulator’s schema', () => {
    const event = fc.record({
      name: fc.constantFrom('LeadSubmitted' as const, 'Purchase' as const),
      id: fc.string({ minLength: 1, maxLength: 60 }),
      at: fc.integer({ min: 1_000_000_000_000, max: 4_000_000_000_000 }),
      ctwaClid: fc.string({ minLength: 1, maxLength: 200 }),
      wabaId: fc.option(fc.stringMatching(/^\d{5,20}$/), { nil: null }),
      value: fc.record({
        currency: fc.constantFrom('GBP', 'USD', 'BRL'),
        amount: fc.double({ min: 0, max: 1e5, noNaN: true }),
      }),
    });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 5 }), (events) => {
        const body = JSON.parse(JSON.stringify(conversionsBody(events)));
        expect(conversionsRequestSchema.safeParse(body).success).toBe(true);
      }),
    );
  });

  it('records mark-read calls from the client', async () => {
    const { sandbox, creds } = await sandboxNumber();
    await meta.markRead(creds, 'wamid.INBOUND1');
    expect((await sandbox.listReadReceipts()).map((r) => r.messageId)).toEqual(['wamid.INBOUND1']);
    expect(await sandbox.listMessages()).toEqual([]);
  });
  it('cuts a hanging simulator answer short at the timeout, also from inside a Durable Object', async () => {
    const { sandbox, creds } = await sandboxNumber();
    // Hang far beyond META_TIMEOUT_MS (300 in tests): only the abort signal can end the wait in time.
    await sandbox.queueFaults([{ kind: 'timeout', hangMs: 5_000 }]);
    const caller = env.META_SANDBOX.getByName(`caller-${creds.phoneNumberId}`);
    const outcome = await runInDurableObject(caller, () =>
      metaApiFor(env).sendMessage(creds, {
        to: waId(),
        content: { kind: 'text', text: 'hi' },
        callbackData: 'msg_hang',
      }),
    );
    expect(outcome).toMatchObject({ kind: 'unknown', error: { title: 'Timed out' } });
    expect((await sandbox.listMessages()).map((m) => m.callbackData)).toEqual(['msg_hang']);
  });

  it('uploads a file that the simulator keeps and serves back byte for byte; refuses what Meta refuses (131053)', async () => {
    const { creds } = await sandboxNumber();
    const bytes = new Uint8Array(3000).map((_, i) => i % 256);
    const uploaded = await meta.uploadMedia(creds, {
      mimeType: 'application/pdf',
      filename: 'Prices "2026".pdf',
      body: new Blob([bytes]).stream(),
    });
    if (uploaded.kind !== 'uploaded') throw new Error(`not uploaded: ${JSON.stringify(uploaded)}`);
    const uploads = await env.META_SANDBOX.getByName('media').listUploads();
    expect(uploads.find((u) => u.mediaId === uploaded.id)).toMatchObject({
      phoneNumberId: creds.phoneNumberId,
      mimeType: 'application/pdf',
      size: 3000,
      filename: 'Prices _2026_.pdf',
    });
    const download = await meta.downloadMedia(creds, uploaded.id);
    if (download.kind !== 'ok' || !download.body) throw new Error(`not downloaded: ${download.kind}`);
    expect(download.mimeType).toBe('application/pdf');
    expect(new Uint8Array(await new Response(download.body).arrayBuffer())).toEqual(bytes);

    const refused = await meta.uploadMedia(creds, {
      mimeType: 'image/gif',
      filename: 'a.gif',
      body: new Blob([bytes]).stream(),
    });
    expect(refused).toMatchObject({ kind: 'failed', error: { code: 131053, httpStatus: 400 } });
    const noToken = await meta.uploadMedia(
      { ...creds, accessToken: '' },
      {
        mimeType: 'image/png',
        filename: 'a.png',
        body: new Blob([bytes]).stream(),
      },
    );
    expect(noToken).toMatchObject({ kind: 'failed', error: { code: 190 } });
    const after = await env.META_SANDBOX.getByName('media').listUploads();
    expect(after.filter((u) => u.phoneNumberId === creds.phoneNumberId)).toHaveLength(1);
  });

  it('sends media messages that the simulator accepts and records as sent', async () => {
    const { sandbox, creds } = await sandboxNumber();
    const to = waId();
    const outcome = await meta.sendMessage(creds, {
      to,
      content: { kind: 'media', media: { type: 'audio', id: '123456789012345', caption: 'dropped: audio has none' } },
      callbackData: 'msg_audio_1',
    });
    expect(outcome.kind).toBe('accepted');
    const [recorded] = await sandbox.listMessages();
    expect(recorded?.request).toStrictEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'audio',
      audio: { id: '123456789012345' },
      biz_opaque_callback_data: 'msg_audio_1',
    });
  });
});

// Embedded Signup's calls (worker/whatsapp/meta/signup-calls.ts) against the simulator's "business" instance.
describe('graph client <-> simulator: Embedded Signup', () => {
  const business = () => env.META_SANDBOX.getByName(SANDBOX_BUSINESS_OBJECT);
  const app = { appId: 'sandbox-app', appSecret: env.META_APP_SECRET };

  it('exchanges the code once for a business token that opens only its own WABA', async () => {
    const session = await business().signupFinish({ verified_name: 'Contract Gym' });
    const token = await meta.exchangeCode(app, session.code);
    if (!token.ok) throw new Error(`exchange refused: ${JSON.stringify(token.error)}`);
    expect(token.value.accessToken).toMatch(/^EAASandbox/);
    expect(token.value.expiresInSeconds).toBeGreaterThan(0);
    // Used once: Meta's OAuthException 100 / 36009, in Meta's shape.
    expect(await meta.exchangeCode(app, session.code)).toMatchObject({
      ok: false,
      reached: true,
      error: { code: 100, subcode: 36009, httpStatus: 400 },
    });
    expect(await meta.exchangeCode({ ...app, appSecret: 'wrong' }, session.code)).toMatchObject({
      ok: false,
      error: { code: 1 },
    });

    const creds = { phoneNumberId: session.phone_number_id, accessToken: token.value.accessToken };
    expect(await meta.registerNumber(creds, '135790')).toEqual({ ok: true, value: null });
    expect(await meta.subscribeApp(session.waba_id, token.value.accessToken)).toEqual({ ok: true, value: null });
    expect(await meta.phoneNumberInfo(creds)).toEqual({
      ok: true,
      value: { displayPhoneNumber: session.display_phone_number, verifiedName: 'Contract Gym' },
    });
    // Another WABA's token is refused (200), no token at all is 190.
    const other = await business().signupFinish({});
    expect(await meta.subscribeApp(other.waba_id, token.value.accessToken)).toMatchObject({
      ok: false,
      error: { code: 200, httpStatus: 403 },
    });
    expect(await meta.phoneNumberInfo({ ...creds, accessToken: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 190, httpStatus: 401 },
    });
    // The bodies Meta received are the ones the client builds.
    const calls = await business().signupCalls([session.phone_number_id]);
    expect(calls.map((c) => [c.step, c.body])).toEqual([
      ['register_number', JSON.stringify({ messaging_product: 'whatsapp', pin: '135790' })],
      ['fetch_number', 'fields=display_phone_number,verified_name'],
      ['fetch_number', 'fields=display_phone_number,verified_name'],
    ]);
  });

  it('answers a register with the wrong PIN as Meta does (133005), and a hanging step as a timeout', async () => {
    const session = await business().signupFinish({ existing_pin: '111111' });
    const token = await meta.exchangeCode(app, session.code);
    if (!token.ok) throw new Error('exchange refused');
    const creds = { phoneNumberId: session.phone_number_id, accessToken: token.value.accessToken };
    expect(await meta.registerNumber(creds, '222222')).toMatchObject({
      ok: false,
      reached: true,
      error: { code: 133005, title: 'Two step verification PIN Mismatch' },
    });
    await business().signupQueueFaults(session.phone_number_id, [
      { step: 'fetch_number', kind: 'timeout', status: 400, code: 1 },
    ]);
    expect(await meta.phoneNumberInfo(creds)).toMatchObject({
      ok: false,
      reached: false,
      error: { title: 'Timed out' },
    });
  });
});

describe('graph client <-> simulator: Resumable Upload API (template header samples)', () => {
  const appId = metaAppId(env) ?? '';
  const token = 'test-access-token';
  const png = new Uint8Array(2048).map((_, i) => (i * 7) % 256);
  const media = () => env.META_SANDBOX.getByName('media');
  const templatesApi = metaTemplatesFor(env);
  const imageTemplate = (name: string, handle: string) => ({
    name,
    category: 'MARKETING',
    language: 'en_GB',
    parameter_format: 'POSITIONAL',
    components: [
      { type: 'HEADER' as const, format: 'IMAGE', example: { header_handle: [handle] } },
      { type: 'BODY' as const, text: 'Our new timetable is here.' },
    ],
  });

  async function handleFor(file: { name: string; type: string; bytes: Uint8Array }): Promise<string> {
    const session = await meta.startUploadSession(
      { appId, accessToken: token },
      { name: file.name, length: file.bytes.byteLength, type: file.type },
    );
    if (!session.ok) throw new Error(`no session: ${JSON.stringify(session)}`);
    const uploaded = await meta.uploadToSession(token, session.value.sessionId, file.bytes);
    if (!uploaded.ok) throw new Error(`no handle: ${JSON.stringify(uploaded)}`);
    return uploaded.value.handle;
  }

  it('opens a session, uploads the bytes for a handle, and a template with that handle as its sample is taken', async () => {
    const session = await meta.startUploadSession(
      { appId, accessToken: token },
      { name: 'timetable.png', length: png.byteLength, type: 'image/png' },
    );
    if (!session.ok) throw new Error(JSON.stringify(session));
    // Meta's ids carry their signature as a query string: the client must keep it one.
    expect(session.value.sessionId).toMatch(/^upload:[A-Za-z0-9+/=]+\?sig=[A-Za-z0-9_-]+$/);
    const uploaded = await meta.uploadToSession(token, session.value.sessionId, new Blob([png]).stream());
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded));
    expect(uploaded.value.handle).toMatch(/^2:[A-Za-z0-9+/=]+:image\/png:/);
    expect((await media().listResumableHandles()).find((h) => h.handle === uploaded.value.handle)).toMatchObject({
      appId,
      fileName: 'timetable.png',
      fileLength: 2048,
      fileType: 'image/png',
    });

    const { wabaId } = await makeCompany();
    const created = await templatesApi.create(
      { wabaId, accessToken: token },
      imageTemplate('timetable_photo', uploaded.value.handle),
    );
    expect(created).toMatchObject({ ok: true, value: { status: 'PENDING' } });
    const stored = await env.META_SANDBOX.getByName(`waba:${wabaId}`).listTemplates();
    expect(JSON.parse(stored[0]?.components ?? '[]')[0]).toEqual({
      type: 'HEADER',
      format: 'IMAGE',
      example: { header_handle: [uploaded.value.handle] },
    });
  });

  it('refuses a media header without a handle it issued, or with a sample of the wrong kind (2494102)', async () => {
    const { wabaId } = await makeCompany();
    const creds = { wabaId, accessToken: token };
    const never = await templatesApi.create(creds, imageTemplate('never_issued', '2:bm9wZQ==:image/png:made-up:e:1:x'));
    expect(never).toMatchObject({ ok: false, error: { kind: 'meta_error' } });
    if (never.ok) return;
    expect(never.error.message).toMatch(/handle is invalid/);
    const video = await handleFor({ name: 'tour.mp4', type: 'video/mp4', bytes: png });
    const wrongKind = await templatesApi.create(creds, imageTemplate('wrong_kind', video));
    expect(wrongKind.ok ? '' : wrongKind.error.message).toMatch(/IMAGE header's sample cannot be video\/mp4/);
    const none = await templatesApi.create(creds, {
      ...imageTemplate('no_handle', 'x'),
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Hello there.' },
      ],
    });
    expect(none.ok ? '' : none.error.message).toMatch(/needs one sample handle/);
    expect(await env.META_SANDBOX.getByName(`waba:${wabaId}`).listTemplates()).toEqual([]);
  });

  it('refuses a session for another app, a type the API does not take, or no token, as Meta does', async () => {
    const file = { name: 'a.png', length: 10, type: 'image/png' };
    const otherApp = await meta.startUploadSession({ appId: '999999999', accessToken: token }, file);
    expect(otherApp).toMatchObject({ ok: false, reached: true, error: { code: 100, subcode: 33, httpStatus: 400 } });
    const gif = await meta.startUploadSession({ appId, accessToken: token }, { ...file, type: 'image/gif' });
    expect(gif).toMatchObject({ ok: false, error: { code: 100, httpStatus: 400 } });
    expect(gif.ok ? '' : gif.error.details).toMatch(/file_type must be one of/);
    const noToken = await meta.startUploadSession({ appId, accessToken: '' }, file);
    expect(noToken).toMatchObject({ ok: false, error: { code: 190, httpStatus: 401 } });
  });

  it('refuses an unknown session, another token, a wrong offset, and a body of the wrong length', async () => {
    const session = await meta.startUploadSession(
      { appId, accessToken: token },
      { name: 'prices.pdf', length: png.byteLength, type: 'application/pdf' },
    );
    if (!session.ok) throw new Error(JSON.stringify(session));
    const id = session.value.sessionId;
    const unknown = await meta.uploadToSession(token, 'upload:bm90LW91cnM=?sig=abc', png);
    expect(unknown).toMatchObject({ ok: false, error: { code: 100, subcode: 33 } });
    const unsigned = await meta.uploadToSession(token, id.replace(/\?sig=.*$/, ''), png);
    expect(unsigned).toMatchObject({ ok: false, error: { code: 100, subcode: 33 } });
    const otherToken = await meta.uploadToSession('someone-else', id, png);
    expect(otherToken).toMatchObject({ ok: false, error: { code: 190, httpStatus: 401 } });
    const short = await meta.uploadToSession(token, id, png.slice(0, 100));
    expect(short.ok ? '' : short.error.details).toMatch(/declared 2048 bytes; 100 arrived/);

    // A Bearer header, or an offset past where the session stands, is not Meta's upload step.
    const raw = (headers: Record<string, string>) =>
      exports.default.fetch(
        new Request(`${SANDBOX_GRAPH_URL}/${sessionPath(id)}`, { method: 'POST', headers, body: png }),
      );
    expect((await raw({ Authorization: `Bearer ${token}`, file_offset: '0' })).status).toBe(401);
    const offset = await raw({ Authorization: `OAuth ${token}`, file_offset: '5' });
    expect(offset.status).toBe(400);
    expect(graphErrorBodySchema.parse(await offset.json()).error.error_data?.details).toMatch(
      /file_offset 5 does not match the upload session's offset 0/,
    );
    const noOffset = await raw({ Authorization: `OAuth ${token}` });
    expect(noOffset.status).toBe(400);

    // The whole file once: a handle; the same bytes again find the session complete.
    expect(await meta.uploadToSession(token, id, png)).toMatchObject({ ok: true });
    const again = await meta.uploadToSession(token, id, png);
    expect(again.ok ? '' : again.error.details).toMatch(/offset 2048/);
    const status = await exports.default.fetch(
      new Request(`${SANDBOX_GRAPH_URL}/${sessionPath(id)}`, { headers: { Authorization: `OAuth ${token}` } }),
    );
    expect(await status.json()).toEqual({ id, file_offset: 2048 });
  });
});
