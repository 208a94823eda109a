// Quick replies: every staff member reads the company's saved answers; managers, admins and API keys write them;
// shortcuts are unique per company and nobody sees another company's.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, BASE, makeCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import { staffSession } from './helpers/staff';

interface QuickReply {
  id: string;
  shortcut: string;
  text: string;
}

describe('quick replies', () => {
  it('a manager saves one, staff read it, the list is by shortcut', async () => {
    const company = await makeCompany();
    const [manager, staff] = await Promise.all([staffSession(company, 'manager'), staffSession(company)]);
    for (const [shortcut, text] of [
      ['prices', 'Memberships start at £24.99 a month.'],
      ['Hours', 'We are open 6am to 10pm, every day.'],
    ]) {
      const res = await manager.fetch('/api/v1/quick-replies', { method: 'POST', body: { shortcut, text } });
      expect(res.status).toBe(201);
    }
    const res = await staff.fetch('/api/v1/quick-replies');
    expect(res.status).toBe(200);
    const { collection } = (await res.json()) as { collection: QuickReply[] };
    // Shortcuts are stored lower-case, as typed after "/" on a phone.
    expect(collection.map((q) => q.shortcut)).toEqual(['hours', 'prices']);
  });

  it('staff cannot write; an API key and an admin can change and delete', async () => {
    const company = await makeCompany();
    const [staff, admin] = await Promise.all([staffSession(company), staffSession(company, 'admin')]);
    await expectError(
      await staff.fetch('/api/v1/quick-replies', { method: 'POST', body: { shortcut: 'x', text: 'y' } }),
      403,
      'forbidden',
    );
    const created = await api(company, 'POST', '/api/v1/quick-replies', { shortcut: 'welcome', text: 'Hi!' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as QuickReply;
    await expectError(await staff.fetch(`/api/v1/quick-replies/${id}`, { method: 'DELETE' }), 403, 'forbidden');

    const changed = await admin.fetch(`/api/v1/quick-replies/${id}`, { method: 'PATCH', body: { text: 'Hello!' } });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ id, shortcut: 'welcome', text: 'Hello!' });
    expect((await admin.fetch(`/api/v1/quick-replies/${id}`, { method: 'DELETE' })).status).toBe(204);
    await expectError(await admin.fetch(`/api/v1/quick-replies/${id}`, { method: 'DELETE' }), 404, 'not_found');
  });

  it('a shortcut is taken once per company, even when two managers save it at the same moment', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const body = { shortcut: 'prices', text: 'From £24.99' };
    const answers = await Promise.all([
      api(company, 'POST', '/api/v1/quick-replies', body),
      api(company, 'POST', '/api/v1/quick-replies', body),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = answers.find((r) => r.status === 409);
    if (loser) await expectError(loser, 409, 'shortcut_taken');
    // Another company has its own shortcuts, and sees none of this one's.
    expect((await api(other, 'POST', '/api/v1/quick-replies', body)).status).toBe(201);
    const list = (await (await api(other, 'GET', '/api/v1/quick-replies')).json()) as { collection: QuickReply[] };
    expect(list.collection).toHaveLength(1);
  });

  it('refuses what the composer could not use, and another company cannot touch it', async () => {
    const company = await makeCompany();
    const other = await makeCompany();
    const post = (body: unknown) => api(company, 'POST', '/api/v1/quick-replies', body);
    await expectError(await post({ shortcut: '/prices', text: 'x' }), 422, 'validation_failed');
    await expectError(await post({ shortcut: 'prices', text: '   ' }), 422, 'validation_failed');
    await expectError(await post({ shortcut: 'prices', text: 'x'.repeat(4097) }), 422, 'validation_failed');
    await expectError(await post({ shortcut: 'prices', text: 'x', role: 'admin' }), 422, 'unknown_field');
    const { id } = (await (await post({ shortcut: 'prices', text: 'x' })).json()) as QuickReply;
    await expectError(await api(other, 'PATCH', `/api/v1/quick-replies/${id}`, { text: 'mine' }), 404, 'not_found');
    await expectError(await api(company, 'PATCH', `/api/v1/quick-replies/${id}`, {}), 422, 'validation_failed');
  });

  it('carries a file (the timetable): an upload of the company with its expiry, or a link; checked as a send is', async () => {
    const company = await makeCompany();
    const form = new FormData();
    form.append('file', new File([new Uint8Array(900)], 'Timetable.pdf', { type: 'application/pdf' }));
    const up = await exports.default.fetch(`${BASE}/api/v1/whatsapp/media`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${company.apiKey}` },
      body: form,
    });
    const { id } = (await up.json()) as { id: string };
    const res = await api(company, 'POST', '/api/v1/quick-replies', {
      shortcut: 'timetable',
      text: 'Our classes this month',
      attachment: { type: 'document', id },
    });
    expect(res.status).toBe(201);
    const saved = (await res.json()) as QuickReply & { attachment: Record<string, unknown> };
    expect(saved.attachment).toMatchObject({
      type: 'document',
      id,
      link: null,
      filename: 'Timetable.pdf',
      mime_type: 'application/pdf',
      size: 900,
      url: `/api/v1/media/${id}`,
    });
    const expires = Date.parse(String(saved.attachment.expires_at)) - Date.now();
    expect(expires).toBeGreaterThan(29 * 24 * 60 * 60 * 1000);
    // A link instead; then none.
    const link = 'https://gym.example/timetable.png';
    const changed = await api(company, 'PATCH', `/api/v1/quick-replies/${saved.id}`, {
      attachment: { type: 'image', link },
    });
    expect(await changed.json()).toMatchObject({ attachment: { link, id: null, expires_at: null, url: link } });
    const removed = await api(company, 'PATCH', `/api/v1/quick-replies/${saved.id}`, { attachment: null });
    expect(await removed.json()).toMatchObject({ attachment: null, text: 'Our classes this month' });
    // Not this company's upload, or a name on a photo: refused like a send.
    const other = await makeCompany();
    await expectError(
      await api(other, 'POST', '/api/v1/quick-replies', {
        shortcut: 't',
        text: 'x',
        attachment: { type: 'document', id },
      }),
      422,
      'invalid_media',
    );
    await expectError(
      await api(company, 'POST', '/api/v1/quick-replies', {
        shortcut: 'p',
        text: 'x',
        attachment: { type: 'image', link, filename: 'a.png' },
      }),
      422,
      'invalid_media',
    );
  });

  it('may ask with reply buttons or a list; Meta’s rules apply; new text moves the question’s body', async () => {
    const company = await makeCompany();
    const tour = {
      type: 'button',
      body: { text: 'Book a tour: which day?' },
      action: {
        buttons: ['Mon', 'Tue', 'Wed'].map((d) => ({ type: 'reply', reply: { id: d.toLowerCase(), title: d } })),
      },
    };
    const created = await api(company, 'POST', '/api/v1/quick-replies', {
      shortcut: 'tour',
      text: 'Book a tour: which day?',
      interactive: tour,
    });
    expect(created.status).toBe(201);
    const { id, interactive } = (await created.json()) as { id: string; interactive: unknown };
    expect(interactive).toEqual(tour);

    const fourth = {
      ...tour,
      action: { buttons: [...tour.action.buttons, { type: 'reply', reply: { id: 'thu', title: 'Thu' } }] },
    };
    const refused = await api(company, 'POST', '/api/v1/quick-replies', {
      shortcut: 'tour4',
      text: tour.body.text,
      interactive: fourth,
    });
    expect(await refused.json()).toEqual({
      error: { code: 'invalid_interactive', message: 'interactive.action.buttons[3]: at most 3 buttons' },
    });
    await expectError(
      await api(company, 'POST', '/api/v1/quick-replies', {
        shortcut: 'other',
        text: 'Something else',
        interactive: tour,
      }),
      422,
      'invalid_interactive',
    );

    const renamed = await api(company, 'PATCH', `/api/v1/quick-replies/${id}`, { text: 'Pick a day for your tour' });
    expect(await renamed.json()).toMatchObject({
      text: 'Pick a day for your tour',
      interactive: { type: 'button', body: { text: 'Pick a day for your tour' } },
    });
    const plain = await api(company, 'PATCH', `/api/v1/quick-replies/${id}`, { interactive: null });
    expect(await plain.json()).toMatchObject({ interactive: null });
  });

  it('asks with buttons or sends a file, never both on one quick reply', async () => {
    const company = await makeCompany();
    const tour = {
      type: 'button',
      body: { text: 'Book a tour: which day?' },
      action: { buttons: [{ type: 'reply', reply: { id: 'mon', title: 'Mon' } }] },
    };
    const link = 'https://gym.example/timetable.png';
    await expectError(
      await api(company, 'POST', '/api/v1/quick-replies', {
        shortcut: 'both',
        text: tour.body.text,
        interactive: tour,
        attachment: { type: 'image', link },
      }),
      422,
      'validation_failed',
    );
    const asks = await api(company, 'POST', '/api/v1/quick-replies', {
      shortcut: 'tour',
      text: tour.body.text,
      interactive: tour,
    });
    const { id } = (await asks.json()) as { id: string };
    // A file added to a question is refused, and the question is kept as it was.
    await expectError(
      await api(company, 'PATCH', `/api/v1/quick-replies/${id}`, { attachment: { type: 'image', link } }),
      422,
      'validation_failed',
    );
    // Swapped in one body: the buttons go, the file comes.
    const swapped = await api(company, 'PATCH', `/api/v1/quick-replies/${id}`, {
      interactive: null,
      attachment: { type: 'image', link },
    });
    expect(await swapped.json()).toMatchObject({ interactive: null, attachment: { type: 'image', link } });
    await expectError(
      await api(company, 'PATCH', `/api/v1/quick-replies/${id}`, { interactive: tour }),
      422,
      'validation_failed',
    );
    await expectError(
      await api(company, 'PATCH', '/api/v1/quick-replies/qrp_missing', { interactive: tour }),
      404,
      'not_found',
    );
  });
});
