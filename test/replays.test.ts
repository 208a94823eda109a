// Meta delivers at least once, in parallel and in any order, for days. Whatever mix of webhooks arrived (inbound
// messages, STOP and START, reactions, media, statuses of our sends with and without our callback data, template
// updates), delivering all of it again (shuffled, duplicated, all at once) changes nothing a person, the inbox
// or a counter shows. test/webhook.test.ts holds the one-by-one version of this property.
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCompany, makePerson } from './helpers/fixtures';
import { expectIntegrity, stateOf } from './helpers/integrity';
import { manualSimulator, sendText } from './helpers/sandbox';
import { approvedTemplate, renewalTemplate } from './helpers/templates';
import { change, envelope, inboundMessage, nowSeconds, postWebhook, statusItem } from './helpers/webhooks';

type Delivery =
  | { kind: 'inbound'; who: number; text: string; secondsAgo: number }
  | { kind: 'reaction' | 'image'; who: number }
  | { kind: 'status'; sent: number; status: 'sent' | 'delivered' | 'read' | 'failed'; callback: boolean }
  | { kind: 'template'; event: 'APPROVED' | 'PAUSED' | 'REJECTED' | 'REINSTATED'; secondsAgo: number };

const deliveryArb: fc.Arbitrary<Delivery> = fc.oneof(
  fc.record({
    kind: fc.constant('inbound' as const),
    who: fc.nat(1),
    text: fc.constantFrom('Hi', 'Price?', 'STOP', 'START', 'stop'),
    secondsAgo: fc.nat(120),
  }),
  fc.record({ kind: fc.constantFrom('reaction' as const, 'image' as const), who: fc.nat(1) }),
  fc.record({
    kind: fc.constant('status' as const),
    sent: fc.nat(1),
    status: fc.constantFrom('sent' as const, 'delivered' as const, 'read' as const, 'failed' as const),
    callback: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('template' as const),
    event: fc.constantFrom('APPROVED' as const, 'PAUSED' as const, 'REJECTED' as const, 'REINSTATED' as const),
    secondsAgo: fc.nat(120),
  }),
);

async function world() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const template = await approvedTemplate(company, renewalTemplate());
  const people = [await makePerson(company), await makePerson(company)];
  for (const [i, p] of people.entries()) {
    await sim.inbound({ from: p.phone, text: 'Hello' });
    expect((await sendText(company, p.id, `Welcome ${i}`)).status).toBe(202);
  }
  const sent = await sim.listMessages();

  /** The webhook body for a delivery: built once, so a replay is byte for byte the same. */
  const bodyOf = (d: Delivery, n: number): unknown => {
    if (d.kind === 'template')
      return {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: company.wabaId,
            time: Math.floor(Date.now() / 1000) - d.secondsAgo,
            changes: [
              {
                field: 'message_template_status_update',
                value: {
                  event: d.event,
                  message_template_id: Number(template.meta_id),
                  message_template_name: template.name,
                  message_template_language: template.language,
                  reason: d.event === 'REJECTED' ? 'INCORRECT_CATEGORY' : 'NONE',
                },
              },
            ],
          },
        ],
      };
    if (d.kind === 'status') {
      const m = sent[d.sent];
      const item = statusItem({
        id: m?.wamid ?? 'wamid.none',
        status: d.status,
        to: m?.to ?? '',
        ...(d.callback && m?.callbackData ? { callbackData: m.callbackData } : {}),
        ...(d.status === 'failed' ? { error: { code: 131026, title: 'Message undeliverable' } } : {}),
      });
      return envelope(company.phoneNumberId, { statuses: [item] });
    }
    const from = people[d.who]?.phone ?? '';
    const id = `wamid.REPLAY.${company.id}.${n}`;
    const message =
      d.kind === 'inbound'
        ? inboundMessage({ from, id, text: d.text, timestamp: nowSeconds(-d.secondsAgo * 1000) })
        : d.kind === 'reaction'
          ? inboundMessage({
              from,
              id,
              message: { type: 'reaction', reaction: { message_id: sent[d.who]?.wamid, emoji: '👍' } },
            })
          : inboundMessage({
              from,
              id,
              message: { type: 'image', image: { id: `media${n}`, mime_type: 'image/jpeg', sha256: 'x' } },
            });
    return {
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [change(company.phoneNumberId, { messages: [message] })] }],
    };
  };
  return { company, bodyOf };
}

async function templatesOf(companyId: string) {
  return (
    await env.DB.prepare('SELECT id, status, category, rejected_reason, status_at FROM templates WHERE company_id = ?')
      .bind(companyId)
      .all()
  ).results;
}

describe('replayed webhooks change nothing, delivered at once (property)', () => {
  it('leaves people, history, counters, inbox rows, consent and templates as the first delivery did', async () => {
    // The deliveries, then the order of their replay: each once, some again, shuffled.
    const plan = fc
      .tuple(fc.array(deliveryArb, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 8 }))
      .chain(([deliveries, extra]) => {
        const replay = [...deliveries.keys(), ...extra.map((i) => i % deliveries.length)];
        return fc.shuffledSubarray(replay, { minLength: replay.length }).map((order) => ({ deliveries, order }));
      });
    await fc.assert(
      fc.asyncProperty(plan, async ({ deliveries, order }) => {
        const { company, bodyOf } = await world();
        const bodies = deliveries.map(bodyOf);
        const first = await Promise.all(bodies.map((b) => postWebhook(b)));
        expect(first.map((r) => r.status)).toEqual(bodies.map(() => 200));
        const before = { state: await stateOf(company.id), templates: await templatesOf(company.id) };

        const replayed = await Promise.all(order.map((i) => postWebhook(bodies[i])));
        expect(replayed.every((r) => r.status === 200)).toBe(true);

        expect({ state: await stateOf(company.id), templates: await templatesOf(company.id) }).toEqual(before);
        await expectIntegrity(company.id);
      }),
      { numRuns: 12 },
    );
    // Each run makes a company and delivers up to 24 webhooks at once: a budget for a busy machine, not a timing check.
  }, 120_000);
});
