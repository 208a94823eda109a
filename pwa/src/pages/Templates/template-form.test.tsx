import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { LocationProvider } from 'preact-iso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import { uploadMedia } from '../../lib/api/media';
import { createTemplate } from '../../lib/api/templates';
import {
  type Draft,
  draftProblems,
  draftToRequest,
  emptyDraft,
  fieldOf,
  samplesOf,
  serverProblem,
} from './template-draft';
import { TemplateForm } from './template-form';

vi.mock('../../lib/api/templates', () => ({ createTemplate: vi.fn() }));
vi.mock('../../lib/api/media', () => ({ uploadMedia: vi.fn() }));
const create = vi.mocked(createTemplate);
const upload = vi.mocked(uploadMedia);

const VALID: Draft = {
  ...emptyDraft(),
  name: 'membership_renewal',
  body: 'Hi {{1}}, your membership ends on {{2}}. Reply to renew.',
  samples: { '1': 'Sheena', '2': '30 September 2026' },
};
const long = (n: number) => 'x'.repeat(n);

describe("draftProblems: the API's rules, on the field they belong to", () => {
  it('finds nothing wrong with a valid draft', () => {
    expect(draftProblems(VALID)).toEqual({});
  });

  it.each<[string, Partial<Draft>, string, string]>([
    ['capitals in the name', { name: 'Renewal' }, 'name', 'Lowercase letters, digits and underscores'],
    ['no name', { name: '' }, 'name', 'A template needs a name'],
    ['a language Meta does not know', { language: 'English' }, 'language', "Meta's language code, e.g. en_GB"],
    ['an empty body', { body: ' ', samples: {} }, 'body', 'The body needs text'],
    [
      'a body ending with a variable',
      { body: 'Hi {{1}}', samples: { '1': 'Sheena' } },
      'body',
      'The body may neither start nor end with a variable',
    ],
    [
      'a gap in the variables',
      { body: 'Hi {{1}}, see you {{3}}!', samples: { '1': 'a', '3': 'b' } },
      'body',
      'Variables must be numbered {{1}}, {{2}}... without gaps',
    ],
    ['a body over 1,024 characters', { body: long(1025) }, 'body', 'At most 1024 characters (1025 given)'],
    [
      'a variable without a sample',
      { samples: { '1': 'Sheena' } },
      'samples',
      'Every variable needs a sample value: give one for each of the 2 variable(s)',
    ],
    [
      'a header with two variables',
      { header: '{{1}} and {{2}}', samples: { ...VALID.samples, 'header.1': 'a', 'header.2': 'b' } },
      'header',
      'A header takes at most one variable',
    ],
    ['a header over 60 characters', { header: long(61) }, 'header', 'At most 60 characters (61 given)'],
    ['a footer over 60 characters', { footer: long(61) }, 'footer', 'At most 60 characters (61 given)'],
    ['a variable in the footer', { footer: 'Bye {{1}}' }, 'footer', 'A footer takes no variables'],
  ])('%s -> %s', (_label, patch, field, message) => {
    expect(draftProblems({ ...VALID, ...patch })[field]).toContain(message);
  });

  it('puts each button problem on that button, and grouping on the list', () => {
    const problems = draftProblems({
      ...VALID,
      buttons: [
        { type: 'QUICK_REPLY', text: long(26), url: '', phone_number: '' },
        { type: 'URL', text: 'Prices', url: 'demo.gym', phone_number: '' },
        { type: 'QUICK_REPLY', text: 'No', url: '', phone_number: '' },
        { type: 'PHONE_NUMBER', text: 'Call', url: '', phone_number: 'call us' },
      ],
    });
    expect(problems['button.0.text']).toEqual(['At most 25 characters']);
    expect(problems['button.1.url']).toEqual(['A URL button needs an http(s) url']);
    expect(problems['button.3.phone_number']).toEqual(['A phone button needs a phone number']);
    expect(problems.buttons).toEqual(['Quick reply buttons must be grouped together']);
  });

  it("builds Meta's format: examples in variable order, named variables, the variable map", () => {
    const request = draftToRequest({
      ...VALID,
      header: 'For {{1}}',
      body: 'Hi {{2}} and {{1}}, hello.',
      samples: { '1': 'one', '2': 'two', 'header.1': 'head' },
      mapping: { '1': 'first_name', '2': '', 'header.1': 'full_name', '9': 'email' },
    });
    expect(request.parameter_format).toBe('POSITIONAL');
    expect(request.components[0]).toMatchObject({ type: 'HEADER', example: { header_text: ['head'] } });
    expect(request.components[1]).toMatchObject({ type: 'BODY', example: { body_text: [['one', 'two']] } });
    // Only the template's own variables, and only those mapped.
    expect(request.variable_map).toEqual({ '1': 'first_name', 'header.1': 'full_name' });
    const named = draftToRequest({ ...VALID, body: 'Hi {{first_name}}, hello.', samples: { first_name: 'Tom' } });
    expect(named.parameter_format).toBe('NAMED');
    expect(named.components[0]).toMatchObject({
      example: { body_text_named_params: [{ param_name: 'first_name', example: 'Tom' }] },
    });
  });

  it('reads the samples back out of what it wrote (the detail page shows them), positional and named', () => {
    const drafts: Draft[] = [
      { ...VALID, header: 'For {{1}}', samples: { ...VALID.samples, 'header.1': 'head' } },
      { ...VALID, body: 'Hi {{first_name}}, see you at {{time}}.', samples: { first_name: 'Tom', time: '7pm' } },
    ];
    for (const draft of drafts) {
      const request = draftToRequest(draft);
      expect(samplesOf(request.components, request.parameter_format)).toEqual(draft.samples);
    }
  });

  it("reads the server's 422 message back onto its field", () => {
    const components = draftToRequest({ ...VALID, footer: 'Bye', buttons: [] }).components;
    const at = (message: string) => {
      const p = serverProblem(message);
      return [fieldOf(p.path, components), p.message];
    };
    expect(at('components[1].text: a footer takes no variables')).toEqual(['footer', 'a footer takes no variables']);
    expect(at('components[0].example.body_text: give samples')).toEqual(['samples', 'give samples']);
    expect(at('name: lowercase letters, digits and underscores')[0]).toBe('name');
    expect(at('variable_map.header.1: the template has no variable')[0]).toBe('mapping');
    expect(at('Something odd')).toEqual(['form', 'Something odd']);
  });
});

function renderForm() {
  return render(
    <LocationProvider>
      <TemplateForm />
    </LocationProvider>,
  );
}
const type = (label: string | RegExp, value: string) => {
  const el = screen.getByLabelText(label);
  fireEvent.input(el, { target: { value } });
  fireEvent.blur(el);
  return el;
};
const preview = () => screen.getByTestId('template-bubble');

describe('TemplateForm', () => {
  beforeEach(() => create.mockReset());

  it('previews live as the fields are typed, and asks for a sample per variable', () => {
    renderForm();
    type(/^Header text/, 'Your membership');
    type(/^Body/, 'Hi {{1}}, your membership ends on {{2}}. Reply to renew.');
    type(/^Footer/, 'Demo Gym');
    expect(within(screen.getByRole('figure', { name: 'Preview' })).getByText('Your membership')).toBeTruthy();
    expect(preview().textContent).toContain('Hi {{1}}, your membership ends on {{2}}.');
    type('Sample for {{1}}', 'Sheena');
    type('Sample for {{2}}', '');
    // Only the empty sample is at fault.
    expect(screen.getByTestId('errors-samples').textContent).toBe(
      'Every variable needs a sample value: give one for each of the 2 variable(s)',
    );
    expect(screen.getByLabelText('Sample for {{1}}').getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByLabelText('Sample for {{2}}').getAttribute('aria-invalid')).toBe('true');
    type('Sample for {{2}}', '30 September 2026');
    expect(screen.queryByTestId('errors-samples')).toBeNull();
    expect(preview().textContent).toContain('Hi Sheena, your membership ends on 30 September 2026. Reply to renew.');
    expect(preview().textContent).toContain('Demo Gym');
  });

  it("shows a field's problem in words once it has been left, marks it invalid, and clears it when fixed", () => {
    renderForm();
    const footer = type(/^Footer/, long(61));
    expect(screen.getByTestId('errors-footer').textContent).toBe('At most 60 characters (61 given)');
    expect(footer.getAttribute('aria-invalid')).toBe('true');
    expect(footer.getAttribute('aria-describedby')).toBe(screen.getByTestId('errors-footer').id);
    // The body was never touched: no message for it yet.
    expect(screen.queryByTestId('errors-body')).toBeNull();
    type(/^Footer/, 'Demo Gym');
    expect(screen.queryByTestId('errors-footer')).toBeNull();
    expect(footer.getAttribute('aria-invalid')).toBe('false');
  });

  it('submitting with mistakes sends nothing and shows every message', async () => {
    renderForm();
    type(/^Name/, 'Renewal Offer');
    fireEvent.click(screen.getByRole('button', { name: 'Submit to Meta for review' }));
    expect((await screen.findByRole('alert')).textContent).toContain('2 things to fix');
    expect(screen.getByTestId('errors-name').textContent).toBe('Lowercase letters, digits and underscores');
    expect(screen.getByTestId('errors-body').textContent).toBe('The body needs text');
    expect(create).not.toHaveBeenCalled();
  });

  it("submits Meta's format with the mapping, and shows the server's 422 on its field", async () => {
    create.mockRejectedValueOnce(
      new ApiFailure(422, 'invalid_template', 'components[0].text: the body may neither start nor end with a variable'),
    );
    renderForm();
    type(/^Name/, 'membership_renewal');
    type(/^Body/, 'Hi {{1}}, welcome!');
    type('Sample for {{1}}', 'Sheena');
    fireEvent.change(screen.getByLabelText(/^\{\{1\}\} filled from/), { target: { value: 'first_name' } });
    fireEvent.click(screen.getByRole('button', { name: 'Submit to Meta for review' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(create.mock.calls[0]?.[0]).toEqual({
      name: 'membership_renewal',
      category: 'UTILITY',
      language: 'en_GB',
      parameter_format: 'POSITIONAL',
      components: [{ type: 'BODY', text: 'Hi {{1}}, welcome!', example: { body_text: [['Sheena']] } }],
      variable_map: { '1': 'first_name' },
    });
    expect((await screen.findByTestId('errors-body')).textContent).toBe(
      'The body may neither start nor end with a variable',
    );
    expect(screen.getByRole('alert').textContent).toContain('Not submitted');
  });

  it('takes a photo header: a wrong file is refused in words before any upload; the right one goes up as the sample', async () => {
    create.mockResolvedValueOnce({ name: 'summer_timetable' } as Awaited<ReturnType<typeof createTemplate>>);
    upload.mockResolvedValueOnce({
      id: '1234567890',
      type: 'image',
      mime_type: 'image/png',
      size: 3,
      filename: 't.png',
    });
    renderForm();
    type(/^Name/, 'summer_timetable');
    type(/^Body/, 'Our summer timetable is here.');
    fireEvent.change(screen.getByLabelText('Header type'), { target: { value: 'IMAGE' } });
    const picker = screen.getByLabelText('Sample photo');
    const gif = new File(['GIF89a'], 'party.gif', { type: 'image/gif' });
    fireEvent.change(picker, { target: { files: [gif] } });
    expect(screen.getByTestId('errors-header').textContent).toBe(
      '"party.gif" is an image/gif file: a photo header takes JPEG or PNG, up to 5 MB.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Submit to Meta for review' }));
    await screen.findByRole('alert');
    expect(upload).not.toHaveBeenCalled();
    const png = new File([new Uint8Array([1, 2, 3])], 't.png', { type: 'image/png' });
    fireEvent.change(picker, { target: { files: [png] } });
    expect(screen.queryByTestId('errors-header')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Submit to Meta for review' }));
    await waitFor(() => expect(create).toHaveBeenCalledTimes(1));
    expect(upload).toHaveBeenCalledWith(png);
    expect(create.mock.calls[0]?.[0]).toMatchObject({
      components: [
        { type: 'HEADER', format: 'IMAGE' },
        { type: 'BODY', text: 'Our summer timetable is here.' },
      ],
      header_sample: { media_id: '1234567890' },
    });
  });
});
