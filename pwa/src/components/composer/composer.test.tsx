import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { Template } from '../template-picker/templates';
import { Composer, type ComposerProps } from './composer';
import { type ComposerFacts, composerMode } from './composer-mode';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const inHours = (h: number) => new Date(NOW + h * 3_600_000).toISOString();

describe('composerMode', () => {
  const base: ComposerFacts = { whatsappEnabled: true, optedOut: false, windowExpiresAt: inHours(5.2), now: NOW };
  it.each([
    ['window open', base, 'free_text'],
    ['window closed', { ...base, windowExpiresAt: inHours(-1) }, 'template'],
    ['never wrote', { ...base, windowExpiresAt: null }, 'template'],
    ['window ends exactly now', { ...base, windowExpiresAt: new Date(NOW).toISOString() }, 'template'],
    ['opted out, window open', { ...base, optedOut: true }, 'opted_out'],
    ['opted out, window closed', { ...base, optedOut: true, windowExpiresAt: null }, 'opted_out'],
    ['erased on request (opted out by it)', { ...base, optedOut: true, erased: true }, 'erased'],
    ['erased, then consent given again', { ...base, erased: true }, 'free_text'],
    ['WhatsApp off and erased', { ...base, whatsappEnabled: false, optedOut: true, erased: true }, 'disabled'],
    ['WhatsApp off', { ...base, whatsappEnabled: false }, 'disabled'],
    ['WhatsApp off and opted out', { ...base, whatsappEnabled: false, optedOut: true }, 'disabled'],
  ] as const)('%s -> %s', (_, facts, kind) => {
    expect(composerMode(facts).kind).toBe(kind);
  });

  it('tells how long the window has left', () => {
    const mode = composerMode(base);
    expect(mode.kind === 'free_text' && mode.leftMs).toBe(5.2 * 3_600_000);
  });
});

const TEMPLATES: Template[] = [
  {
    id: 't1',
    name: 'welcome_offer',
    language: 'en_GB',
    category: 'UTILITY',
    status: 'APPROVED',
    body: 'Hi {{1}}, welcome to Demo Gym!',
  },
  {
    id: 't2',
    name: 'class_reminder',
    language: 'en_GB',
    category: 'MARKETING',
    status: 'APPROVED',
    body: 'Hi {{1}}, your {{2}} class starts soon.',
  },
  { id: 't3', name: 'draft_offer', language: 'en_GB', category: 'MARKETING', status: 'PENDING', body: 'Hi {{1}}' },
];

function renderComposer(facts: Partial<ComposerFacts>, extra: Partial<ComposerProps> = {}) {
  const f: ComposerFacts = {
    whatsappEnabled: true,
    optedOut: false,
    windowExpiresAt: inHours(5.2),
    now: NOW,
    ...facts,
  };
  const onSend = vi.fn(async () => undefined);
  const view = render(
    <Composer
      mode={composerMode(f)}
      windowExpiresAt={f.windowExpiresAt}
      now={NOW}
      person={{ first_name: 'Sheena', last_name: 'Lead' }}
      templates={TEMPLATES}
      onSend={onSend}
      {...extra}
    />,
  );
  return { ...view, onSend };
}

describe('Composer', () => {
  it('window open: free text with the time left, and Send sends the text', async () => {
    const { onSend } = renderComposer({});
    expect(screen.getByText('5h 12m left')).toBeTruthy();
    expect(screen.queryByLabelText('Template')).toBeNull();
    fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'See you at 6' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onSend).toHaveBeenCalledWith({ text: 'See you at 6' }));
  });

  it('window closed: no text box, only approved templates, first variable from the person, live preview', async () => {
    const { onSend } = renderComposer({ windowExpiresAt: inHours(-2) });
    expect(screen.queryByLabelText('Message')).toBeNull();
    const select = screen.getByLabelText('Template') as HTMLSelectElement;
    const options = [...select.options].map((o) => o.textContent);
    expect(options).toEqual(['Choose an approved template…', 'welcome_offer (en_GB)', 'class_reminder (en_GB)']);
    fireEvent.change(select, { target: { value: 't2' } });
    expect((screen.getByLabelText('Variable {{1}}') as HTMLInputElement).value).toBe('Sheena');
    const send = screen.getByRole('button', { name: 'Send template' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('Variable {{2}}'), { target: { value: 'Spin' } });
    expect(screen.getByLabelText('Preview').textContent).toBe('Hi Sheena, your Spin class starts soon.');
    fireEvent.click(send);
    await waitFor(() =>
      expect(onSend).toHaveBeenCalledWith({
        template: { name: 'class_reminder', language: 'en_GB', params: ['Sheena', 'Spin'] },
      }),
    );
  });

  it('a photo-header template: keeps its photo, or sends one picked instead, refused in words when wrong', async () => {
    const photo: Template = {
      id: 't9',
      name: 'summer_timetable',
      language: 'en_GB',
      category: 'MARKETING',
      status: 'APPROVED',
      body: 'Our summer timetable is here.',
      variables: [],
      header: { format: 'IMAGE', defaultUrl: '/api/v1/media/111', defaultName: null },
    };
    const uploadHeader = vi.fn(async () => '222');
    const { onSend } = renderComposer({ windowExpiresAt: inHours(-2) }, { templates: [photo], uploadHeader });
    fireEvent.change(screen.getByLabelText('Template'), { target: { value: 't9' } });
    expect(screen.getByTestId('header-file-choice').textContent).toBe("Sending the template's photo.");
    const send = screen.getByRole('button', { name: 'Send template' }) as HTMLButtonElement;
    fireEvent.click(send);
    await waitFor(() =>
      expect(onSend).toHaveBeenLastCalledWith({
        template: { name: 'summer_timetable', language: 'en_GB', params: [] },
      }),
    );
    const picker = screen.getByLabelText('Choose a different photo');
    fireEvent.change(picker, { target: { files: [new File(['x'], 'clip.mp4', { type: 'video/mp4' })] } });
    expect(screen.getByRole('alert').textContent).toBe(
      '"clip.mp4" is a video/mp4 file: a photo header takes JPEG or PNG, up to 5 MB.',
    );
    expect(send.disabled).toBe(true);
    const png = new File([new Uint8Array([1, 2])], 'class.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Choose another photo'), { target: { files: [png] } });
    expect(screen.getByTestId('header-file-choice').textContent).toBe(
      "Sending class.png instead of the template's photo.",
    );
    fireEvent.click(send);
    await waitFor(() =>
      expect(onSend).toHaveBeenLastCalledWith({
        template: { name: 'summer_timetable', language: 'en_GB', params: [], header_media: { id: '222' } },
      }),
    );
    expect(uploadHeader).toHaveBeenCalledWith(png);
  });

  it('a person who stopped marketing is offered utility templates only', () => {
    renderComposer({ windowExpiresAt: null }, { person: { first_name: 'Sheena', whatsapp_marketing_stopped: true } });
    const select = screen.getByLabelText('Template') as HTMLSelectElement;
    expect([...select.options].map((o) => o.value)).toEqual(['', 't1']);
  });

  it('opted out: a banner and nothing to send with', () => {
    renderComposer({ optedOut: true });
    expect(screen.getByRole('status').textContent).toContain('Sheena opted out of WhatsApp');
    expect(screen.queryByLabelText('Message')).toBeNull();
    expect(screen.queryByLabelText('Template')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('erased on request: says so, and nothing to send with', () => {
    renderComposer({ optedOut: true, erased: true });
    expect(screen.getByRole('status').textContent).toContain("This person's data was erased at their request");
    expect(screen.queryByLabelText('Message')).toBeNull();
    expect(screen.queryByLabelText('Template')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('WhatsApp off for the company: no composer at all', () => {
    const { container } = renderComposer({ whatsappEnabled: false });
    expect(container.innerHTML).toBe('');
  });

  it('a refusal shows its reason in words and keeps the text', async () => {
    renderComposer(
      {},
      {
        onSend: async () => {
          throw new Error('More than 24 hours since they last wrote: send a template instead');
        },
      },
    );
    fireEvent.input(screen.getByLabelText('Message'), { target: { value: 'Hello?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Not sent: More than 24 hours since they last wrote: send a template instead',
      ),
    );
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toBe('Hello?');
  });

  it('templates that cannot be loaded say so', () => {
    renderComposer({ windowExpiresAt: null }, { templates: null, templatesError: 'not found' });
    expect(screen.getByRole('alert').textContent).toContain('Templates could not be loaded');
  });
});
