// Templates with a photo, video or document header: created with a sample that goes through Meta's Resumable
// Upload API (from a file staff uploaded), refused in words when the file cannot be such a header's sample,
// and sent with a header file: the send's own, else the template's default; with neither, 422 in words.
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { HEADER_SAMPLE_RULES, headerSampleRefusal } from '#common/templates/header-media';
import { metaAppId } from '../worker/config';
import { getDb } from '../worker/db/client';
import { whatsappMedia } from '../worker/db/schema';
import { api, BASE, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, manualSimulator } from './helpers/sandbox';
import { approvedTemplate, manualWaba, wabaSimulator } from './helpers/templates';

const media = () => env.META_SANDBOX.getByName('media');

async function upload(company: TestCompany, type: string, name: string, size = 1500): Promise<string> {
  const form = new FormData();
  form.append('file', new File([new Uint8Array(size).map((_, i) => i % 251)], name, { type }));
  const res = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${company.apiKey}` },
    body: form,
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

function mediaTemplate(format: 'IMAGE' | 'VIDEO' | 'DOCUMENT', over: Record<string, unknown> = {}) {
  return {
    name: `club_${format.toLowerCase()}_${Math.floor(Math.random() * 1e9)}`,
    category: 'MARKETING',
    language: 'en_GB',
    components: [
      { type: 'HEADER', format },
      { type: 'BODY', text: 'Our new timetable starts on Monday.' },
    ],
    ...over,
  };
}

interface Created {
  id: string;
  name: string;
  components: { type: string; format?: string; example?: { header_handle?: string[] } }[];
  header_media: Record<string, unknown> | null;
}

const create = (company: TestCompany, body: unknown) => api(company, 'POST', '/api/v1/whatsapp/templates', body);
const send = (company: TestCompany, personId: string, template: Record<string, unknown>) =>
  api(company, 'POST', `/api/v1/people/${personId}/whatsapp/messages`, {
    template: { language: 'en_GB', ...template },
  });

async function setUp() {
  const company = await makeCompany();
  const sim = await manualSimulator(company);
  const person = await makePerson(company, { first_name: 'Sheena' });
  return { company, sim, person };
}

/** An approved photo-header template whose sample (and default header) is an uploaded PNG. */
async function photoTemplate(company: TestCompany) {
  const sample = await upload(company, 'image/png', 'timetable.png', 2048);
  const t = (await approvedTemplate(
    company,
    mediaTemplate('IMAGE', { header_sample: { media_id: sample } }),
  )) as unknown as Created;
  return { sample, template: t };
}

describe('creating a template with a media header', () => {
  it("uploads the sample through Meta's Resumable Upload API and submits its handle; the file is the default", async () => {
    const { company } = await setUp();
    const sample = await upload(company, 'image/png', 'timetable.png', 2048);
    await manualWaba(company);
    const res = await create(company, mediaTemplate('IMAGE', { header_sample: { media_id: sample } }));
    expect(res.status).toBe(201);
    const t = (await res.json()) as Created;
    const handle = t.components[0]?.example?.header_handle?.[0] ?? '';
    const issued = (await media().listResumableHandles()).find((h) => h.handle === handle);
    // Meta got the very file: its name, type and length.
    expect(issued).toMatchObject({ fileName: 'timetable.png', fileType: 'image/png', fileLength: 2048 });
    expect(t.header_media).toEqual({ type: 'image', id: sample, mime_type: 'image/png', size: 2048 });
    const atMeta = await wabaSimulator(company).listTemplates();
    expect(JSON.parse(atMeta[0]?.components ?? '[]')[0]).toEqual({
      type: 'HEADER',
      format: 'IMAGE',
      example: { header_handle: [handle] },
    });
  });

  it('refuses a sample of the wrong kind in words (422 invalid_media), before anything reaches Meta', async () => {
    const { company } = await setUp();
    await manualWaba(company);
    const handlesBefore = (await media().listResumableHandles()).length;
    const pdf = await upload(company, 'application/pdf', 'prices.pdf');
    const word = await upload(company, 'application/msword', 'prices.doc');
    const threeGp = await upload(company, 'video/3gpp', 'tour.3gp');
    const cases: [string, 'IMAGE' | 'VIDEO' | 'DOCUMENT', RegExp][] = [
      [pdf, 'IMAGE', /"prices.pdf" is an application\/pdf file: a photo header takes JPEG or PNG, up to 5 MB\./],
      [word, 'DOCUMENT', /"prices.doc" is an application\/msword file: a document header takes PDF, up to 100 MB\./],
      [threeGp, 'VIDEO', /"tour.3gp" is a video\/3gpp file: a video header takes MP4, up to 16 MB\./],
    ];
    for (const [mediaId, format, words] of cases) {
      const res = await create(company, mediaTemplate(format, { header_sample: { media_id: mediaId } }));
      expect(res.status).toBe(422);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('invalid_media');
      expect(body.error.message).toMatch(words);
    }
    // Too large for a header (a row as an upload of another kind would leave it: sizes are checked again here).
    await getDb(env).insert(whatsappMedia).values({
      id: '1999999999999991',
      companyId: company.id,
      phoneNumberId: company.phoneNumberId,
      type: 'image',
      mimeType: 'image/png',
      size: 6_200_000,
      filename: 'poster.png',
    });
    const big = await create(company, mediaTemplate('IMAGE', { header_sample: { media_id: '1999999999999991' } }));
    expect(big.status).toBe(422);
    expect(((await big.json()) as { error: { message: string } }).error.message).toBe(
      '"poster.png" is 6.2 MB: too large for a photo header, which takes JPEG or PNG, up to 5 MB.',
    );
    const unknown = await create(company, mediaTemplate('IMAGE', { header_sample: { media_id: '123456789' } }));
    await expectError(unknown, 422, 'invalid_media');
    expect((await media().listResumableHandles()).length).toBe(handlesBefore);
    expect(await wabaSimulator(company).listTemplates()).toEqual([]);
  });

  it('says so when Meta no longer has the uploaded file (its 30 days), and submits nothing', async () => {
    const { company } = await setUp();
    await manualWaba(company);
    await getDb(env).insert(whatsappMedia).values({
      id: '1999999999999992',
      companyId: company.id,
      phoneNumberId: company.phoneNumberId,
      type: 'image',
      mimeType: 'image/jpeg',
      size: 1000,
      filename: 'gone.jpg',
    });
    const res = await create(company, mediaTemplate('IMAGE', { header_sample: { media_id: '1999999999999992' } }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Meta no longer has file 1999999999999992: upload it again',
    );
    expect(await wabaSimulator(company).listTemplates()).toEqual([]);
  });

  it('says what a media header lacks: a sample, or a media header at all', async () => {
    const { company } = await setUp();
    const none = await create(company, mediaTemplate('VIDEO'));
    expect(none.status).toBe(422);
    expect(((await none.json()) as { error: { message: string } }).error.message).toMatch(
      /components\[0\]\.example\.header_handle: a VIDEO header needs a sample: give header_sample\.media_id/,
    );
    const png = await upload(company, 'image/png', 'a.png');
    const textHeader = await create(company, {
      ...mediaTemplate('IMAGE', { header_sample: { media_id: png } }),
      components: [{ type: 'BODY', text: 'Hello there, see you soon.' }],
    });
    await expectError(textHeader, 422, 'invalid_template');
  });

  it("passes Meta's own format through, and answers Meta's refusal of a handle it never issued (502)", async () => {
    const { company } = await setUp();
    const res = await create(
      company,
      mediaTemplate('IMAGE', {
        components: [
          { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['2:bm9wZQ==:image/png:made-up:e:1:x'] } },
          { type: 'BODY', text: 'Our new timetable starts on Monday.' },
        ],
      }),
    );
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/handle is invalid/);
  });
});

describe('sending a template with a media header', () => {
  it("sends the template's default file when the send names none; the chat shows the photo", async () => {
    const { company, sim, person } = await setUp();
    const { sample, template } = await photoTemplate(company);
    const res = await send(company, person.id, { name: template.name });
    expect(res.status).toBe(202);
    const [sent] = await sim.listMessages();
    expect(sent?.request).toMatchObject({
      type: 'template',
      template: { components: [{ type: 'header', parameters: [{ type: 'image', image: { id: sample } }] }] },
    });
    const chat = await api(company, 'GET', `/api/v1/conversations/${person.id}/messages`);
    const [shown] = ((await chat.json()) as { collection: { media: { url: string; mime_type: string } | null }[] })
      .collection;
    expect(shown?.media).toMatchObject({ url: `/api/v1/media/${sample}`, mime_type: 'image/png' });
    const photo = await api(company, 'GET', `/api/v1/media/${sample}`);
    expect(photo.status).toBe(200);
    expect((await photo.arrayBuffer()).byteLength).toBe(2048);
  });

  it("sends the send's own file (an upload or a link) instead, checked by the header's rules", async () => {
    const { company, sim, person } = await setUp();
    const { template } = await photoTemplate(company);
    const other = await upload(company, 'image/jpeg', 'class.jpg');
    expect((await send(company, person.id, { name: template.name, header_media: { id: other } })).status).toBe(202);
    const link = 'https://example.com/timetable.jpg';
    expect((await send(company, person.id, { name: template.name, header_media: { link } })).status).toBe(202);
    const requests = (await sim.listMessages()).map((m) => m.request);
    expect(requests).toMatchObject([
      { template: { components: [{ type: 'header', parameters: [{ type: 'image', image: { id: other } }] }] } },
      { template: { components: [{ type: 'header', parameters: [{ type: 'image', image: { link } }] }] } },
    ]);

    const pdf = await upload(company, 'application/pdf', 'prices.pdf');
    const wrong = await send(company, person.id, { name: template.name, header_media: { id: pdf } });
    expect(wrong.status).toBe(422);
    expect(((await wrong.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'invalid_media',
      message: expect.stringMatching(/a photo header takes JPEG or PNG/),
    });
    const both = await send(company, person.id, { name: template.name, header_media: { id: pdf, link } });
    expect(both.status).toBe(422);
    expect(await sim.listMessages()).toHaveLength(2);
  });

  it('refuses a media-header template with no file anywhere (422 template_header_media), nothing sent', async () => {
    const { company, sim, person } = await setUp();
    const { template } = await photoTemplate(company);
    const cleared = await api(company, 'PATCH', `/api/v1/whatsapp/templates/${template.id}`, { header_media: null });
    expect(((await cleared.json()) as Created).header_media).toBeNull();
    const res = await send(company, person.id, { name: template.name });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
      code: 'template_header_media',
      message: expect.stringMatching(/header is a photo and none was given: send one as template.header_media/),
    });
    expect(await sim.listMessages()).toEqual([]);

    // A default set again (a link this time) makes the same send go.
    const link = 'https://example.com/summer.png';
    const patched = await api(company, 'PATCH', `/api/v1/whatsapp/templates/${template.id}`, {
      header_media: { link },
    });
    expect(((await patched.json()) as Created).header_media).toEqual({ type: 'image', link });
    expect((await send(company, person.id, { name: template.name })).status).toBe(202);
    expect((await sim.listMessages())[0]?.request).toMatchObject({
      template: { components: [{ type: 'header', parameters: [{ type: 'image', image: { link } }] }] },
    });
  });

  it('sends a document header with its file name, and refuses header_media on a template that has no media header', async () => {
    const { company, sim, person } = await setUp();
    const pdf = await upload(company, 'application/pdf', 'Prices 2026.pdf', 3000);
    const t = (await approvedTemplate(
      company,
      mediaTemplate('DOCUMENT', { header_sample: { media_id: pdf } }),
    )) as unknown as Created;
    expect(t.header_media).toMatchObject({ type: 'document', id: pdf, filename: 'Prices 2026.pdf' });
    expect((await send(company, person.id, { name: t.name })).status).toBe(202);
    expect((await sim.listMessages())[0]?.request).toMatchObject({
      template: {
        components: [
          { type: 'header', parameters: [{ type: 'document', document: { id: pdf, filename: 'Prices 2026.pdf' } }] },
        ],
      },
    });

    const plain = await approvedTemplate(company, {
      name: 'plain_hello',
      category: 'UTILITY',
      language: 'en_GB',
      components: [{ type: 'BODY', text: 'Hello, see you at the club.' }],
    });
    const res = await send(company, person.id, { name: plain.name, header_media: { id: pdf } });
    await expectError(res, 422, 'invalid_media');
  });
});

describe('creating at once', () => {
  it('two submissions of the same photo-header template racing: one is made, the other is told it exists', async () => {
    const { company } = await setUp();
    await manualWaba(company);
    const sample = await upload(company, 'image/jpeg', 'tour.jpg');
    const body = mediaTemplate('IMAGE', { name: 'club_tour', header_sample: { media_id: sample } });
    const answers = await Promise.all([create(company, body), create(company, body)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await wabaSimulator(company).listTemplates()).toHaveLength(1);
  });
});

describe('the Meta app the samples go up for', () => {
  it.each([
    ['sandbox', '', 'sandbox-app'],
    ['sandbox', '1234567890', '1234567890'],
    ['live', '1234567890', '1234567890'],
    ['live', '', null],
  ] as const)('%s mode, META_APP_ID %j: %j', (mode, id, app) => {
    expect(metaAppId({ WHATSAPP_MODE: mode, META_APP_ID: id })).toBe(app);
  });
});

describe('header sample rules', () => {
  it.each([
    ['IMAGE', 'image/jpeg', 5_000_000, null],
    ['IMAGE', 'image/jpg', 100, null],
    ['IMAGE', 'image/png', 5_000_001, /"f" is 5 MB: too large for a photo header, which takes JPEG or PNG, up to 5 MB/],
    ['IMAGE', 'image/webp', 100, /an image\/webp file/],
    ['VIDEO', 'video/mp4', 16_000_000, null],
    ['VIDEO', 'video/mp4', 16_000_001, /too large for a video header/],
    ['VIDEO', 'video/3gpp', 100, /a video header takes MP4, up to 16 MB/],
    ['DOCUMENT', 'application/pdf', 100_000_000, null],
    ['DOCUMENT', 'application/pdf', 100_000_001, /too large for a document header/],
    ['DOCUMENT', 'text/plain', 10, /a document header takes PDF, up to 100 MB/],
    ['DOCUMENT', 'application/pdf', 0, /is empty/],
  ] as const)('%s %s of %d bytes', (format, mime, size, refusal) => {
    const said = headerSampleRefusal(format, { mime, size, name: 'f' });
    if (refusal === null) expect(said).toBeNull();
    else expect(said).toMatch(refusal);
    expect(HEADER_SAMPLE_RULES[format].maxBytes).toBeGreaterThan(0);
  });
});
