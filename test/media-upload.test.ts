// POST /api/v1/whatsapp/media: Meta's limits per kind of file, each refused in words with nothing sent to Meta
// (the simulator's upload log stays empty), and a good file streamed to Meta and served back by the media proxy.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

const MEDIA_OBJECT = 'media';
const uploadsOf = async (company: TestCompany) =>
  (await env.META_SANDBOX.getByName(MEDIA_OBJECT).listUploads()).filter(
    (u) => u.phoneNumberId === company.phoneNumberId,
  );

/** A file of `size` bytes whose first bytes are `head` (a JPEG or PNG signature, say). */
function fileOf(size: number, type: string, name: string, head: number[] = []): File {
  const bytes = new Uint8Array(size);
  bytes.set(head.slice(0, size));
  for (let i = head.length; i < size; i++) bytes[i] = i % 251;
  return new File([bytes], name, { type });
}

/** As a browser sends a form: with its Content-Length, and a CRLF after the closing boundary. */
async function upload(company: TestCompany, file: File, query = ''): Promise<Response> {
  const form = new FormData();
  form.append('file', file);
  const encoded = new Response(form);
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const body = new Uint8Array(bytes.length + 2);
  body.set(bytes);
  body.set([13, 10], bytes.length);
  return exports.default.fetch(`${BASE}/api/v1/whatsapp/media${query}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${company.apiKey}`,
      'Content-Type': encoded.headers.get('Content-Type') ?? '',
      'Content-Length': String(body.length),
    },
    body,
  });
}

const JPEG = [0xff, 0xd8, 0xff, 0xe0];
const MB = 1_000_000;

interface Uploaded {
  id: string;
  type: string;
  mime_type: string;
  size: number;
  filename: string | null;
}

describe('uploading a file to send', () => {
  it('streams a photo to Meta for the sending number, answers its id, and the proxy serves it back byte for byte', async () => {
    const company = await makeCompany();
    const file = fileOf(200_000, 'image/jpeg', 'timetable.jpg', JPEG);
    const res = await upload(company, file);
    expect(res.status).toBe(201);
    const body = (await res.json()) as Uploaded;
    expect(body).toMatchObject({ type: 'image', mime_type: 'image/jpeg', size: 200_000, filename: 'timetable.jpg' });
    expect(await uploadsOf(company)).toEqual([
      expect.objectContaining({ mediaId: body.id, mimeType: 'image/jpeg', size: 200_000, filename: 'timetable.jpg' }),
    ]);
    const served = await api(company, 'GET', `/api/v1/media/${body.id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('Content-Type')).toBe('image/jpeg');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array(await file.arrayBuffer()));
    // Another company cannot fetch it.
    const other = await makeCompany();
    await expectError(await api(other, 'GET', `/api/v1/media/${body.id}`), 404, 'not_found');
  });

  it.each([
    ['a photo at exactly 5 MB', fileOf(5 * MB, 'image/png', 'a.png'), 201],
    ['a photo one byte over 5 MB', fileOf(5 * MB + 1, 'image/jpeg', 'big.jpg', JPEG), 422],
    ['a GIF', fileOf(1000, 'image/gif', 'funny.gif'), 422],
    ['a HEIC photo from an iPhone', fileOf(1000, 'image/heic', 'IMG_0001.heic'), 422],
    ['a video one byte over 16 MB', fileOf(16 * MB + 1, 'video/mp4', 'tour.mp4'), 422],
    ['a QuickTime video', fileOf(1000, 'video/quicktime', 'tour.mov'), 422],
    ['a voice note one byte over 16 MB', fileOf(16 * MB + 1, 'audio/ogg', 'note.ogg'), 422],
    ['a WAV recording', fileOf(1000, 'audio/wav', 'note.wav'), 422],
    ['a sticker over 500 KB', fileOf(500_001, 'image/webp', 's.webp'), 422],
    ['a zip file', fileOf(1000, 'application/zip', 'prices.zip'), 422],
    ['an empty PDF', fileOf(0, 'application/pdf', 'empty.pdf'), 422],
    [
      'a Word document',
      fileOf(1000, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'a.docx'),
      201,
    ],
    ['a 3GPP video', fileOf(1000, 'video/3gpp', 'clip.3gp'), 201],
    ['an OGG voice note', fileOf(1000, 'audio/ogg', 'note.ogg'), 201],
  ])('%s', async (_what, file, status) => {
    const company = await makeCompany();
    const res = await upload(company, file);
    expect(res.status).toBe(status);
    if (status === 422) {
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_media');
      // In words, naming the file.
      expect(body.error.message).toContain(file.name);
      expect(await uploadsOf(company)).toEqual([]);
    } else expect(await uploadsOf(company)).toHaveLength(1);
  });

  it('refuses a 100 MB+ document from its Content-Length, before reading it: nothing reaches Meta', async () => {
    const company = await makeCompany();
    const boundary = 'test-boundary';
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="prices.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const tail = `\r\n--${boundary}--\r\n`.length;
    const fileSize = 100 * MB + 1;
    // The body is only ever offered in small pieces, and counted: the worker must answer after the headers.
    let offered = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offered === 0) {
          controller.enqueue(head);
          offered += head.length;
          return;
        }
        const chunk = new Uint8Array(64 * 1024);
        offered += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const { readable, writable } = new FixedLengthStream(head.length + fileSize + tail);
    void body.pipeTo(writable).catch(() => undefined);
    const res = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${company.apiKey}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + fileSize + tail),
      },
      body: readable,
    });
    await expectError(res, 422, 'invalid_media');
    expect(offered).toBeLessThan(2 * MB);
    expect(await uploadsOf(company)).toEqual([]);
  });

  it('counts a file sent without Content-Length as it streams, and stops it past the limit: Meta keeps nothing', async () => {
    const company = await makeCompany();
    const form = new FormData();
    form.append('file', fileOf(5 * MB + 1, 'image/jpeg', 'big.jpg', JPEG));
    const request = new Request(`${BASE}/api/v1/whatsapp/media`, { method: 'POST', body: form });
    const res = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${company.apiKey}`,
        'Content-Type': request.headers.get('Content-Type') ?? '',
      },
      // A stream of unknown length: no Content-Length to judge by.
      body: request.body?.pipeThrough(new TransformStream()),
    });
    const answer = (await res.json()) as { error: { code: string; message: string } };
    expect({ status: res.status, code: answer.error.code }).toEqual({ status: 422, code: 'invalid_media' });
    expect(answer.error.message).toContain('5 MB');
    expect(await uploadsOf(company)).toEqual([]);
  });

  it('refuses what is not a one-file form, and a company without WhatsApp, with nothing sent to Meta', async () => {
    const company = await makeCompany();
    await expectError(
      await api(company, 'POST', '/api/v1/whatsapp/media', { file: 'x' }),
      415,
      'unsupported_media_type',
    );
    const form = new FormData();
    form.append('photo', fileOf(10, 'image/png', 'a.png'));
    const wrongField = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${company.apiKey}` },
      body: form,
    });
    await expectError(wrongField, 422, 'invalid_media');
    const off = await makeCompany({ whatsapp: false });
    await expectError(await upload(off, fileOf(10, 'image/png', 'a.png')), 403, 'whatsapp_disabled');
    expect(await uploadsOf(company)).toEqual([]);
    expect(await uploadsOf(off)).toEqual([]);
  });

  it("staff upload from the app (same origin, multipart), for a person they may see, to that person's number", async () => {
    const company = await makeCompany();
    const person = await makePerson(company);
    const staff = await staffSession(company);
    const form = new FormData();
    form.append('file', fileOf(1000, 'application/pdf', 'Price list.pdf'));
    const res = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media?person_id=${person.id}`, {
      method: 'POST',
      headers: { Origin: BASE, Cookie: staff.cookie },
      body: form,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ type: 'document', filename: 'Price list.pdf', size: 1000 });
    // From another site: refused before the file is read.
    const forged = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', Cookie: staff.cookie },
      body: form,
    });
    await expectError(forged, 403, 'bad_origin');
    await expectError(
      await exports.default.fetch(`${BASE}/api/v1/whatsapp/media?person_id=per_nobody`, {
        method: 'POST',
        headers: { Origin: BASE, Cookie: staff.cookie },
        body: form,
      }),
      404,
      'not_found',
    );
    expect(await uploadsOf(company)).toHaveLength(1);
  });
});
