import { fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { OutboxItem } from '../../lib/outbox/store';
import { OutboxBubble } from './outbox-bubble';

const item = (over: Partial<OutboxItem>): OutboxItem => ({
  key: 'k1',
  companyId: 'com_demo',
  userId: 'usr_1',
  personId: 'per_1',
  message: { text: 'See you at 6' },
  createdAt: '2026-11-26T09:30:00Z',
  triedAt: null,
  state: 'waiting',
  refusal: null,
  ...over,
});

describe('OutboxBubble', () => {
  it('a reply kept on the device says it is waiting for a connection, and offers nothing to discard', () => {
    render(<OutboxBubble item={item({})} onDiscard={() => undefined} />);
    expect(screen.getByText('See you at 6')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Waiting for connection');
    expect(screen.queryByRole('img', { name: 'Sending' })).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('while it goes: "Sending…" with the clock tick', () => {
    render(<OutboxBubble item={item({ state: 'sending' })} onDiscard={() => undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Sending…');
    expect(screen.getByRole('img', { name: 'Sending' })).toBeTruthy();
  });

  it('refused when it went: the reason in words and a Discard action', () => {
    const onDiscard = vi.fn();
    render(
      <OutboxBubble
        item={item({ state: 'refused', refusal: 'They opted out of WhatsApp messages' })}
        onDiscard={onDiscard}
      />,
    );
    expect(screen.getByRole('note').textContent).toBe('Not sent: They opted out of WhatsApp messages');
    expect(screen.getByRole('img', { name: 'Not delivered' })).toBeTruthy();
    expect(screen.queryByText('Waiting for connection')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Discard unsent message: See you at 6/ }));
    expect(onDiscard).toHaveBeenCalledWith('k1');
  });

  it('tried long ago with no answer: says it may not have gone and is not resent by itself, with no tick, and can be discarded', () => {
    const onDiscard = vi.fn();
    render(<OutboxBubble item={item({ state: 'unsure', triedAt: '2026-11-25T09:30:00Z' })} onDiscard={onDiscard} />);
    expect(screen.getByRole('note').textContent).toMatch(/^Maybe not sent: .* not sent again by itself/);
    expect(screen.queryByRole('img')).toBeNull();
    expect(screen.queryByRole('status')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Discard unsent message: See you at 6/ }));
    expect(onDiscard).toHaveBeenCalledWith('k1');
  });

  it('a template waiting to go names the template', () => {
    render(
      <OutboxBubble
        item={item({ message: { template: { name: 'welcome_offer', language: 'en_GB', params: ['Sam'] } } })}
        onDiscard={() => undefined}
      />,
    );
    expect(screen.getByText('Template welcome_offer')).toBeTruthy();
  });
});
