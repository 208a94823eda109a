// Reply buttons, lists and link buttons inside the 24-hour window: every one of Meta's rules answered 422
// invalid_interactive naming the path, the window and opt-out refusals, one send per Idempotency-Key, what the
// simulator received, and the person's tap coming back as a message linked to the question.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { Interactive } from '#common/interactive/interactive-rules';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { expectError, historyOf, inWindow, manualSimulator } from './helpers/sandbox';

const buttons = (titles: string[]): Interactive => ({
  type: 'button',
  body: { text: 'Which day suits you for a tour?' },
  action: { buttons: titles.map((t) => ({ type: 'reply', reply: { id: t.toLowerCase(), title: t } })) },
});

const list = (rows: number, sections = 1): Interactive => ({
  type: 'list',
  header: { type: 'text', text: 'Classes this week' },
  body: { text: 'Pick a class to book' },
  footer: { text: 'Leeds Riverside' },
  action: {
    button: 'See classes',
    sections: Array.from({ length: sections }, (_, s) => ({
      title: `Day ${s + 1}`,
      rows: Array.from({ length: rows }, (_, r) => ({
        id: `s${s}r${r}`,
        title: `Spin ${s}.${r}`,
        description: 'Studio 2, 45 minutes',
      })),
    })),
  },
});

const link: Interactive = {
  type: 'cta_url',
  body: { text: 'Our timetable is online' },
  action: { name: 'cta_url', parameters: { display_text: 'See timetable', url: 'https://gym.example/timetable' } },
};

const send = (company: Awaited<ReturnType<typeof makeCompany>>, personId: string, body: unknown, key?: string) =>
  api(
    company,
    'POST',
    `/api/v1/people/${personId}/whatsapp/messages`,
    body,
    key ? { 'Idempotency-Key': key } : undefined,
  );

/** A copy of `base` with the value at `path` replaced (`undefined`: removed). */
function changed(base: Interactive, path: (string | number)[], value: unknown): unknown {
  const copy: unknown = structuredClone(base);
  let at: unknown = copy;
  for (const key of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[key];
  const last = path.at(-1) ?? '';
  const parent = at as Record<string | number, unknown>;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}
const long = (n: number) => 'x'.repeat(n);

// [what breaks, the interactive object, the message the API answers]
const REFUSALS: [string, unknown, string][] = [
  ['a fourth button', buttons(['Mon', 'Tue', 'Wed', 'Thu']), 'interactive.action.buttons[3]: at most 3 buttons'],
  ['no button', buttons([]), 'interactive.action.buttons: add at least one button'],
  [
    'a button title over 20',
    buttons(['Monday the fourteenth!']),
    'interactive.action.buttons[0].reply.title: at most 20 characters (22 given)',
  ],
  [
    'two buttons with one id',
    changed(buttons(['Mon', 'Tue']), ['action', 'buttons', 1, 'reply', 'id'], 'mon'),
    'interactive.action.buttons[1].reply.id: the button id "mon" is used twice: each must be different',
  ],
  [
    'two buttons with one title',
    changed(buttons(['Mon', 'Tue']), ['action', 'buttons', 1, 'reply', 'title'], 'Mon'),
    'interactive.action.buttons[1].reply.title: the button title "Mon" is used twice: each must be different',
  ],
  [
    'a button id over 256',
    changed(buttons(['Mon']), ['action', 'buttons', 0, 'reply', 'id'], long(257)),
    'interactive.action.buttons[0].reply.id: at most 256 characters (257 given)',
  ],
  [
    'an empty body',
    changed(buttons(['Mon']), ['body', 'text'], '  '),
    'interactive.body.text: the message cannot be empty',
  ],
  [
    'a body over 1,024',
    changed(buttons(['Mon']), ['body', 'text'], long(1025)),
    'interactive.body.text: at most 1024 characters (1025 given)',
  ],
  [
    'a header over 60',
    changed(buttons(['Mon']), ['header'], { type: 'text', text: long(61) }),
    'interactive.header.text: at most 60 characters (61 given)',
  ],
  [
    'a footer over 60',
    changed(buttons(['Mon']), ['footer'], { text: long(61) }),
    'interactive.footer.text: at most 60 characters (61 given)',
  ],
  [
    'an image header by plain http',
    changed(buttons(['Mon']), ['header'], { type: 'image', image: { link: 'http://gym.example/a.jpg' } }),
    'interactive.header.image.link: a link must be a full https:// address',
  ],
  ['an eleventh row', list(11), 'interactive.action.sections[0].rows[10]: at most 10 rows in all sections together'],
  [
    'eleven rows over two sections',
    list(6, 2),
    'interactive.action.sections[1].rows[4]: at most 10 rows in all sections together',
  ],
  ['an eleventh section', list(1, 11), 'interactive.action.sections[10]: at most 10 sections'],
  [
    'a row title over 24',
    changed(list(1), ['action', 'sections', 0, 'rows', 0, 'title'], long(25)),
    'interactive.action.sections[0].rows[0].title: at most 24 characters (25 given)',
  ],
  [
    'a row description over 72',
    changed(list(1), ['action', 'sections', 0, 'rows', 0, 'description'], long(73)),
    'interactive.action.sections[0].rows[0].description: at most 72 characters (73 given)',
  ],
  [
    'a row id over 200',
    changed(list(1), ['action', 'sections', 0, 'rows', 0, 'id'], long(201)),
    'interactive.action.sections[0].rows[0].id: at most 200 characters (201 given)',
  ],
  [
    'two rows with one id',
    changed(list(2, 2), ['action', 'sections', 1, 'rows', 0, 'id'], 's0r0'),
    'interactive.action.sections[1].rows[0].id: the row id "s0r0" is used twice: each must be different',
  ],
  [
    'a list button text over 20',
    changed(list(1), ['action', 'button'], long(21)),
    'interactive.action.button: at most 20 characters (21 given)',
  ],
  [
    'a section title over 24',
    changed(list(1), ['action', 'sections', 0, 'title'], long(25)),
    'interactive.action.sections[0].title: at most 24 characters (25 given)',
  ],
  [
    'two sections, one without a title',
    changed(list(1, 2), ['action', 'sections', 1, 'title'], undefined),
    'interactive.action.sections[1].title: a list with several sections needs a title on each',
  ],
  [
    'a section without rows',
    changed(list(1), ['action', 'sections', 0, 'rows'], []),
    'interactive.action.sections[0].rows: a section needs at least one row',
  ],
  [
    'a list with an image header',
    changed(list(1), ['header'], { type: 'image', image: { link: 'https://gym.example/a.jpg' } }),
    'interactive.header.type',
  ],
  [
    'a link button text over 20',
    changed(link, ['action', 'parameters', 'display_text'], long(21)),
    'interactive.action.parameters.display_text: at most 20 characters (21 given)',
  ],
  [
    'a link that is not https',
    changed(link, ['action', 'parameters', 'url'], 'http://gym.example/timetable'),
    'interactive.action.parameters.url: a link must be a full https:// address',
  ],
  [
    'an unknown type',
    { type: 'carousel', body: { text: 'x' }, action: {} },
    'interactive.type: type must be "button", "list" or "cta_url"',
  ],
];

describe('interactive messages: the API', () => {
  it.each(REFUSALS)('refuses %s with 422 invalid_interactive naming the path', async (_what, interactive, message) => {
    const { company, sim, person } = await inWindow();
    const res = await send(company, person.id, { interactive });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(422);
    expect(body.error.code).toBe('invalid_interactive');
    expect(body.error.message.startsWith(message)).toBe(true);
    // Nothing reached Meta, and nothing was recorded.
    expect(await sim.listMessages()).toEqual([]);
    expect((await historyOf(company, person.id, 'whatsapp_sent')).length).toBe(0);
  });

  it('takes exactly one of text, template or interactive', async () => {
    const { company, person } = await inWindow();
    await expectError(
      await send(company, person.id, { text: 'hi', interactive: buttons(['Mon']) }),
      422,
      'validation_failed',
    );
  });

  it('sends reply buttons, a list and a link button as Meta takes them, and the chat can draw them', async () => {
    const { company, sim, person } = await inWindow();
    for (const interactive of [buttons(['Mon', 'Tue', 'Wed']), list(10), list(5, 2), link]) {
      const res = await send(company, person.id, { interactive });
      expect(res.status).toBe(202);
      const note = (await res.json()) as { message_type: string; body: string; interactive: unknown; status: string };
      expect(note).toMatchObject({ message_type: 'interactive', interactive, status: 'sent' });
      expect(note.body).toBe(interactive.body.text);
    }
    const received = await sim.listMessages();
    expect(received.map((m) => m.request)).toEqual(
      [buttons(['Mon', 'Tue', 'Wed']), list(10), list(5, 2), link].map((interactive) => ({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: person.phone.replace('+', ''),
        type: 'interactive',
        interactive,
        biz_opaque_callback_data: expect.any(String),
      })),
    );
    // Free-form inside the window: Meta bills it as service (free), as the usage report counts it.
    const inbox = (await (await api(company, 'GET', `/api/v1/conversations/${person.id}/messages`)).json()) as {
      collection: { message_type: string; interactive: unknown }[];
    };
    expect(inbox.collection.filter((m) => m.message_type === 'interactive').length).toBe(4);
  });

  it('answers 409 window_closed before the person has written, and sends nothing', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    const person = await makePerson(company);
    await expectError(await send(company, person.id, { interactive: buttons(['Mon']) }), 409, 'window_closed');
    expect(await sim.listMessages()).toEqual([]);
  });

  it('answers 409 opted_out to a person who sent STOP, and sends nothing', async () => {
    const { company, sim, person } = await inWindow();
    await sim.inbound({ from: person.phone, text: 'STOP' });
    await expectError(await send(company, person.id, { interactive: list(2) }), 409, 'opted_out');
    expect(await sim.listMessages()).toEqual([]);
  });

  it('sends once for one Idempotency-Key, even when the same request races itself', async () => {
    const { company, sim, person } = await inWindow();
    const body = { interactive: buttons(['Mon', 'Tue']) };
    const answers = await Promise.all([1, 2, 3].map(() => send(company, person.id, body, 'tour-days-1')));
    const notes = await Promise.all(
      answers.map(async (r) => {
        expect([202, 409]).toContain(r.status);
        return r.status === 202 ? ((await r.json()) as { id: string }).id : null;
      }),
    );
    const ids = new Set(notes.filter((n) => n !== null));
    expect(ids.size).toBe(1);
    // A retry after the race replays the same message.
    const replay = await send(company, person.id, body, 'tour-days-1');
    expect(replay.status).toBe(202);
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await sim.listMessages()).toHaveLength(1);
  });
});

describe('interactive messages: the person answers', () => {
  it('a tapped button comes back as a message showing its title, linked to the question', async () => {
    const { company, sim, person } = await inWindow();
    const sent = (await (await send(company, person.id, { interactive: buttons(['Mon', 'Tue']) })).json()) as {
      wamid: string;
    };
    const questions = await sim.listQuestions();
    expect(questions[0]).toMatchObject({ wamid: sent.wamid, kind: 'button', body: 'Which day suits you for a tour?' });
    const answered = await sim.answer({ wamid: sent.wamid, choice: 'tue' });
    expect(answered?.status).toBe(200);
    // What Meta delivered: its interactive button_reply, with context naming the question.
    const delivery = (await sim.listDeliveries()).at(-1);
    const message = JSON.parse(delivery?.body ?? '{}').entry[0].changes[0].value.messages[0];
    expect(message).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button_reply', button_reply: { id: 'tue', title: 'Tue' } },
      context: { id: sent.wamid },
    });
    const inbox = (await (await api(company, 'GET', `/api/v1/conversations/${person.id}/messages`)).json()) as {
      collection: {
        direction: string;
        body: string;
        choice: unknown;
        context_wamid: string;
        quoted: { wamid: string; body: string } | null;
      }[];
    };
    expect(inbox.collection[0]).toMatchObject({
      direction: 'inbound',
      body: 'Tue',
      choice: { kind: 'button', id: 'tue', title: 'Tue', description: null },
      context_wamid: sent.wamid,
      quoted: { wamid: sent.wamid, body: 'Which day suits you for a tour?' },
    });
  });

  it('a chosen list row comes back with its description, through the sandbox API too', async () => {
    const { company, person } = await inWindow();
    const sent = (await (await send(company, person.id, { interactive: list(3) })).json()) as { wamid: string };
    const questions = (await (await api(company, 'GET', '/sandbox/questions')).json()) as {
      data: { wamid: string; choices: { id: string; title: string }[] }[];
    };
    expect(questions.data[0]?.choices.map((c) => c.title)).toEqual(['Spin 0.0', 'Spin 0.1', 'Spin 0.2']);
    const res = await api(company, 'POST', '/sandbox/answers', { wamid: sent.wamid, choice: 's0r1' });
    expect(res.status).toBe(202);
    const history = await historyOf(company, person.id, 'whatsapp_received');
    expect(history[0]).toMatchObject({
      body: 'Spin 0.1',
      choice: { kind: 'list', id: 's0r1', title: 'Spin 0.1', description: 'Studio 2, 45 minutes' },
    });
    await expectError(
      await api(company, 'POST', '/sandbox/answers', { wamid: sent.wamid, choice: 'nope' }),
      404,
      'not_found',
    );
  });
});

describe('the simulator validates interactive sends like Meta', () => {
  it('refuses a fourth button with (#100) naming the parameter', async () => {
    const company = await makeCompany();
    const res = await exports.default.fetch(
      `http://meta.sandbox/sandbox/graph/v23.0/${company.phoneNumberId}/messages`,
      {
        method: 'POST',
        headers: { Authorization: 'Bearer sandbox-token', 'Content-Type': 'application/json' },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: '447412345678',
          type: 'interactive',
          interactive: buttons(['A', 'B', 'C', 'D']),
        }),
      },
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number; error_data: { details: string } } };
    expect(body.error.code).toBe(100);
    expect(body.error.error_data.details).toContain("Param interactive['action']['buttons']['3']: at most 3 buttons");
  });
});
