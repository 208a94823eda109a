import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { AutomationInput, TemplateOption } from '../../lib/api/automations';
import { ApiFailure } from '../../lib/api/client';
import { AutomationForm } from './automation-form';
import { emptyForm } from './form-state';

const TEMPLATES: TemplateOption[] = [
  {
    name: 'welcome_offer',
    language: 'en_GB',
    category: 'UTILITY',
    body: 'Hi {{1}}, welcome to Demo Gym!',
    variables: ['1'],
    variableMap: {},
  },
  {
    name: 'win_back',
    language: 'en_GB',
    category: 'MARKETING',
    body: 'Hi {{1}}, we miss you. {{2}} on us if you come back.',
    variables: ['1', '2'],
    variableMap: { '1': 'first_name' },
  },
];

function renderForm(onSubmit = vi.fn(async (_: AutomationInput) => undefined)) {
  render(
    <AutomationForm
      initial={emptyForm()}
      templates={TEMPLATES}
      timeZone="Europe/London"
      submitLabel="Create item"
      onSubmit={onSubmit}
    />,
  );
  return onSubmit;
}

const sentence = () => screen.getByTestId('automation-sentence').textContent;
const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
const type = (label: string, value: string) => fireEvent.input(field(label), { target: { value } });
const choose = (label: string, value: string) => fireEvent.change(field(label), { target: { value } });
/** The message a screen reader reads with the field: the element its aria-describedby names. */
const errorOf = (label: string): string | null => {
  const id = field(label).getAttribute('aria-describedby');
  return id ? (document.getElementById(id)?.textContent ?? null) : null;
};
const save = () => fireEvent.click(screen.getByRole('button', { name: 'Create item' }));

describe('the read-back sentence above the form', () => {
  it('follows every change as it is made', () => {
    renderForm();
    expect(sentence()).toBe(
      '3 days after a membership ends, at 08:00-21:00 London time, send a template (not chosen yet) to everyone',
    );
    choose('Template', 'win_back:en_GB');
    fireEvent.click(screen.getByLabelText('Former members'));
    type('From', '09:00');
    type('Until', '20:00');
    expect(sentence()).toBe(
      '3 days after a membership ends, at 09:00-20:00 London time, send win_back to former members',
    );
    type('Days', '7');
    choose('Before or after', 'before');
    expect(sentence()).toMatch(/^7 days before a membership ends,/);
    choose('Trigger', 'no_reply');
    type('Hours after', '24');
    expect(sentence()).toMatch(/^24 hours after a person's last message, if nobody has written to them since, within/);
    choose('Trigger', 'date_of_birth');
    expect(sentence()).toMatch(/^On a person's birthday, at 09:00-20:00 London time/);
    expect(screen.queryByLabelText('Days')).toBeNull();
  });
});

describe('validation messages, in words, on the fields', () => {
  it('an empty form says what is missing and sends nothing', async () => {
    const onSubmit = renderForm();
    type('Days', '');
    save();
    expect(errorOf('Name')).toBe('Give the item a name');
    expect(errorOf('Days')).toBe('Enter a number of days');
    expect(errorOf('Template')).toBe('Choose an approved template');
    expect(field('Name').getAttribute('aria-invalid')).toBe('true');
    // Focus lands on the first field in error.
    await waitFor(() => expect(document.activeElement).toBe(field('Name')));
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses offsets the server refuses, and a window that ends before it starts', () => {
    const onSubmit = renderForm();
    type('Name', 'Come back');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    type('Days', '400');
    type('From', '20:00');
    type('Until', '09:00');
    save();
    expect(errorOf('Days')).toBe('At most 366 days');
    expect(errorOf('Until')).toBe('The end must be after the start');
    type('Days', '2.5');
    expect(errorOf('Days')).toBe('Enter a whole number of days (0 or more)');
    choose('Trigger', 'no_reply');
    type('Hours after', '0');
    expect(errorOf('Hours after')).toBe('At least 1 hour after their last message');
    type('Hours after', '9000');
    expect(errorOf('Hours after')).toBe('At most 8784 hours (366 days)');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it("asks for every template variable the template does not map itself, and for fixed words' text", () => {
    renderForm();
    choose('Template', 'win_back:en_GB');
    // {{1}} is mapped by the template; {{2}} is not.
    expect((screen.getByLabelText('Fills {{1}}') as HTMLSelectElement).selectedOptions[0]?.textContent).toBe(
      "The template's own mapping",
    );
    save();
    expect(errorOf('Fills {{2}}')).toBe('Choose what fills {{2}}');
    choose('Fills {{2}}', 'text');
    expect(errorOf('Words for {{2}}')).toBe('Enter the words for {{2}}');
    type('Words for {{2}}', 'A free week');
    expect(screen.queryByText('Enter the words for {{2}}')).toBeNull();
  });

  it('sends a valid item in the API shape: variables by name, offset signed, audience only when ticked', async () => {
    const onSubmit = renderForm();
    type('Name', '  Come back  ');
    type('Days', '2');
    choose('Before or after', 'before');
    choose('Template', 'win_back:en_GB');
    choose('Fills {{2}}', 'text');
    type('Words for {{2}}', 'A free week');
    fireEvent.click(screen.getByLabelText('Former members'));
    choose('Counted as', 'secondary');
    save();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: 'Come back',
      enabled: true,
      template: { name: 'win_back', language: 'en_GB' },
      variables: { '2': { text: 'A free week' } },
      sale_type: 'secondary',
      trigger: { event: 'membership_end', offset_days: -2 },
      audience: { statuses: ['former_member'] },
      send_window: { start: '08:00', end: '21:00' },
    });
  });

  it('sends "until midnight" as 24:00, which a time field cannot show, and reads it back', async () => {
    const onSubmit = renderForm();
    type('Name', 'All evening');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    type('From', '18:00');
    fireEvent.click(screen.getByLabelText('Until midnight'));
    expect(field('Until').disabled).toBe(true);
    expect(sentence()).toContain('18:00-24:00 London time');
    save();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]?.[0].send_window).toEqual({ start: '18:00', end: '24:00' });
    fireEvent.click(screen.getByLabelText('Until midnight'));
    expect(field('Until').disabled).toBe(false);
    expect(field('Until').value).toBe('21:00');
  });

  it("puts the server's 422 on the fields it names, and anything else above the form", async () => {
    const onSubmit = vi.fn(async (_: AutomationInput) => {
      throw new ApiFailure(
        422,
        'validation_failed',
        'trigger.offset_days: Too big: expected number to be <=366; send_window: start must be before end; x: odd',
      );
    });
    renderForm(onSubmit);
    type('Name', 'Come back');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    save();
    await waitFor(() => expect(errorOf('Days')).toBe('Too big: expected number to be <=366'));
    expect(errorOf('Until')).toBe('start must be before end');
    expect(screen.getByRole('alert').textContent).toBe('x: odd');
  });

  it('a template the server will not take is said on the template field', async () => {
    renderForm(
      vi.fn(async () => {
        throw new ApiFailure(
          422,
          'template_not_approved',
          'Template welcome_offer (en_GB) is PAUSED: only an APPROVED template can be enabled',
        );
      }),
    );
    type('Name', 'Come back');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    save();
    await waitFor(() =>
      expect(errorOf('Template')).toBe(
        'Template welcome_offer (en_GB) is PAUSED: only an APPROVED template can be enabled',
      ),
    );
  });
});

describe('the audience by club', () => {
  const club = (id: string, name: string) => ({
    id,
    name,
    timezone: 'Europe/London',
    address: null,
    assignment: 'manual' as const,
    hours: null,
    closed_dates: [],
    away_reply: null,
    numbers: [],
    created_at: '2026-11-01T00:00:00Z',
    updated_at: '2026-11-01T00:00:00Z',
  });

  it('offers the clubs when there are several, and sends the ticked ones', async () => {
    const onSubmit = vi.fn(async (_: AutomationInput) => undefined);
    render(
      <AutomationForm
        initial={emptyForm()}
        templates={TEMPLATES}
        clubs={[club('clb_1', 'Central'), club('clb_2', 'Leeds Riverside')]}
        timeZone="Europe/London"
        submitLabel="Create item"
        onSubmit={onSubmit}
      />,
    );
    type('Name', 'Leeds welcome');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    fireEvent.click(screen.getByLabelText('Leeds Riverside'));
    save();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ audience: { club_ids: ['clb_2'] } });
  });

  it('says nothing of clubs when the company has one', () => {
    render(
      <AutomationForm
        initial={emptyForm()}
        templates={TEMPLATES}
        clubs={[club('clb_1', 'Central')]}
        timeZone="Europe/London"
        submitLabel="Create item"
        onSubmit={vi.fn()}
      />,
    );
    expect(screen.queryByText('Clubs')).toBeNull();
  });
});

describe('the stage changed trigger', () => {
  it('asks for the stage, reads it back by name, and sends its id', async () => {
    const onSubmit = vi.fn(async (_: AutomationInput) => undefined);
    render(
      <AutomationForm
        initial={emptyForm()}
        templates={TEMPLATES}
        stages={[
          { id: 'stg_1', name: 'Enquiry', position: 0, outcome: 'open' },
          { id: 'stg_2', name: 'Tour booked', position: 1, outcome: 'open' },
        ]}
        timeZone="Europe/London"
        submitLabel="Create item"
        onSubmit={onSubmit}
      />,
    );
    type('Name', 'Tour reminder');
    choose('Trigger', 'stage_changed');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    type('Hours after', '2');
    save();
    expect(errorOf('Stage')).toBe('Choose the stage');
    choose('Stage', 'stg_2');
    expect(sentence()).toMatch(/^2 hours after a person's stage becomes Tour booked, within/);
    save();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({
      trigger: { event: 'stage_changed', stage_id: 'stg_2', offset_hours: 2 },
    });
  });
});

describe('an audience by stage and label', () => {
  it('ticks stages and labels, reads them back in the sentence, and sends their ids', async () => {
    const onSubmit = vi.fn(async (_: AutomationInput) => undefined);
    render(
      <AutomationForm
        initial={emptyForm()}
        templates={TEMPLATES}
        stages={[
          { id: 'stg_1', name: 'Enquiry', position: 0, outcome: 'open' },
          { id: 'stg_2', name: 'Tour booked', position: 1, outcome: 'open' },
          { id: 'stg_3', name: 'Trial', position: 2, outcome: 'open' },
        ]}
        labels={[
          { id: 'lbl_1', name: 'Price objection', color: 'orange' },
          { id: 'lbl_2', name: 'Student', color: 'blue' },
        ]}
        timeZone="Europe/London"
        submitLabel="Create item"
        onSubmit={onSubmit}
      />,
    );
    type('Name', 'Trial nudge');
    choose('Template', 'welcome_offer:en_GB');
    choose('Fills {{1}}', 'first_name');
    fireEvent.click(screen.getByLabelText('Leads'));
    fireEvent.click(screen.getByLabelText('Trial'));
    fireEvent.click(screen.getByLabelText('Tour booked'));
    fireEvent.click(screen.getByLabelText('Student'));
    expect(sentence()).toMatch(/ to leads in Tour booked or Trial wearing Student$/);
    save();
    await waitFor(() => expect(onSubmit).toHaveBeenCalledOnce());
    expect(onSubmit.mock.calls[0]?.[0].audience).toEqual({
      statuses: ['lead'],
      stage_ids: ['stg_2', 'stg_3'],
      label_ids: ['lbl_2'],
    });
  });
});
