import { describe, expect, it } from 'vitest';
import { api, makeCompany, type TestCompany } from './helpers/fixtures';
import { expectError } from './helpers/sandbox';
import {
  createTemplate,
  getTemplateJson,
  manualWaba,
  renewalTemplate,
  type TemplateJson,
  wabaSimulator,
} from './helpers/templates';

const body = (text: string, example: unknown = { body_text: [['Sheena']] }) => ({
  type: 'BODY',
  text,
  example,
});
const long = (n: number) => 'x'.repeat(n);

describe('template validation (before Meta is called)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a name with capitals', { name: 'Class_Reminder' }, 'name'],
    ['a name with a dash', { name: 'class-reminder' }, 'name'],
    ['a name over 512 characters', { name: long(513) }, 'name'],
    ['an unknown category', { category: 'PROMO' }, 'category'],
    ['no BODY', { components: [{ type: 'FOOTER', text: 'Demo Gym' }] }, 'components'],
    ['an empty body', { components: [body('')] }, 'components[0].text'],
    ['a body over 1,024 characters', { components: [body(`Hi ${long(1030)} there`, undefined)] }, 'components[0].text'],
    [
      'a header over 60 characters',
      {
        components: [
          { type: 'HEADER', format: 'TEXT', text: long(61) },
          body('Hi {{1}} there', { body_text: [['S']] }),
        ],
      },
      'components[0].text',
    ],
    [
      'a header with two variables',
      {
        components: [
          { type: 'HEADER', format: 'TEXT', text: '{{1}} and {{2}}', example: { header_text: ['a', 'b'] } },
          body('Hello there'),
        ],
      },
      'components[0].text',
    ],
    [
      'a footer over 60 characters',
      { components: [body('Hello there'), { type: 'FOOTER', text: long(61) }] },
      'components[1].text',
    ],
    [
      'a footer with a variable',
      { components: [body('Hello there'), { type: 'FOOTER', text: 'Reply {{1}}' }] },
      'components[1].text',
    ],
    [
      'positional variables with a gap',
      { components: [body('Hi {{1}}, see {{3}} today', { body_text: [['a', 'b']] })] },
      'components[0].text',
    ],
    [
      'a named variable in a positional template',
      { components: [body('Hi {{first_name}} today', { body_text: [['a']] })] },
      'components[0].text',
    ],
    [
      'a named variable with capitals',
      {
        parameter_format: 'NAMED',
        components: [
          body('Hi {{FirstName}} today', { body_text_named_params: [{ param_name: 'FirstName', example: 'S' }] }),
        ],
      },
      'components[0].text',
    ],
    ['a variable without an example', { components: [body('Hi {{1}} today', {})] }, 'components[0].example.body_text'],
    [
      'a body example short of a variable',
      { components: [{ type: 'HEADER', format: 'TEXT', text: 'Hello' }, body('Hi {{1}}, {{2}} today')] },
      'components[1].example.body_text',
    ],
    [
      'a named variable without its example',
      {
        parameter_format: 'NAMED',
        components: [body('Hi {{first_name}} today', { body_text_named_params: [] })],
      },
      'components[0].example.body_text_named_params',
    ],
    [
      'a header variable without an example',
      { components: [{ type: 'HEADER', format: 'TEXT', text: 'For {{1}}' }, body('Hello there')] },
      'components[0].example.header_text',
    ],
    ['a body starting with a variable', { components: [body('{{1}}, hello')] }, 'components[0].text'],
    ['a body ending with a variable', { components: [body('Hello {{1}}')] }, 'components[0].text'],
    [
      'more than 10 buttons',
      {
        components: [
          body('Hello there'),
          { type: 'BUTTONS', buttons: Array.from({ length: 11 }, (_, i) => ({ type: 'QUICK_REPLY', text: `B${i}` })) },
        ],
      },
      'components[1].buttons',
    ],
    [
      'three URL buttons',
      {
        components: [
          body('Hello there'),
          {
            type: 'BUTTONS',
            buttons: [1, 2, 3].map((i) => ({ type: 'URL', text: `Site ${i}`, url: 'https://example.com' })),
          },
        ],
      },
      'components[1].buttons',
    ],
    [
      'two phone buttons',
      {
        components: [
          body('Hello there'),
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'PHONE_NUMBER', text: 'Call', phone_number: '+447412345678' },
              { type: 'PHONE_NUMBER', text: 'Call again', phone_number: '+447412345679' },
            ],
          },
        ],
      },
      'components[1].buttons',
    ],
    [
      'quick replies split by a URL button',
      {
        components: [
          body('Hello there'),
          {
            type: 'BUTTONS',
            buttons: [
              { type: 'QUICK_REPLY', text: 'Yes' },
              { type: 'URL', text: 'Site', url: 'https://example.com' },
              { type: 'QUICK_REPLY', text: 'No' },
            ],
          },
        ],
      },
      'components[1].buttons',
    ],
    [
      'button text over 25 characters',
      { components: [body('Hello there'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: long(26) }] }] },
      'components[1].buttons[0].text',
    ],
    ['a variable_map naming a variable the template lacks', { variable_map: { '3': 'first_name' } }, 'variable_map.3'],
    ['a variable_map with an unknown person field', { variable_map: { '1': 'nickname' } }, 'variable_map.1'],
  ])('%s answers 422 invalid_template at %s, and Meta is never asked', async (_label, over, path) => {
    const company = await makeCompany();
    const res = await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate(over));
    expect(res.status).toBe(422);
    const json = (await res.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBe('invalid_template');
    expect(json.error.message.startsWith(`${path}:`)).toBe(true);
    expect(await wabaSimulator(company).listTemplates()).toEqual([]);
  });

  it("accepts Meta's documented example with header, footer, and grouped buttons", async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const t = await createTemplate(company, {
      name: 'seasonal_promotion',
      language: 'en_US',
      category: 'MARKETING',
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Our {{1}} is on!', example: { header_text: ['Summer Sale'] } },
        {
          type: 'BODY',
          text: 'Shop now through {{1}} and use code {{2}} to get {{3}} off of all merchandise.',
          example: { body_text: [['the end of August', '25OFF', '25%']] },
        },
        { type: 'FOOTER', text: 'Use the buttons below to manage your marketing subscriptions' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'QUICK_REPLY', text: 'Unsubscribe from Promos' },
            { type: 'QUICK_REPLY', text: 'Unsubscribe from All' },
          ],
        },
      ],
    });
    expect(t).toMatchObject({
      status: 'PENDING',
      category: 'MARKETING',
      parameter_format: 'POSITIONAL',
      variables: ['1', '2', '3', 'header.1'],
    });
  });
});

describe('creating, reading, listing and deleting templates', () => {
  it('submits to Meta, stores its id and PENDING, and reads back the same', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const created = await createTemplate(company, renewalTemplate({ variable_map: { '1': 'first_name' } }));
    expect(created).toMatchObject({
      name: 'class_reminder',
      language: 'en_GB',
      category: 'UTILITY',
      status: 'PENDING',
      rejected_reason: null,
      variables: ['1', '2'],
      variable_map: { '1': 'first_name' },
    });
    expect(created.id).toMatch(/^tpl_/);
    const atMeta = await wabaSimulator(company).listTemplates();
    expect(atMeta.map((t) => [t.id, t.name, t.language, t.status])).toEqual([
      [created.meta_id, 'class_reminder', 'en_GB', 'PENDING'],
    ]);
    expect(await getTemplateJson(company, created.id)).toEqual(created);
  });

  it('answers 409 template_exists for a name and language taken here, or only at Meta (2388024)', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    await createTemplate(company, renewalTemplate());
    await expectError(
      await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate()),
      409,
      'template_exists',
    );
    // Another language of the same name is another template.
    await createTemplate(company, renewalTemplate({ language: 'en_US' }));

    await wabaSimulator(company).putTemplate({
      name: 'made_in_manager',
      language: 'en_GB',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Hello there' }],
    });
    const res = await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate({ name: 'made_in_manager' }));
    await expectError(res, 409, 'template_exists');
  });

  it("answers 502 meta_error with Meta's message and stores nothing when Meta refuses", async () => {
    const company = await makeCompany();
    await wabaSimulator(company).queueFaults([{ kind: 'http', status: 400, code: 200, title: 'Permissions error' }]);
    const res = await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate());
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ error: { code: 'meta_error', message: 'Meta refused: Permissions error' } });
    const list = await api(company, 'GET', '/api/v1/whatsapp/templates');
    expect(((await list.json()) as { collection: unknown[] }).collection).toEqual([]);
  });

  it('refuses a company without WhatsApp', async () => {
    const company = await makeCompany({ whatsapp: false });
    await expectError(
      await api(company, 'POST', '/api/v1/whatsapp/templates', renewalTemplate()),
      403,
      'whatsapp_disabled',
    );
  });

  it("lists with filters and pages, newest first, only the company's own", async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const made: TemplateJson[] = [];
    for (const [name, category] of [
      ['one', 'UTILITY'],
      ['two', 'MARKETING'],
      ['three', 'MARKETING'],
    ] as const)
      made.push(await createTemplate(company, renewalTemplate({ name, category })));
    const other = await makeCompany();
    await manualWaba(other);
    await createTemplate(other, renewalTemplate({ name: 'four' }));

    const page = async (c: TestCompany, q: string) => {
      const res = await api(c, 'GET', `/api/v1/whatsapp/templates?${q}`);
      expect(res.status).toBe(200);
      return (await res.json()) as { collection: TemplateJson[]; pagination: { total_entries: number } };
    };
    const all = await page(company, '');
    expect(all.collection.map((t) => t.name)).toEqual(['three', 'two', 'one']);
    expect((await page(company, 'category=MARKETING')).collection.map((t) => t.name)).toEqual(['three', 'two']);
    expect((await page(company, 'name=one')).collection.map((t) => t.id)).toEqual([made[0]?.id]);
    expect((await page(company, 'status=approved')).collection).toEqual([]);
    expect((await page(company, 'language=en_GB&per_page=2&page=2')).collection.map((t) => t.name)).toEqual(['one']);
    expect((await page(company, 'per_page=2')).pagination.total_entries).toBe(3);
  });

  it('deletes at Meta and here: 204, then 404', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const t = await createTemplate(company, renewalTemplate());
    const keep = await createTemplate(company, renewalTemplate({ language: 'en_US' }));
    const res = await api(company, 'DELETE', `/api/v1/whatsapp/templates/${t.id}`);
    expect(res.status).toBe(204);
    await expectError(await api(company, 'GET', `/api/v1/whatsapp/templates/${t.id}`), 404, 'not_found');
    // Only that language version went.
    expect((await wabaSimulator(company).listTemplates()).map((r) => r.id)).toEqual([keep.meta_id]);
    await expectError(await api(company, 'DELETE', `/api/v1/whatsapp/templates/${t.id}`), 404, 'not_found');
  });

  it("hides another company's template (404)", async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const t = await createTemplate(company, renewalTemplate());
    const other = await makeCompany();
    await expectError(await api(other, 'GET', `/api/v1/whatsapp/templates/${t.id}`), 404, 'not_found');
    await expectError(await api(other, 'DELETE', `/api/v1/whatsapp/templates/${t.id}`), 404, 'not_found');
  });

  it('changes the variable mapping with PATCH, and refuses a variable the template lacks', async () => {
    const company = await makeCompany();
    await manualWaba(company);
    const t = await createTemplate(company, renewalTemplate());
    const res = await api(company, 'PATCH', `/api/v1/whatsapp/templates/${t.id}`, {
      variable_map: { '1': 'first_name', '2': { text: 'Spin' } },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as TemplateJson).variable_map).toEqual({ '1': 'first_name', '2': { text: 'Spin' } });
    await expectError(
      await api(company, 'PATCH', `/api/v1/whatsapp/templates/${t.id}`, { variable_map: { '9': 'first_name' } }),
      422,
      'invalid_template',
    );
  });
});
