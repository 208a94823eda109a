import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { Interactive } from '#common/interactive/interactive-rules';
import { builderProblems, emptyBuilder, fromInteractive, toInteractive } from './builder-state';
import { InteractiveBuilder } from './interactive-builder';

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('builder rules', () => {
  it('a fresh form names what is missing; filled in, it is what Meta takes', () => {
    const s = emptyBuilder('Which day?');
    expect(builderProblems(s).get('action.buttons[0].reply.title')).toBe('a button title cannot be empty');
    const filled = { ...s, buttons: ['Mon', 'Tue'] };
    expect(builderProblems(filled).size).toBe(0);
    expect(toInteractive(filled)).toEqual({
      type: 'button',
      body: { text: 'Which day?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'button-1', title: 'Mon' } },
          { type: 'reply', reply: { id: 'button-2', title: 'Tue' } },
        ],
      },
    });
  });

  it('a saved question comes back into the form unchanged', () => {
    const list: Interactive = {
      type: 'list',
      header: { type: 'text', text: 'Classes' },
      body: { text: 'Pick one' },
      action: {
        button: 'See classes',
        sections: [
          { title: 'Mon', rows: [{ id: 'row-1-1', title: 'Spin', description: 'Studio 2' }] },
          { title: 'Tue', rows: [{ id: 'row-2-1', title: 'Yoga' }] },
        ],
      },
    };
    expect(toInteractive(fromInteractive(list))).toEqual(list);
  });
});

describe('InteractiveBuilder', () => {
  it('says what is wrong under the field as it is typed, and sends nothing until it is right', async () => {
    const onSend = vi.fn(async () => {});
    render(<InteractiveBuilder initialBody="Which day suits you?" onSend={onSend} onClose={() => {}} />);
    type('Button 1', 'Monday the fourteenth!');
    expect(screen.getByTestId('problem-action.buttons[0].reply.title').textContent).toBe(
      'at most 20 characters (22 given)',
    );
    expect(screen.getByLabelText('Button 1').getAttribute('aria-invalid')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    // Button 2 was never typed in: after a Send that could not go, its problem shows too.
    await waitFor(() => expect(screen.getByTestId('problem-action.buttons[1].reply.title')).toBeTruthy());
    expect(onSend).not.toHaveBeenCalled();
    type('Button 1', 'Mon');
    type('Button 2', 'Mon');
    expect(screen.getByTestId('problem-action.buttons[1].reply.title').textContent).toBe(
      'the button title "Mon" is used twice: each must be different',
    );
    type('Button 2', 'Tue');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onSend).toHaveBeenCalledOnce());
    expect(onSend).toHaveBeenCalledWith({
      type: 'button',
      body: { text: 'Which day suits you?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'button-1', title: 'Mon' } },
          { type: 'reply', reply: { id: 'button-2', title: 'Tue' } },
        ],
      },
    });
  });

  it('builds a list: rows with descriptions, counted against Meta’s 10', async () => {
    const onSend = vi.fn(async () => {});
    const onClose = vi.fn();
    render(<InteractiveBuilder onSend={onSend} onClose={onClose} />);
    fireEvent.click(screen.getByLabelText('List'));
    type('Message', 'Pick a class to book');
    type('Row 1', 'Spin 18:00');
    type('Row 1 description (optional)', 'Studio 2, 45 minutes');
    type('Row 2', 'Yoga 19:00');
    expect(screen.getByText('2 of 10 rows')).toBeTruthy();
    type('Row 2 description (optional)', 'x'.repeat(73));
    expect(screen.getByTestId('problem-action.sections[0].rows[1].description').textContent).toBe(
      'at most 72 characters (73 given)',
    );
    type('Row 2 description (optional)', '');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(onSend).toHaveBeenCalledWith({
      type: 'list',
      body: { text: 'Pick a class to book' },
      action: {
        button: 'Choose',
        sections: [
          {
            rows: [
              { id: 'row-1-1', title: 'Spin 18:00', description: 'Studio 2, 45 minutes' },
              { id: 'row-1-2', title: 'Yoga 19:00' },
            ],
          },
        ],
      },
    });
  });

  it('a link must be https; a refusal from the server stays in the sheet', async () => {
    const onSend = vi.fn(async () => {
      throw new Error('More than 24 hours since the person last wrote');
    });
    const onClose = vi.fn();
    render(<InteractiveBuilder initialBody="Our timetable" onSend={onSend} onClose={onClose} />);
    fireEvent.click(screen.getByLabelText('Link'));
    type('Button text', 'See timetable');
    type('Link (https://…)', 'http://gym.example/timetable');
    expect(screen.getByTestId('problem-action.parameters.url').textContent).toBe(
      'a link must be a full https:// address',
    );
    type('Link (https://…)', 'https://gym.example/timetable');
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Not sent: More than 24 hours since the person last wrote',
    );
    expect(onClose).not.toHaveBeenCalled();
  });
});
