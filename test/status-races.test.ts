// Meta delivers status webhooks at least once, unordered, and sometimes the same one in parallel. Whatever
// the interleaving, a message ends at its highest status and the sent counter counts it once.
import { runInDurableObject } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectCountersMatchHistory } from './helpers/integrity';
import { conversation, countersOf, historyOf, manualSimulator, sendText } from './helpers/sandbox';
import { envelope, postWebhook, statusItem } from './helpers/webhooks';

type MetaStatus = 'sent' | 'delivered' | 'read' | 'failed';

async function acceptedMessage(company: TestCompany) {
  const sim = await manualSimulator(company);
  const person = await makePerson(company);
  await sim.inbound({ from: person.phone, text: 'hi' });
  const res = await sendText(company, person.id, 'Hello!', { sale_type: 'membership' });
  expect(res.status).toBe(202);
  const note = (await res.json()) as { id: string; wamid: string; status: string };
  expect(note.status).toBe('sent');
  const accepted = (await sim.listMessages()).find((m) => m.wamid === note.wamid);
  return { sim, person, note, callbackData: accepted?.callbackData ?? undefined };
}

function statusPost(company: TestCompany, phone: string, wamid: string, statuses: MetaStatus[], cb?: string) {
  const items = statuses.map((status) =>
    statusItem({
      id: wamid,
      status,
      to: phone,
      callbackData: cb,
      ...(status === 'failed' ? { error: { code: 131026, title: 'Message undeliverable' } } : {}),
    }),
  );
  return envelope(company.phoneNumberId, { statuses: items });
}

describe('status webhooks under concurrency', () => {
  it('counts the same failed status once, in one POST, in concurrent POSTs and in a later POST', async () => {
    const company = await makeCompany();
    const { person, note } = await acceptedMessage(company);
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);

    const twice = statusPost(company, person.phone, note.wamid, ['failed', 'failed']);
    const answers = await Promise.all([postWebhook(twice), postWebhook(twice)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect((await postWebhook(statusPost(company, person.phone, note.wamid, ['failed']))).status).toBe(200);

    expect((await countersOf(company, person.id)).membership.sent).toBe(0);
    const [stored] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(stored).toMatchObject({ status: 'failed', error: { code: 131026 } });
    await expectCountersMatchHistory(company.id);
  });

  it('never moves a status backwards when delivered and read race', async () => {
    const company = await makeCompany();
    const { person, note } = await acceptedMessage(company);
    await Promise.all([
      postWebhook(statusPost(company, person.phone, note.wamid, ['read'])),
      postWebhook(statusPost(company, person.phone, note.wamid, ['delivered'])),
      postWebhook(statusPost(company, person.phone, note.wamid, ['sent'])),
    ]);
    const [stored] = await historyOf(company, person.id, 'whatsapp_sent');
    expect(stored?.status).toBe('read');
    expect((await countersOf(company, person.id)).membership.sent).toBe(1);
  });

  it('counts once when a stored status is applied again because its answer was lost', async () => {
    const company = await makeCompany();
    const { person, note } = await acceptedMessage(company);
    const failed = statusPost(company, person.phone, note.wamid, ['failed']);
    expect((await postWebhook(failed)).status).toBe(200);
    // D1 committed, but the object never heard back (its own record still says `sent`); Meta retries.
    await runInDurableObject(conversation(company, person.id), (_i, state) => {
      state.storage.sql.exec(`UPDATE outbound SET status = 'sent' WHERE message_id = ?`, note.id);
    });
    expect((await postWebhook(failed)).status).toBe(200);
    expect((await countersOf(company, person.id)).membership.sent).toBe(0);
    await expectCountersMatchHistory(company.id);
  });

  it('ends every permutation of all four statuses, duplicated and posted at once, at read, counted once', async () => {
    const company = await makeCompany();
    const all: MetaStatus[] = ['sent', 'delivered', 'read', 'failed'];
    const permutation = fc.shuffledSubarray(all, { minLength: 4, maxLength: 4 });
    const extra = fc.array(fc.constantFrom(...all), { maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(permutation, extra, fc.integer({ min: 1, max: 4 }), async (order, duplicates, posts) => {
        const { person, note, callbackData } = await acceptedMessage(company);
        const items = [...order, ...duplicates];
        // Split into `posts` webhook deliveries that race each other.
        const groups = Array.from({ length: posts }, (_, i) => items.filter((_, j) => j % posts === i));
        const answers = await Promise.all(
          groups
            .filter((g) => g.length > 0)
            .map((g) => postWebhook(statusPost(company, person.phone, note.wamid, g, callbackData))),
        );
        expect(answers.every((r) => r.status === 200)).toBe(true);
        const [stored] = await historyOf(company, person.id, 'whatsapp_sent');
        expect(stored?.status).toBe('read');
        expect((await countersOf(company, person.id)).membership.sent).toBe(1);
        await expectCountersMatchHistory(company.id);
      }),
      { numRuns: 24 },
    );
  }, 120_000);

  it('ends every interleaving of duplicated statuses at the same status and count (property)', async () => {
    const company = await makeCompany();
    const statuses = fc.constantFrom<MetaStatus>('sent', 'delivered', 'read', 'failed');
    // Each run: a non-empty multiset of statuses, split into POSTs that are all delivered at once.
    const deliveries = fc.array(fc.array(statuses, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 4 });
    const rank: Record<MetaStatus, number> = { sent: 1, delivered: 2, failed: 3, read: 4 };
    await fc.assert(
      fc.asyncProperty(deliveries, fc.boolean(), async (posts, withCallback) => {
        const { person, note, callbackData } = await acceptedMessage(company);
        const cb = withCallback ? callbackData : undefined;
        const answers = await Promise.all(
          posts.map((group) => postWebhook(statusPost(company, person.phone, note.wamid, group, cb))),
        );
        expect(answers.every((r) => r.status === 200)).toBe(true);
        const all = posts.flat();
        const highest = all.reduce((a, b) => (rank[b] > rank[a] ? b : a), 'sent' as MetaStatus);
        const [stored] = await historyOf(company, person.id, 'whatsapp_sent');
        expect(stored?.status).toBe(highest);
        expect((await countersOf(company, person.id)).membership.sent).toBe(highest === 'failed' ? 0 : 1);
        await expectCountersMatchHistory(company.id);
      }),
      { numRuns: 25 },
    );
    // Each run sends a message and posts up to 12 statuses: a budget for a busy 2-core machine, not a timing check.
  }, 120_000);
});
