// Meta's webhook payloads as fast-check draws them: the real shapes (https://developers.facebook.com/docs/
// whatsapp/cloud-api/webhooks/components) of inbound messages (meta-messages.ts), statuses, template status,
// category and quality updates and other fields, aimed at our number, our people and the messages we sent, then
// mutated (a field dropped, retyped, made huge or deep, duplicated) and signed well or badly.
import fc from 'fast-check';
import { templateStatusSchema } from '../../worker/sandbox/controls';
import { messagesValue, pools, timestamp, type WebhookTarget } from './meta-messages';
import { hostileString, hostileValue, mutate, mutation } from './mutations';

export type { WebhookTarget } from './meta-messages';

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
      // Every event the simulator plays, which are Meta's.
      arbitrary: fc.constantFrom(...templateStatusSchema.shape.event.options),
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
