// The staff app's outbox (pwa/src/lib/outbox/) replays a reply written offline with its client-generated id
// as Idempotency-Key, over the session cookie. However often it is replayed, one after the other or at once
// (two tabs, the online event racing app start), WhatsApp receives it once.
import { describe, expect, it } from 'vitest';
import { makeCompany, makePerson } from './helpers/fixtures';
import { expectError, manualSimulator } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

async function setUp() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const person = await makePerson(company);
  const staff = await staffSession(company);
  const path = `/api/v1/people/${person.id}/whatsapp/messages`;
  const reply = (key: string, text = 'See you at 6') =>
    staff.fetch(path, { method: 'POST', body: { text }, headers: { 'Idempotency-Key': key } });
  return { sim, person, reply };
}

describe('a reply replayed from the outbox over a staff session', () => {
  it('is sent once, and every replay answers with the same message', async () => {
    const { sim, person, reply } = await setUp();
    await sim.inbound({ from: person.phone, text: 'Can I come at 6?' });
    const key = crypto.randomUUID();
    const first = await reply(key);
    const again = await reply(key);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    const [a, b] = (await Promise.all([first.json(), again.json()])) as { id: string }[];
    expect(b?.id).toBe(a?.id);
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('replayed at the same moment, it still reaches WhatsApp once', async () => {
    const { sim, person, reply } = await setUp();
    await sim.inbound({ from: person.phone, text: 'Can I come at 6?' });
    const key = crypto.randomUUID();
    const answers = await Promise.all([reply(key), reply(key), reply(key)]);
    // Each either names the one message or asks to retry later (the outbox keeps it waiting then).
    for (const res of answers) expect([202, 409]).toContain(res.status);
    expect(answers.some((res) => res.status === 202)).toBe(true);
    const ids = new Set<string>();
    for (const res of answers) if (res.status === 202) ids.add(((await res.json()) as { id: string }).id);
    expect(ids.size).toBe(1);
    expect(await sim.listMessages()).toHaveLength(1);
  });

  it('is checked again when it goes: the window closed meanwhile is refused, and nothing is sent', async () => {
    const { sim, reply } = await setUp();
    // The person never wrote (or wrote over 24 hours ago): free text may not go.
    await expectError(await reply(crypto.randomUUID()), 409, 'window_closed');
    expect(await sim.listMessages()).toHaveLength(0);
  });
});
