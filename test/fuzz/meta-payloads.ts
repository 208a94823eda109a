// Meta's webhook payloads as fast-check draws them: the real shapes (https://developers.facebook.com/docs/
// whatsapp/cloud-api/webhooks/components, /work/shared/META.md) of inbound messages of every type, statuses,
// template status, category and quality updates and other fields, aimed at our number, our people and the
// messages we sent, then mutated (a field dropped, retyped, made huge or deep) and signed well or badly.
import fc from 'fast-check';
import { hostileString, hostileValue, mutate, mutation } from './mutations';

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

const timestamp = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -600, max: 0 }).map(seconds) },
  { weight: 1, arbitrary: fc.integer({ min: -8 * 86400, max: -86400 }).map(seconds) },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 400 * 86400 }).map(seconds) },
  { weight: 1, arbitrary: fc.constantFrom('0', '1', '8640000000001', '253402300799', '-1', '1.5', 'abc', '') },
);

function pools(t: WebhookTarget) {
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

function messagesValue(t: WebhookTarget): fc.Arbitrary<Record<string, unknown>> {
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

function statusesValue(t: WebhookTarget): fc.Arbitrary<Record<string, unknown>> {
  const { wamid } = pools(t);
  const ours =
    t.sent.length > 0 ? fc.constantFrom(...t.sent) : fc.constant({ wamid: 'wamid.none', callbackData: null, to: '1' });
  const status = fc.record(
    {
      sent: ours,
      id: fc.oneof({ weight: 1, arbitrary: wamid }, { weight: 6, arbitrary: fc.constant(null) }),
      status: fc.oneof(
        { weight: 9, arbitrary: fc.constantFrom('sent', 'delivered', 'read', 'failed') },
        { weight: 1, arbitrary: fc.oneof(fc.constantFrom('deleted', 'warning', 'READ'), hostileString) },
      ),
      timestamp,
      callback: fc.oneof(
        { weight: 5, arbitrary: fc.constant('own') },
        { weight: 1, arbitrary: fc.constantFrom('none', 'cc1:his_0:per_0', 'cc1::', 'garbage', 'cc1:a:b:c') },
      ),
      code: fc.constantFrom(131026, 131047, 131050, 131049, 130429, 1, 2 ** 53),
    },
    { requiredKeys: ['sent', 'status', 'timestamp', 'callback', 'code'] },
  );
  return fc.array(status, { minLength: 1, maxLength: 4 }).map((items) => ({
    statuses: items.map((s) => ({
      id: s.id ?? s.sent.wamid,
      status: s.status,
      timestamp: s.timestamp,
      recipient_id: s.sent.to,
      ...(s.callback === 'own' ? (s.sent.callbackData ? { biz_opaque_callback_data: s.sent.callbackData } : {}) : {}),
      ...(s.callback !== 'own' && s.callback !== 'none' ? { biz_opaque_callback_data: s.callback } : {}),
      conversation: { id: '6ceb9d929c1e36f1b8a2e8e8e8e8e8e8', origin: { type: 'utility' } },
      pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
      ...(s.status === 'failed'
        ? { errors: [{ code: s.code, title: 'Failed', message: 'Failed', error_data: { details: 'fuzz' } }] }
        : {}),
    })),
  }));
}

function templateChange(t: WebhookTarget): fc.Arbitrary<{ field: string; value: unknown }> {
  const template =
    t.templates.length > 0
      ? fc.constantFrom(...t.templates)
      : fc.constant({ metaId: '1', name: 'x', language: 'en_GB' });
  const who = fc.record({
    template,
    idAs: fc.constantFrom('number', 'string', 'unknown', 'absent'),
  });
  const ids = ({ template: tp, idAs }: { template: WebhookTarget['templates'][number]; idAs: string }) => ({
    ...(idAs === 'number' ? { message_template_id: Number(tp.metaId) } : {}),
    ...(idAs === 'string' ? { message_template_id: tp.metaId } : {}),
    ...(idAs === 'unknown' ? { message_template_id: 2 ** 53 + 2 } : {}),
    message_template_name: tp.name,
    message_template_language: tp.language,
  });
  const event = fc.oneof(
    {
      weight: 9,
      arbitrary: fc.constantFrom(
        'APPROVED',
        'REJECTED',
        'PENDING',
        'PAUSED',
        'DISABLED',
        'FLAGGED',
        'ARCHIVED',
        'UNARCHIVED',
        'REINSTATED',
        'PENDING_DELETION',
      ),
    },
    { weight: 1, arbitrary: hostileString },
  );
  const category = fc.constantFrom('MARKETING', 'UTILITY', 'AUTHENTICATION', 'SERVICE');
  return fc.oneof(
    fc.record({ who, event, reason: fc.constantFrom('NONE', 'INCORRECT_CATEGORY', null, 'SCAM') }).map((v) => ({
      field: 'message_template_status_update',
      value: { event: v.event, ...ids(v.who), reason: v.reason },
    })),
    fc.record({ who, previous: category, next: category }).map((v) => ({
      field: 'template_category_update',
      value: { ...ids(v.who), previous_category: v.previous, new_category: v.next },
    })),
    fc.record({ who, score: fc.constantFrom('GREEN', 'YELLOW', 'RED', 'UNKNOWN') }).map((v) => ({
      field: 'message_template_quality_update',
      value: { ...ids(v.who), previous_quality_score: 'GREEN', new_quality_score: v.score },
    })),
  );
}

/** One `changes[]` item of any kind. */
function change(t: WebhookTarget): fc.Arbitrary<{ field: string; value: unknown }> {
  const metadata = fc
    .oneof(
      { weight: 9, arbitrary: fc.constant(t.phoneNumberId) },
      { weight: 1, arbitrary: fc.constantFrom('999999999', '') },
    )
    .map((id) => ({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: id },
    }));
  const accountErrors = fc.constant({
    errors: [
      { code: 131000, title: 'Something went wrong', message: 'Something went wrong', error_data: { details: 'x' } },
    ],
  });
  const messages = fc
    .tuple(
      metadata,
      fc.oneof(
        { weight: 5, arbitrary: messagesValue(t) },
        { weight: 4, arbitrary: statusesValue(t) },
        { weight: 1, arbitrary: accountErrors },
      ),
    )
    .map(([meta, value]) => ({ field: 'messages', value: { ...meta, ...value } }));
  return fc.oneof(
    { weight: 8, arbitrary: messages },
    { weight: 2, arbitrary: templateChange(t) },
    {
      weight: 1,
      arbitrary: fc.record({
        field: fc.constantFrom('account_update', 'phone_number_quality_update', 'security'),
        value: fc.jsonValue({ maxDepth: 2 }),
      }),
    },
  );
}

/** A whole delivery: the envelope (one or two entries of one to three changes), maybe mutated, or anything. */
export function payload(t: WebhookTarget): fc.Arbitrary<unknown> {
  const entry = fc.record({
    id: fc.oneof({ weight: 9, arbitrary: fc.constant(t.wabaId) }, { weight: 1, arbitrary: fc.constant('1') }),
    time: fc.integer({ min: -300, max: 0 }).map((o) => Math.floor(Date.now() / 1000) + o),
    changes: fc.array(change(t), { minLength: 1, maxLength: 3 }),
  });
  const envelope = fc
    .array(entry, { minLength: 1, maxLength: 2 })
    .map((entries) => ({ object: 'whatsapp_business_account', entry: entries }));
  const mutated = fc
    .tuple(envelope, fc.array(mutation, { minLength: 1, maxLength: 2 }))
    .map(([e, ms]) => ms.reduce<unknown>((acc, m) => mutate(acc, m), e));
  return fc.oneof(
    { weight: 6, arbitrary: envelope },
    { weight: 4, arbitrary: mutated },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** How a delivery reaches us: Meta's own bytes and signature, or a forgery, or something no JSON parser takes. */
export type Signing = 'meta' | 'plain_json' | 'missing' | 'wrong_secret' | 'malformed' | 'other_body';

export const signing: fc.Arbitrary<Signing> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<Signing>('meta', 'plain_json') },
  { weight: 1, arbitrary: fc.constantFrom<Signing>('missing', 'wrong_secret', 'malformed', 'other_body') },
);

/** Raw bodies that are no JSON (signed all the same: Meta's bytes are whatever they are). */
export const rawBody = fc.oneof(
  fc.constantFrom('', '{', 'null', '[]', '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{'),
  fc.string({ unit: 'binary', maxLength: 60 }),
);
