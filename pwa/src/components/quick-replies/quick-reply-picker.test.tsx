import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { QuickReply } from '../../lib/api/settings';
import { Composer } from '../composer/composer';
import { composerMode } from '../composer/composer-mode';
import { matchQuickReplies } from './match-quick-replies';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const inHours = (h: number) => new Date(NOW + h * 3_600_000).toISOString();

const reply = (id: string, shortcut: string, text: string): QuickReply => ({
  id,
  shortcut,
  text,
  attachment: null,
  interactive: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
});

const REPLIES = [
  reply('q1', 'hours', 'We are open 6am to 10pm every day.'),
  reply('q2', 'prices', 'Memberships start at £24.99 a month.'),
  reply('q3', 'pool', 'The pool is open until 9pm; lanes are booked in the app.'),
];

function renderComposer(opts: { windowHours?: number | null; load?: () => Promise<QuickReply[]> } = {}) {
  const windowExpiresAt = opts.windowHours === null ? null : inHours(opts.windowHours ?? 5);
  const load = vi.fn(opts.load ?? (async () => REPLIES));
  const onSend = vi.fn(async () => undefined);
  render(
    <Composer
      mode={composerMode({ whatsappEnabled: true, optedOut: false, windowExpiresAt, now: NOW })}
      windowExpiresAt={windowExpiresAt}
      now={NOW}
      person={{ first_name: 'Sheena' }}
      templates={[]}
      onSend={onSend}
      loadQuickReplies={load}
    />,
  );
  return { load, onSend };
}

const box = () => screen.getByLabelText('Message') as HTMLTextAreaElement;
const type = (value: string) => fireEvent.input(box(), { target: { value } });
const options = () => screen.queryAllByRole('option').map((o) => o.querySelector('strong')?.textContent);

describe('quick replies in the composer', () => {
  it('"/" opens the list, typing filters it, a tap inserts the text, and Send sends it', async () => {
    const { onSend } = renderComposer();
    expect(screen.queryByRole('listbox')).toBeNull();
    type('/');
    await waitFor(() => expect(options()).toEqual(['/hours', '/prices', '/pool']));
    type('/po');
    expect(options()).toEqual(['/pool']);
    type('/pri');
    expect(options()).toEqual(['/prices']);
    fireEvent.click(screen.getByRole('option', { name: /prices/ }));
    expect(box().value).toBe('Memberships start at £24.99 a month.');
    expect(screen.queryByRole('listbox')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onSend).toHaveBeenCalledWith({ text: 'Memberships start at £24.99 a month.' }));
  });

  it('works from the keyboard: arrows move, Enter chooses (and does not send), Escape closes', async () => {
    const { onSend } = renderComposer();
    type('/');
    await screen.findByRole('listbox', { name: 'Quick replies' });
    expect(box().getAttribute('aria-activedescendant')).toBe('quick-reply-q1');
    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    expect(screen.getByRole('option', { selected: true }).textContent).toContain('/prices');
    expect(box().getAttribute('aria-activedescendant')).toBe('quick-reply-q2');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().value).toBe('Memberships start at £24.99 a month.');
    expect(onSend).not.toHaveBeenCalled();

    type('/po');
    await screen.findByRole('listbox');
    fireEvent.keyDown(box(), { key: 'Escape' });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(box().value).toBe('/po');
  });

  it('text that matches no shortcut still finds the reply by its words', async () => {
    renderComposer();
    type('/lanes');
    await waitFor(() => expect(options()).toEqual(['/pool']));
    type('/yoga');
    expect(screen.getByRole('status').textContent).toBe('No quick reply matches “/yoga”.');
  });

  it('says so when the company has none, or when they cannot be loaded', async () => {
    renderComposer({ load: async () => [] });
    type('/');
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('No quick replies yet: a manager can add them in Settings.'),
    );
  });

  it('a load failure is shown in words', async () => {
    renderComposer({
      load: async () => {
        throw new Error('Cannot reach ClubChat: check your connection and try again');
      },
    });
    type('/');
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'Quick replies could not be loaded: Cannot reach ClubChat: check your connection and try again',
      ),
    );
  });

  it('only for free text: outside the 24-hour window there is no text box and no list', () => {
    const { load } = renderComposer({ windowHours: -1 });
    expect(screen.queryByLabelText('Message')).toBeNull();
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it('a "/" later in the message is just text', () => {
    const { load } = renderComposer();
    type('Either/or');
    expect(screen.queryByTestId('quick-reply-picker')).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });
});

describe('matchQuickReplies', () => {
  it('puts shortcuts that start with the query first, then those containing it, then matching text', () => {
    const replies = [
      reply('a', 'welcome-pool', 'Hi!'),
      reply('b', 'pool', 'Open until 9pm'),
      reply('c', 'hours', 'The pool opens at 6'),
      reply('d', 'prices', 'From £24.99'),
    ];
    expect(matchQuickReplies(replies, 'POOL').map((r) => r.id)).toEqual(['b', 'a', 'c']);
    expect(matchQuickReplies(replies, '').map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a quick reply that asks with buttons opens the buttons sheet with it, and Send sends the question', async () => {
    const tour = {
      ...reply('q4', 'tour', 'Book a tour: which day?'),
      interactive: {
        type: 'button' as const,
        body: { text: 'Book a tour: which day?' },
        action: {
          buttons: ['Mon', 'Tue', 'Wed'].map((t) => ({ type: 'reply' as const, reply: { id: t, title: t } })),
        },
      },
    };
    const { onSend } = renderComposer({ load: async () => [...REPLIES, tour] });
    type('/tou');
    fireEvent.click(await screen.findByRole('option', { name: /tour/ }));
    const sheet = await screen.findByRole('dialog', { name: 'Ask with buttons or a list' });
    expect((screen.getByLabelText('Button 3') as HTMLInputElement).value).toBe('Wed');
    // The "/tou" typed to find it is gone from the text box: the question is the message.
    expect(document.querySelector<HTMLTextAreaElement>('.composer-row textarea')?.value).toBe('');
    fireEvent.click(within(sheet).getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(onSend).toHaveBeenCalledOnce());
    expect(onSend).toHaveBeenCalledWith({
      interactive: {
        type: 'button',
        body: { text: 'Book a tour: which day?' },
        action: {
          buttons: ['Mon', 'Tue', 'Wed'].map((t, i) => ({ type: 'reply', reply: { id: `button-${i + 1}`, title: t } })),
        },
      },
    });
  });
});
