// Meta's inbound messages as fast-check draws them, every type Meta sends (text, reactions, media, location,
// contacts, button and list replies, template quick replies, click-to-WhatsApp referrals, unsupported, system),
// from our people, strangers and nonsense, with replies (`context`) to the messages we sent.
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components
import fc from 'fast-check';
import { hostileString } from './mutations';

/** What the payloads aim at: the company's number and WABA, its people, the messages it sent, its templates. */
export interface WebhookTarget {
  phoneNumberId: string;
  wabaId: string;
  /** Our people's wa_ids (their phones' digits). */
  waIds: string[];
  sent: { wamid: string; callbackData: string | null; to: string }[];
  templates: { metaId: string; name: string; language: string }[];
  /** Makes this run's inbound wamids, so that a small range of numbers repeats (Meta's redeliveries). */
  wamidPrefix: string;
}

const seconds = (offset: number) => String(Math.floor(Date.now() / 1000) + offset);

export const timestamp = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -600, max: 0 }).map(seconds) },
  { weight: 1, arbitrary: fc.integer({ min: -8 * 86400, max: -86400 }).map(seconds) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 400 * 86400 }).map(seconds) },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '8640000000001', '253402300799', '-1', '1.5', 'abc', '') },
);

export function pools(t: WebhookTarget) {
  const ownWamid = fc.nat(60).map((n) => `${t.wamidPrefix}${n}`);
  const sentWamid = t.sent.length > 0 ? fc.constantFrom(...t.sent.map((s) => s.wamid)) : ownWamid;
  const waId = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...t.waIds) },
    // New numbers (leads); a small range, so the same stranger writes again.
    { weight: 2, arbitrary: fc.nat(15).map((n) => `4479${String(n).padStart(8, '0')}`) },
    // Meta's older forms of Brazilian and Mexican mobiles.
    { weight: 1, arbitrary: fc.constantFrom('5511987654321', '551187654321', '5215512345678', '525512345678') },
    { weight: 1, arbitrary: hostileString },
  );
  const wamid = fc.oneof(
    { weight: 8, arbitrary: ownWamid },
    { weight: 1, arbitrary: sentWamid },
    { weight: 1, arbitrary: hostileString },
  );
  return { waId, wamid, sentWamid };
}

const text = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('Hi', 'Is the pool open?', 'STOP', 'start', ' Stop ', 'please stop by') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: hostileString },
);

const media = (type: string) =>
  fc
    .record(
      {
        id: fc.oneof(fc.stringMatching(/^[0-9]{6,16}$/), hostileString),
        mime_type: fc.constantFrom(
          'image/jpeg',
          'application/pdf',
          'audio/ogg; codecs=opus',
          'video/mp4',
          'image/webp',
        ),
        sha256: fc.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
        caption: text,
        filename: fc.constantFrom('form.pdf', '../../x.exe', 'contrat été.pdf'),
        animated: fc.boolean(),
        voice: fc.boolean(),
      },
      { requiredKeys: ['id', 'mime_type'] },
    )
    .map((m) => ({ type, [type]: m }));

/** The type-specific part of an inbound message, for every type Meta sends. */
function content(wamid: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const reply = fc.record({ id: fc.string({ maxLength: 20 }), title: text });
  return fc.oneof(
    { weight: 4, arbitrary: text.map((body) => ({ type: 'text', text: { body } })) },
    {
      weight: 2,
      arbitrary: fc
        .record(
          { message_id: wamid, emoji: fc.constantFrom('👍', '❤️', '', '🙂'.repeat(5)) },
          { requiredKeys: ['message_id'] },
        )
        .map((reaction) => ({ type: 'reaction', reaction })),
    },
    { weight: 3, arbitrary: fc.constantFrom('image', 'document', 'audio', 'video', 'sticker').chain(media) },
    {
      weight: 1,
      arbitrary: fc
        .record(
          {
            latitude: fc.double({ min: -90, max: 90, noNaN: true }),
            longitude: fc.double({ min: -180, max: 180, noNaN: true }),
            name: text,
            address: text,
            url: fc.webUrl(),
          },
          { requiredKeys: ['latitude', 'longitude'] },
        )
        .map((location) => ({ type: 'location', location })),
    },
    {
      weight: 1,
      arbitrary: fc
        .array(
          fc.record({
            name: fc.record({ formatted_name: text, first_name: text }),
            phones: fc.array(fc.record({ phone: fc.constant('+44 7400 000000'), wa_id: fc.constant('447400000000') })),
            emails: fc.array(fc.record({ email: fc.emailAddress(), type: fc.constant('WORK') })),
          }),
          { minLength: 1, maxLength: 3 },
        )
        .map((contacts) => ({ type: 'contacts', contacts })),
    },
    {
      weight: 2,
      arbitrary: fc.oneof(
        reply.map((r) => ({ type: 'interactive', interactive: { type: 'button_reply', button_reply: r } })),
        fc
          .record({ id: fc.string({ maxLength: 20 }), title: text, description: text })
          .map((r) => ({ type: 'interactive', interactive: { type: 'list_reply', list_reply: r } })),
        fc.constant({
          type: 'interactive',
          interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"a":1}' } },
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ text, payload: fc.string({ maxLength: 20 }) })
        .map((button) => ({ type: 'button', button })),
    },
    {
      // Click-to-WhatsApp ads: a text that carries where the person came from.
      weight: 1,
      arbitrary: fc
        .record({
          source_url: fc.webUrl(),
          source_id: fc.stringMatching(/^[0-9]{10,16}$/),
          source_type: fc.constantFrom('ad', 'post'),
          headline: text,
          body: text,
          media_type: fc.constantFrom('image', 'video'),
          image_url: fc.webUrl(),
          ctwa_clid: fc.string({ maxLength: 40 }),
        })
        .chain((referral) => text.map((body) => ({ type: 'text', text: { body }, referral }))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        {
          type: 'unsupported',
          errors: [
            {
              code: 131051,
              title: 'Message type unknown',
              message: 'Message type unknown',
              error_data: { details: 'Message type is currently not supported.' },
            },
          ],
        },
        { type: 'system', system: { body: 'User changed number', wa_id: '447400000001', type: 'user_changed_number' } },
        { type: 'request_welcome' },
        { type: 'order', order: { catalog_id: '1', product_items: [{ product_retailer_id: 'x', quantity: 1 }] } },
      ),
    },
  );
}

interface Inbound {
  message: Record<string, unknown> & { from: string };
  profile: string | undefined;
}

function inbound(t: WebhookTarget): fc.Arbitrary<Inbound> {
  const { waId, wamid, sentWamid } = pools(t);
  return fc
    .record(
      {
        from: waId,
        id: wamid,
        timestamp,
        content: content(fc.oneof(sentWamid, wamid)),
        context: fc.record(
          { from: fc.constant('15550783881'), id: fc.oneof(sentWamid, wamid), forwarded: fc.boolean() },
          { requiredKeys: ['id'] },
        ),
        name: fc.oneof(fc.constantFrom('Sheena Nelson', 'José', ''), text),
      },
      { requiredKeys: ['from', 'id', 'timestamp', 'content'] },
    )
    .map(({ content: c, name, ...m }): Inbound => ({ message: { ...m, ...c }, profile: name }));
}

export function messagesValue(t: WebhookTarget): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(fc.array(inbound(t), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([items, withContacts]) => ({
    messages: items.map((i) => i.message),
    ...(withContacts
      ? {
          contacts: items.map((i) => ({
            profile: i.profile === undefined ? {} : { name: i.profile },
            wa_id: i.message.from,
          })),
        }
      : {}),
  }));
}
