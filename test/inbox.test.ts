// The inbox API as the staff app uses it: conversation rows, messages with media, quotes and reactions,
// read state (also at Meta), the media proxy, and company isolation.
import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, manualSimulator, sendText } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

interface Conversation {
  person_id: string;
  name: string;
  phone: string;
  last_message: { direction: string; preview: string; status: string | null } | null;
  unread_count: number;
  window_open: boolean;
  window_expires_at: string | null;
  opted_out: boolean;
  last_failed: boolean;
}

interface Message {
  id: string;
  wamid: string | null;
  direction: string | null;
  message_type: string | null;
  body: string | null;
  status: string | null;
  media: { id: string; mime_type: string; caption: string | null; url: string } | null;
  quoted: { wamid: string; body: string | null; direction: string } | null;
  reactions: { emoji: string; direction: string }[];
}

async function setUp() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const staff = await staffSession(company);
  const list = async (query = ''): Promise<Conversation[]> => {
    const res = await staff.fetch(`/api/v1/conversations${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { collection: Conversation[] }).collection;
  };
  const messages = async (personId: string): Promise<Message[]> => {
    const res = await staff.fetch(`/api/v1/conversations/${personId}/messages`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { collection: Message[] }).collection;
  };
  return { company, sim, staff, list, messages };
}

const digits = (phone: string) => phone.slice(1);

async function personWhoWrote(
  company: TestCompany,
  sim: Awaited<ReturnType<typeof manualSimulator>>,
  text: string,
  name: string,
) {
  const person = await makePerson(company, { first_name: name });
  const { wamid } = await sim.inbound({ from: digits(person.phone), text, name });
  return { ...person, wamid };
}

describe('conversations list', () => {
  it('shows conversations newest first with preview, unread count, window and markers', async () => {
    const { company, sim, list } = await setUp();
    const quiet = await makePerson(company, { first_name: 'Quiet' });
    const older = await personWhoWrote(company, sim, 'Is the pool open?', 'Olive');
    const newer = await personWhoWrote(company, sim, 'Hi, what are your prices?', 'Nadia');
    await sim.inbound({ from: digits(newer.phone), text: 'And do you have classes?', name: 'Nadia' });

    const rows = await list();
    expect(rows.map((r) => r.person_id)).toEqual([newer.id, older.id]);
    expect(rows.some((r) => r.person_id === quiet.id)).toBe(false);
    expect(rows[0]).toMatchObject({
      name: 'Nadia',
      last_message: { direction: 'inbound', preview: 'And do you have classes?' },
      unread_count: 2,
      window_open: true,
      opted_out: false,
      last_failed: false,
    });
    expect(Date.parse(rows[0]?.window_expires_at ?? '')).toBeGreaterThan(Date.now() + 23 * 3600_000);
  });

  it('searches by name or phone and filters by unread, open window and opt-out', async () => {
    const { company, sim, staff, list } = await setUp();
    const olive = await personWhoWrote(company, sim, 'Hello', 'Olive');
    const nadia = await personWhoWrote(company, sim, 'STOP', 'Nadia');
    await staff.fetch(`/api/v1/conversations/${olive.id}/read`, { method: 'POST', body: {} });

    expect((await list('?q=oli')).map((r) => r.person_id)).toEqual([olive.id]);
    expect((await list(`?q=${nadia.phone.slice(-6)}`)).map((r) => r.person_id)).toEqual([nadia.id]);
    expect((await list('?q=100%25')).length).toBe(0);
    expect((await list('?unread=true')).map((r) => r.person_id)).toEqual([nadia.id]);
    expect((await list('?opted_out=true')).map((r) => r.person_id)).toEqual([nadia.id]);
    expect((await list('?opted_out=false')).map((r) => r.person_id)).toEqual([olive.id]);
    expect((await list('?window_open=true')).length).toBe(2);
    const page = await staff.fetch('/api/v1/conversations?per_page=1&page=2');
    expect(await page.json()).toMatchObject({
      collection: [{ person_id: olive.id }],
      pagination: { total_entries: 2 },
    });
  });

  it('marks a failed last send and shows our own last message', async () => {
    const { company, sim, list } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Fay');
    await sim.failRecipient(digits(person.phone), 131026, 'Message undeliverable');
    expect((await sendText(company, person.id, 'Welcome!')).status).toBe(202);
    await sim.flushWebhooks();
    const [row] = await list();
    expect(row).toMatchObject({
      last_message: { direction: 'outbound', preview: 'Welcome!', status: 'failed' },
      last_failed: true,
    });
  });
});

describe('conversation messages', () => {
  it('carries media with the proxy url and caption, quoted replies and reactions on their message', async () => {
    const { company, sim, messages } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Mia');
    expect((await sendText(company, person.id, 'Here is our timetable')).status).toBe(202);
    const [sent] = (await sim.listMessages()).slice(-1);
    const ourWamid = sent?.wamid ?? '';
    await sim.inbound({ from: digits(person.phone), type: 'image', text: 'My membership card', name: 'Mia' });
    await sim.inbound({ from: digits(person.phone), text: 'Thanks!', context: { id: ourWamid }, name: 'Mia' });
    await sim.inbound({
      from: digits(person.phone),
      type: 'reaction',
      content: { message_id: ourWamid, emoji: '👍' },
      name: 'Mia',
    });

    const list = await messages(person.id);
    expect(list.map((m) => m.message_type)).toEqual(['text', 'image', 'text', 'text']);
    const [reply, image, ours] = list;
    expect(reply).toMatchObject({
      body: 'Thanks!',
      quoted: { wamid: ourWamid, body: 'Here is our timetable', direction: 'outbound' },
    });
    expect(image?.media).toMatchObject({ mime_type: 'image/jpeg', caption: 'My membership card' });
    expect(image?.media?.url).toBe(`/api/v1/media/${image?.media?.id}`);
    expect(ours).toMatchObject({
      wamid: ourWamid,
      direction: 'outbound',
      reactions: [{ emoji: '👍', direction: 'inbound' }],
    });
  });

  it('answers 404 for a person of another company', async () => {
    const { company, sim } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Ida');
    const other = await staffSession(await makeCompany());
    await expectError(await other.fetch(`/api/v1/conversations/${person.id}/messages`), 404, 'not_found');
    await expectError(await other.fetch(`/api/v1/conversations/${person.id}`), 404, 'not_found');
    const rows = (await (await other.fetch('/api/v1/conversations')).json()) as { collection: unknown[] };
    expect(rows.collection).toEqual([]);
  });
});

describe('read and unread', () => {
  it('marks read at Meta and clears the count; mark unread sets it back', async () => {
    const { company, sim, staff, list } = await setUp();
    const person = await personWhoWrote(company, sim, 'First', 'Rae');
    const { wamid: last } = await sim.inbound({ from: digits(person.phone), text: 'Second', name: 'Rae' });
    expect((await list())[0]?.unread_count).toBe(2);

    const read = await staff.fetch(`/api/v1/conversations/${person.id}/read`, { method: 'POST', body: {} });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ unread_count: 0 });
    // Marking the latest message read marks everything before it (blue ticks on the person's phone).
    expect((await sim.listReadReceipts()).map((r) => r.messageId)).toEqual([last]);

    const unread = await staff.fetch(`/api/v1/conversations/${person.id}/unread`, { method: 'POST', body: {} });
    expect(await unread.json()).toMatchObject({ unread_count: 1 });
    expect((await list('?unread=true')).map((r) => r.person_id)).toEqual([person.id]);
  });
});

describe('media proxy', () => {
  it('serves a company’s inbound media from Meta with its token, and nobody else’s', async () => {
    const { company, sim, staff, messages } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Lou');
    await sim.inbound({ from: digits(person.phone), type: 'document', text: 'Form', name: 'Lou' });
    const media = (await messages(person.id))[0]?.media;
    expect(media).toBeTruthy();
    const res = await staff.fetch(media?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/pdf');
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment/);
    expect(res.headers.get('Cache-Control')).toMatch(/^private/);
    expect(new TextDecoder().decode(await res.arrayBuffer())).toBe(`sandbox media ${media?.id}`);

    const other = await staffSession(await makeCompany());
    await expectError(await other.fetch(media?.url ?? ''), 404, 'not_found');
    await expectError(await staff.fetch('/api/v1/media/123456789'), 404, 'not_found');
  });

  it('works with an API key too (one authorisation layer)', async () => {
    const { company, sim, messages } = await setUp();
    const person = await personWhoWrote(company, sim, 'Hi', 'Kim');
    await sim.inbound({ from: digits(person.phone), type: 'image', name: 'Kim' });
    const media = (await messages(person.id))[0]?.media;
    const res = await api(company, 'GET', media?.url ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe('inline');
    await res.arrayBuffer();
  });
});
