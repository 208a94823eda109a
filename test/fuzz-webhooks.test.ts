// The webhook fuzzer: Meta-shaped payloads (every inbound type, statuses of the messages we sent, template status,
// category and quality updates, other fields, Meta's errors arrays), mutated, batched, delivered one to three at
// once and sometimes again, signed as Meta signs or forged. The rules (worker/whatsapp/webhook.ts): a forgery is
// 401, a body over 1 MiB 413, anything else signed 200 and nothing lost: every inbound message for our number is
// in history or kept as a dead letter. A 500 would make Meta retry for days, so it fails here. A replay changes
// nothing, and afterwards D1 holds together (test/helpers/integrity.ts).
// Seed, budget and the command that repeats a run: test/fuzz/settings.ts (README, "Tests").
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { expect, it, vi } from 'vitest';
import { metaJson } from '../worker/sandbox/meta-json';
import { signBody } from '../worker/whatsapp/meta/signature';
import { MAX_WEBHOOK_BYTES } from '../worker/whatsapp/webhook-limits';
import { payload, rawBody, type Signing, signing, type WebhookTarget } from './fuzz/meta-payloads';
import { fuzz, fuzzTimeoutMs } from './fuzz/run';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectIntegrity, stateOf } from './helpers/integrity';
import { manualSimulator, sendText } from './helpers/sandbox';
import { approvedTemplate, renewalTemplate, type TemplateJson } from './helpers/templates';
import { postWebhook } from './helpers/webhooks';

const FILE = 'test/fuzz-webhooks.test.ts';

/** A company whose people wrote and were written to, with an approved template: what the payloads aim at. */
async function target(): Promise<{ company: TestCompany; target: WebhookTarget }> {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const template = await approvedTemplate(company, renewalTemplate());
  const phones = ['+5511987654321', '+525512345678'];
  const people = [];
  for (let i = 0; i < 4; i++) people.push(await makePerson(company, phones[i] ? { phone: phones[i] } : {}));
  for (const [i, p] of people.entries()) {
    await sim.inbound({ from: p.phone, text: 'Hello' });
    expect((await sendText(company, p.id, `Welcome ${i}`)).status).toBe(202);
  }
  const tpl = await api(company, 'POST', `/api/v1/people/${people[0]?.id}/whatsapp/messages`, {
    template: { name: template.name, language: template.language, params: ['Sheena', 'Spin'] },
  });
  expect(tpl.status).toBe(202);
  const templates = (
    (await (await api(company, 'GET', '/api/v1/whatsapp/templates')).json()) as { collection: TemplateJson[] }
  ).collection.flatMap((t) => (t.meta_id ? [{ metaId: t.meta_id, name: t.name, language: t.language }] : []));
  return {
    company,
    target: {
      phoneNumberId: company.phoneNumberId,
      wabaId: company.wabaId,
      waIds: people.map((p) => p.phone.slice(1)),
      sent: (await sim.listMessages()).map((m) => ({ wamid: m.wamid, callbackData: m.callbackData, to: m.to })),
      templates,
      wamidPrefix: `wamid.FUZZ.${company.id}.`,
    },
  };
}

interface Delivery {
  body: unknown;
  raw?: string;
  signing: Signing;
}

function bytesOf(d: Delivery): string {
  if (d.raw !== undefined) return d.raw;
  // A mutation may have dropped the whole body: an empty POST.
  if (d.body === undefined) return '';
  return d.signing === 'plain_json' ? JSON.stringify(d.body) : metaJson(d.body);
}

async function deliver(d: Delivery): Promise<{ text: string; res: Response }> {
  const text = bytesOf(d);
  const secret = env.META_APP_SECRET;
  const bytes = new TextEncoder().encode(`${text} `);
  const signature = {
    meta: undefined,
    plain_json: undefined,
    missing: undefined,
    wrong_secret: await signBody('not-the-app-secret', bytes),
    malformed: 'sha256=zz',
    // A good signature, of other bytes.
    other_body: await signBody(secret, bytes),
  }[d.signing];
  const res = await postWebhook(null, { raw: text, ...(d.signing === 'missing' ? { secret: null } : {}), signature });
  return { text, res };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The ids of the inbound messages a payload sends our number, as far as its shape can be read. */
function inboundIds(text: string, phoneNumberId: string): string[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  if (!isObject(body) || !Array.isArray(body.entry)) return [];
  const ids: string[] = [];
  for (const entry of body.entry)
    for (const change of isObject(entry) && Array.isArray(entry.changes) ? entry.changes : []) {
      if (!isObject(change) || change.field !== 'messages' || !isObject(change.value)) continue;
      const { metadata, messages } = change.value;
      if (!isObject(metadata) || metadata.phone_number_id !== phoneNumberId || !Array.isArray(messages)) continue;
      // Ids a dead letter holds verbatim (no character JSON or Meta's escaping would rewrite).
      for (const m of messages) if (isObject(m) && typeof m.id === 'string' && /^[\w.-]+$/.test(m.id)) ids.push(m.id);
    }
  return ids;
}

/** Stored as a message of the company, or kept as a dead letter: Meta will not send it again. */
async function expectAccountedFor(companyId: string, wamid: string, said: string): Promise<void> {
  const row = await env.DB.prepare(
    `SELECT (SELECT count(*) FROM history_notes WHERE company_id = ?1 AND wamid = ?2)
          + (SELECT count(*) FROM webhook_dead_letters WHERE instr(raw_body, ?3) > 0) AS n`,
  )
    .bind(companyId, wamid, JSON.stringify(wamid))
    .first<{ n: number }>();
  expect(row?.n, `${wamid} is neither stored nor kept: ${said}`).toBeGreaterThan(0);
}

/** One delivery's answer by the webhook's rules; a message it carried for our number is stored or kept. */
async function expectAnswer(d: Delivery, text: string, res: Response, companyId: string, t: WebhookTarget) {
  const said = `${d.signing} delivery of ${text.slice(0, 400)} answered ${res.status}`;
  const size = new TextEncoder().encode(text).byteLength;
  const forged = d.signing !== 'meta' && d.signing !== 'plain_json';
  // The size is checked first: no body that large is read, let alone its signature checked.
  expect(res.status, said).toBe(size > MAX_WEBHOOK_BYTES ? 413 : forged ? 401 : 200);
  if (res.status !== 200) expect(await res.json(), said).toMatchObject({ error: { code: expect.any(String) } });
  // A dead letter keeps the first 333,333 characters of what it holds: an id beyond that may be cut off.
  if (res.status === 200 && size < 300_000)
    for (const id of inboundIds(text, t.phoneNumberId)) await expectAccountedFor(companyId, id, said);
}

it(
  'answers every signed payload 200 and every forgery 401, loses no message, and replays change nothing',
  async () => {
    const { company, target: t } = await target();
    const errors = vi.spyOn(console, 'error');
    const one = fc.record({
      body: payload(t),
      raw: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: rawBody }),
      signing,
    });
    const run = fc.record({ deliveries: fc.array(one, { minLength: 1, maxLength: 3 }), replay: fc.boolean() });

    await fuzz(FILE, run, async ({ deliveries, replay }) => {
      // Each run answers for what it logs (so fast-check can shrink the run that logged it).
      errors.mockClear();
      // Delivered at once, as Meta's parallel retries arrive.
      const answers = await Promise.all(deliveries.map(deliver));
      for (const [i, { text, res }] of answers.entries())
        await expectAnswer(deliveries[i] as Delivery, text, res, company.id, t);
      const signed = deliveries.filter((d) => d.signing === 'meta');
      if (replay) {
        // Meta redelivers what it already delivered: nothing a person or the inbox sees may change.
        const before = await stateOf(company.id);
        const again = await Promise.all(signed.map(deliver));
        expect(again.every((a) => a.res.status === 200 || a.res.status === 413)).toBe(true);
        expect(await stateOf(company.id)).toEqual(before);
      }
      // Nothing failed quietly on our side either (an item, a background task): the worker logs those.
      expect(errors.mock.calls).toEqual([]);
      return deliveries.length + (replay ? signed.length : 0);
    });

    await expectIntegrity(company.id);
    expect(errors.mock.calls).toEqual([]);
  },
  fuzzTimeoutMs(),
);
