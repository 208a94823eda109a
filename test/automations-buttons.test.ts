// An automated item may ask with buttons: outside the 24-hour window only a template can go, so the question is
// an approved template with quick-reply buttons (Meta's BUTTONS component). It goes as the template it is, and the
// person's tap comes back as a message showing the chosen title, tied to the question (context), opening the
// window. The away reply's buttons (interactive, inside the window) are tested in away-reply.test.ts.
import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { getDb } from '../worker/db/client';
import { templates } from '../worker/db/schema';
import { newId } from '../worker/ids';
import { processOccurrences } from '../worker/whatsapp/automations/consumer';
import { ALL_DAY, makeItem, sweepAt } from './helpers/automations';
import { api, makeCompany, makePerson } from './helpers/fixtures';
import { historyOf, manualSimulator } from './helpers/sandbox';
import { inboundPayload, postWebhook, wamid } from './helpers/webhooks';

vi.setConfig({ testTimeout: 30_000 });

describe('an automated item that asks with buttons', () => {
  it('sends its quick-reply template, and the tap comes back as the chosen title, answering it', async () => {
    const company = await makeCompany();
    const sim = await manualSimulator(company);
    await getDb(env)
      .insert(templates)
      .values({
        id: newId('tpl'),
        companyId: company.id,
        name: 'tour_question',
        language: 'en_GB',
        category: 'MARKETING',
        status: 'APPROVED',
        components: [
          { type: 'BODY', text: 'Hi {{1}}! Shall we book your tour?' },
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Book a tour' },
              { type: 'QUICK_REPLY', text: 'Not now' },
            ],
          },
        ],
        variables: ['1'],
      });
    const item = await makeItem(company, {
      template: { name: 'tour_question', language: 'en_GB' },
      trigger: { event: 'person_created', offset_hours: 0 },
      send_window: ALL_DAY,
    });
    const person = await makePerson(company, { first_name: 'Sheena' });
    const now = Date.now() + 60_000;
    const swept = await sweepAt(company, item.id, now);
    await processOccurrences(env, swept.ids, now, company.id);

    const [sent] = await sim.listMessages();
    expect(sent?.request).toMatchObject({
      type: 'template',
      to: person.phone.slice(1),
      template: { name: 'tour_question', language: { code: 'en_GB' } },
    });
    // Quick replies need nothing per send: the buttons are the approved template's own.
    const question = sent?.wamid ?? '';
    expect(question).not.toBe('');

    // The person taps "Book a tour" (Meta's `button` message, replying to the template).
    const res = await postWebhook(
      inboundPayload(company.phoneNumberId, {
        from: person.phone,
        id: wamid(),
        message: {
          type: 'button',
          button: { text: 'Book a tour', payload: 'Book a tour' },
          context: { from: '15550783881', id: question },
        },
      }),
    );
    expect(res.status).toBe(200);
    const notes = (await historyOf(company, person.id)) as unknown as {
      type: string;
      body: string | null;
      context_wamid?: string | null;
      template: { name: string } | null;
    }[];
    expect(notes.find((n) => n.type === 'whatsapp_received')).toMatchObject({
      body: 'Book a tour',
      context_wamid: question,
    });
    expect(notes.find((n) => n.type === 'whatsapp_sent')?.template?.name).toBe('tour_question');
    // The tap opened the window: free text may follow now.
    const reply = await api(company, 'POST', `/api/v1/people/${person.id}/whatsapp/messages`, {
      text: 'Great! Which day suits you?',
    });
    expect(reply.status).toBe(202);
  });
});
