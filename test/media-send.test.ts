// Sending a photo, document or voice note: POST /api/v1/people/{id}/whatsapp/messages {"media": ...} goes the
// way text goes (the conversation object, inside the window only, once per message), Meta gets the media id
// or link with a caption and file name only where it allows them, and the chat shows the file.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, inWindow, type MessageJson, manualSimulator } from './helpers/sandbox';

async function uploaded(company: TestCompany, type: string, name: string, size = 1200): Promise<string> {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(size).fill(7)], name, { type }));
  const res = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${company.apiKey}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const sendMedia = (company: TestCompany, personId: string, media: unknown, headers: Record<string, string> = {}) =>
  api(company, 'POST', `/api/v1/people/${personId}/whatsapp/messages`, { media }, headers);

interface InboxMessage extends MessageJson {
  message_type: string | null;
  media: {
    id: string | null;
    mime_type: string | null;
    filename: string | null;
    caption: string | null;
    size: number | null;
    url: string;
  } | null;
}

async function chatOf(company: TestCompany, personId: string): Promise<InboxMessage[]> {
  const res = await api(company, 'GET', `/api/v1/conversations/${personId}/messages`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { collection: InboxMessage[] }).collection;
}

describe('sending media inside the window', () => {
  it('sends an uploaded photo with its caption by id; the chat shows it through the media proxy', async () => {
    const { company, sim, person } = await inWindow();
    const id = await uploaded(company, 'image/jpeg', 'timetable.jpg', 4321);
    const res = await sendMedia(company, person.id, { type: 'image', id, caption: 'Our new timetable' });
    expect(res.status).toBe(202);
    const note = (await res.json()) as InboxMessage;
    expect(note).toMatchObject({
      type: 'whatsapp_sent',
      status: 'sent',
      message_type: 'image',
      body: 'Our new timetable',
    });

    const sent = await sim.listMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.request).toMatchObject({ type: 'image', image: { id, caption: 'Our new timetable' } });

    const [shown] = await chatOf(company, person.id);
    expect(shown?.media).toEqual({
      id,
      mime_type: 'image/jpeg',
      filename: null,
      caption: 'Our new timetable',
      size: 4321,
      url: `/api/v1/media/${id}`,
    });
    const file = await api(company, 'GET', shown?.media?.url ?? '');
    expect(file.status).toBe(200);
    expect((await file.arrayBuffer()).byteLength).toBe(4321);
  });

  it('sends a document with the file name it was uploaded with, or the one given; and a document by link', async () => {
    const { company, sim, person } = await inWindow();
    const id = await uploaded(company, 'application/pdf', 'Prices 2026.pdf');
    expect((await sendMedia(company, person.id, { type: 'document', id })).status).toBe(202);
    expect((await sendMedia(company, person.id, { type: 'document', id, filename: 'Prices.pdf' })).status).toBe(202);
    const link = 'https://gym.example/timetable.pdf';
    expect(
      (await sendMedia(company, person.id, { type: 'document', link, filename: 'Timetable.pdf', caption: 'Here' }))
        .status,
    ).toBe(202);
    expect((await sim.listMessages()).map((m) => m.request)).toMatchObject([
      { type: 'document', document: { id, filename: 'Prices 2026.pdf' } },
      { type: 'document', document: { id, filename: 'Prices.pdf' } },
      { type: 'document', document: { link, filename: 'Timetable.pdf', caption: 'Here' } },
    ]);
    const chat = await chatOf(company, person.id);
    expect(chat[0]?.media).toMatchObject({ id: null, url: link, filename: 'Timetable.pdf' });
    expect(chat[2]?.media).toMatchObject({ id, filename: 'Prices 2026.pdf', size: 1200, mime_type: 'application/pdf' });
  });

  it('sends a voice note without a caption', async () => {
    const { company, sim, person } = await inWindow();
    const id = await uploaded(company, 'audio/ogg', 'note.ogg');
    expect((await sendMedia(company, person.id, { type: 'audio', id })).status).toBe(202);
    expect(JSON.parse((await sim.listMessages())[0]?.rawBody ?? '{}')).toMatchObject({ type: 'audio', audio: { id } });
  });

  it("refuses, in words and with nothing sent, what Meta's rules forbid", async () => {
    const { company, sim, person } = await inWindow();
    const photo = await uploaded(company, 'image/png', 'a.png');
    const voice = await uploaded(company, 'audio/mpeg', 'a.mp3');
    const otherCompany = await makeCompany();
    const theirs = await uploaded(otherCompany, 'image/png', 'theirs.png');
    const refused: [unknown, string][] = [
      [{ type: 'audio', id: voice, caption: 'listen' }, 'no caption'],
      [{ type: 'image', id: photo, filename: 'a.png' }, 'Only a document'],
      [{ type: 'document', id: photo }, 'cannot be sent as a document'],
      [{ type: 'image', id: '1234567890' }, 'upload it first'],
      [{ type: 'image', id: theirs }, 'upload it first'],
      [{ type: 'image' }, 'exactly one of id or link'],
      [{ type: 'image', id: photo, link: 'https://gym.example/a.png' }, 'exactly one of id or link'],
    ];
    for (const [media, words] of refused) {
      const res = await sendMedia(company, person.id, media);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect({ status: res.status, code: body.error.code }).toEqual({ status: 422, code: 'invalid_media' });
      expect(body.error.message).toContain(words);
    }
    // Shapes the schema refuses outright.
    await expectError(await sendMedia(company, person.id, { type: 'gif', id: photo }), 422, 'validation_failed');
    await expectError(
      await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
        text: 'hi',
        media: { type: 'image', id: photo },
      }),
      422,
      'validation_failed',
    );
    expect(await sim.listMessages()).toEqual([]);
  });

  it('refuses media outside the window (409 window_closed), like all free-form messages', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    const id = await uploaded(company, 'image/jpeg', 'a.jpg');
    await expectError(await sendMedia(company, person.id, { type: 'image', id }), 409, 'window_closed');
    expect(await sim.listMessages()).toEqual([]);
  });

  it('sends once when the same send is asked for twice at once (Idempotency-Key)', async () => {
    const { company, sim, person } = await inWindow();
    const id = await uploaded(company, 'image/jpeg', 'a.jpg');
    const headers = { 'Idempotency-Key': `media-${id}` };
    const answers = await Promise.all([
      sendMedia(company, person.id, { type: 'image', id, caption: 'Hi' }, headers),
      sendMedia(company, person.id, { type: 'image', id, caption: 'Hi' }, headers),
    ]);
    const statuses = answers.map((r) => r.status).sort();
    // One is sent; the other replays it, or is told that the same key is still in progress.
    expect(statuses[0]).toBe(202);
    expect([202, 409]).toContain(statuses[1]);
    expect(await sim.listMessages()).toHaveLength(1);
    const notes = (await chatOf(company, person.id)).filter((m) => m.message_type === 'image');
    expect(notes).toHaveLength(1);
  });

  it('refuses an upload older than the 30 days Meta keeps it', async () => {
    const { company, person } = await inWindow();
    const id = await uploaded(company, 'image/jpeg', 'old.jpg');
    await env.DB.prepare('UPDATE whatsapp_media SET created_at = ? WHERE id = ?')
      .bind(Date.now() - 31 * 24 * 60 * 60 * 1000, id)
      .run();
    const res = await sendMedia(company, person.id, { type: 'image', id });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'invalid_media' });
    expect(body.error.message).toContain('30 days');
  });
});
