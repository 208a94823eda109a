// Sending templates: params by position or by name, or left to the mapping; what Meta receives; the note.
import { describe, expect, it } from 'vitest';
import { api, makeCompany, makePerson, type TestCompany } from './helpers/fixtures';
import { expectError, historyOf, manualSimulator } from './helpers/sandbox';
import { approvedTemplate, renewalTemplate } from './helpers/templates';

async function setUp(person: Record<string, unknown> = {}) {
  const company = await makeCompany({ name: 'Demo Gym' });
  const sim = await manualSimulator(company);
  const p = await makePerson(company, { first_name: 'Sheena', last_name: 'Nelson', ...person });
  return { company, sim, person: p };
}

const send = (company: TestCompany, personId: string, template: Record<string, unknown>) =>
  api(company, 'POST', `/api/v1/people/${personId}/whatsapp/messages`, {
    template: { language: 'en_GB', ...template },
  });

async function lastRequest(sim: Awaited<ReturnType<typeof manualSimulator>>) {
  const messages = await sim.listMessages();
  return messages[messages.length - 1]?.request;
}

const namedTemplate = {
  name: 'membership_ending',
  category: 'UTILITY',
  language: 'en_GB',
  parameter_format: 'NAMED',
  components: [
    {
      type: 'HEADER',
      format: 'TEXT',
      text: 'Hello {{first_name}}',
      example: { header_text_named_params: [{ param_name: 'first_name', example: 'Sheena' }] },
    },
    {
      type: 'BODY',
      text: 'Dear {{first_name}}, your membership at {{company_name}} ends on {{membership_end}}. Use {{code}} to renew.',
      example: {
        body_text_named_params: [
          { param_name: 'first_name', example: 'Sheena' },
          { param_name: 'company_name', example: 'Demo Gym' },
          { param_name: 'membership_end', example: '30 September 2025' },
          { param_name: 'code', example: 'RENEW10' },
        ],
      },
    },
  ],
};

describe('positional templates', () => {
  it('fills left-out params from the variable map (person field, fixed text)', async () => {
    const { company, sim, person } = await setUp();
    await approvedTemplate(company, renewalTemplate({ variable_map: { '1': 'first_name', '2': { text: 'Spin' } } }));
    const res = await send(company, person.id, { name: 'class_reminder' });
    expect(res.status).toBe(202);
    expect(await lastRequest(sim)).toMatchObject({
      template: {
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Sheena' },
              { type: 'text', text: 'Spin' },
            ],
          },
        ],
      },
    });
    // An explicit param beats the map; an object may name positional variables by number.
    expect((await send(company, person.id, { name: 'class_reminder', params: { '2': 'Yoga' } })).status).toBe(202);
    expect(JSON.stringify(await lastRequest(sim))).toContain('"text":"Yoga"');
  });

  it('names the missing variable, and the extra one (422 template_params); Meta is not called', async () => {
    const { company, sim, person } = await setUp();
    await approvedTemplate(company, renewalTemplate());
    const missing = await send(company, person.id, { name: 'class_reminder', params: ['Sheena'] });
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({
      error: { code: 'template_params', message: expect.stringContaining('{{2}}') },
    });
    const extra = await send(company, person.id, { name: 'class_reminder', params: ['a', 'b', 'c'] });
    expect(await extra.json()).toMatchObject({
      error: { code: 'template_params', message: expect.stringContaining('#3') },
    });
    const none = await send(company, person.id, { name: 'class_reminder' });
    expect(await none.json()).toMatchObject({
      error: { code: 'template_params', message: expect.stringContaining('{{1}}, {{2}}') },
    });
    expect(await sim.listMessages()).toEqual([]);
  });

  it('answers template_not_approved for an unknown name or language', async () => {
    const { company, person } = await setUp();
    await approvedTemplate(company, renewalTemplate());
    await expectError(
      await send(company, person.id, { name: 'class_reminder', language: 'en_US', params: ['a', 'b'] }),
      422,
      'template_not_approved',
    );
  });

  it('refuses a MARKETING template to someone who stopped marketing (409), but a UTILITY one goes', async () => {
    const { company, sim, person } = await setUp();
    await approvedTemplate(company, renewalTemplate({ name: 'promo', category: 'MARKETING' }));
    await approvedTemplate(company, renewalTemplate());
    // Meta's 131050 on a first marketing send marks the person.
    await sim.failRecipient(person.phone, 131050);
    expect((await send(company, person.id, { name: 'promo', params: ['a', 'b'] })).status).toBe(202);
    await sim.flushWebhooks();
    await expectError(await send(company, person.id, { name: 'promo', params: ['a', 'b'] }), 409, 'marketing_stopped');
    expect((await send(company, person.id, { name: 'class_reminder', params: ['a', 'b'] })).status).toBe(202);
  });
});

describe('NAMED templates', () => {
  it('maps variables named for person fields, takes the rest by name, and sends parameter_name', async () => {
    const { company, sim, person } = await setUp({ membership_end: '2025-09-30' });
    await approvedTemplate(company, namedTemplate);
    const res = await send(company, person.id, { name: 'membership_ending', params: { code: 'RENEW10' } });
    expect(res.status).toBe(202);
    expect(await lastRequest(sim)).toMatchObject({
      template: {
        name: 'membership_ending',
        components: [
          { type: 'header', parameters: [{ type: 'text', text: 'Sheena', parameter_name: 'first_name' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Sheena', parameter_name: 'first_name' },
              { type: 'text', text: 'Demo Gym', parameter_name: 'company_name' },
              { type: 'text', text: '30 September 2025', parameter_name: 'membership_end' },
              { type: 'text', text: 'RENEW10', parameter_name: 'code' },
            ],
          },
        ],
      },
    });
    const [note] = await historyOf(company, person.id);
    expect(note).toMatchObject({
      body: 'Hello Sheena\n\nDear Sheena, your membership at Demo Gym ends on 30 September 2025. Use RENEW10 to renew.',
      template: {
        name: 'membership_ending',
        language: 'en_GB',
        category: 'UTILITY',
        params: {
          first_name: 'Sheena',
          company_name: 'Demo Gym',
          membership_end: '30 September 2025',
          code: 'RENEW10',
        },
      },
    });
  });

  it('answers template_params for a person field the person lacks, and for a name the template lacks', async () => {
    const { company, person } = await setUp();
    await approvedTemplate(company, namedTemplate);
    const lacking = await send(company, person.id, { name: 'membership_ending', params: { code: 'X' } });
    expect(await lacking.json()).toMatchObject({
      error: { code: 'template_params', message: expect.stringContaining('{{membership_end}}') },
    });
    const unknown = await send(company, person.id, {
      name: 'membership_ending',
      params: { code: 'X', membership_end: 'soon', colour: 'red' },
    });
    expect(await unknown.json()).toMatchObject({
      error: { code: 'template_params', message: expect.stringContaining('colour') },
    });
  });
});

describe('preview', () => {
  it('renders the header and body for a person without sending', async () => {
    const { company, sim, person } = await setUp({ membership_end: '2025-09-30' });
    const t = await approvedTemplate(company, namedTemplate);
    const res = await api(company, 'POST', `/api/v1/whatsapp/templates/${t.id}/preview`, {
      person_id: person.id,
      params: { code: 'RENEW10' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      template_id: t.id,
      status: 'APPROVED',
      header: 'Hello Sheena',
      body: 'Dear Sheena, your membership at Demo Gym ends on 30 September 2025. Use RENEW10 to renew.',
      params: { first_name: 'Sheena', company_name: 'Demo Gym', membership_end: '30 September 2025', code: 'RENEW10' },
    });
    expect(await sim.listMessages()).toEqual([]);
    await expectError(
      await api(company, 'POST', `/api/v1/whatsapp/templates/${t.id}/preview`, { person_id: person.id }),
      422,
      'template_params',
    );
    await expectError(
      await api(company, 'POST', `/api/v1/whatsapp/templates/${t.id}/preview`, { person_id: 'per_nobody' }),
      404,
      'not_found',
    );
  });
});
