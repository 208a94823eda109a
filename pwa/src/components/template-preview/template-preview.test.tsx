import { render, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { TemplateComponent } from '#common/templates/components';
import { TemplatePreview } from './template-preview';

const RENEWAL: TemplateComponent[] = [
  { type: 'HEADER', format: 'TEXT', text: 'Renewal for {{1}}' },
  { type: 'BODY', text: 'Hi {{1}}, your membership ends on {{2}}. Reply to renew.' },
  { type: 'FOOTER', text: 'Demo Gym' },
  {
    type: 'BUTTONS',
    buttons: [
      { type: 'QUICK_REPLY', text: 'Renew now' },
      { type: 'URL', text: 'See prices', url: 'https://demo.gym/prices' },
      { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+447400000000' },
    ],
  },
];

const bubble = () => screen.getByTestId('template-bubble');

describe('TemplatePreview', () => {
  it('shows the header, the body with the sample values, the footer and every button, like a WhatsApp bubble', () => {
    render(
      <TemplatePreview
        components={RENEWAL}
        parameterFormat="POSITIONAL"
        values={{ '1': 'Sheena', '2': '30 September 2026', 'header.1': 'Sheena Nelson' }}
      />,
    );
    const preview = screen.getByRole('figure', { name: 'Preview' });
    expect(within(preview).getByText('Renewal for Sheena Nelson')).toBeTruthy();
    expect(bubble().textContent).toContain('Hi Sheena, your membership ends on 30 September 2026. Reply to renew.');
    expect(within(preview).getByText('Demo Gym')).toBeTruthy();
    const buttons = within(preview).getByRole('list', { name: 'Buttons' });
    expect(
      within(buttons)
        .getAllByRole('listitem')
        .map((li) => li.textContent?.trim()),
    ).toEqual(['↩ Renew now', '↗ See prices', '✆ Call us']);
  });

  it("keeps a variable's placeholder visible until it has a sample (a blank sample counts as none)", () => {
    render(<TemplatePreview components={RENEWAL} parameterFormat="POSITIONAL" values={{ '1': 'Sheena', '2': '  ' }} />);
    expect(bubble().textContent).toContain('Hi Sheena, your membership ends on {{2}}.');
    // The header's {{1}} is its own variable (header.1), not the body's.
    expect(bubble().textContent).toContain('Renewal for {{1}}');
  });

  it('fills named variables by name', () => {
    render(
      <TemplatePreview
        components={[{ type: 'BODY', text: 'Hi {{first_name}}, see you at {{class_time}}!' }]}
        parameterFormat="NAMED"
        values={{ first_name: 'Tom', class_time: '7pm' }}
      />,
    );
    expect(bubble().textContent).toBe('Hi Tom, see you at 7pm!');
  });

  it('says where the body will appear while it is still empty, and shows no buttons list without buttons', () => {
    render(<TemplatePreview components={[{ type: 'BODY', text: '' }]} parameterFormat="POSITIONAL" values={{}} />);
    expect(bubble().textContent).toBe('The body appears here');
    expect(screen.queryByRole('list', { name: 'Buttons' })).toBeNull();
  });
});
