import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { InboxMessage } from '../../lib/api/inbox';
import { Bubble, PendingBubble } from './bubble';

function message(over: Partial<InboxMessage>): InboxMessage {
  return {
    id: 'his_1',
    person_id: 'per_1',
    type: 'whatsapp_sent',
    occurred_at: '2026-11-25T10:00:00Z',
    wamid: 'wamid.1',
    direction: 'outbound',
    message_type: 'text',
    body: 'Hello',
    template: null,
    content: null,
    context_wamid: null,
    referral: null,
    sale_type: 'membership',
    status: 'sent',
    status_at: null,
    error: null,
    actor: null,
    interactive: null,
    choice: null,
    media: null,
    quoted: null,
    reactions: [],
    ...over,
  } as InboxMessage;
}

describe('Bubble', () => {
  it('a message from before the person was erased says why it is empty; a later one shows its text', () => {
    const erasedAt = '2026-11-26T09:00:00Z';
    render(
      <ul>
        <Bubble m={message({ id: 'his_old', body: null })} highlighted={false} erasedAt={erasedAt} />
        <Bubble
          m={message({ id: 'his_new', body: 'Hi again', occurred_at: '2026-11-27T09:00:00Z' })}
          highlighted={false}
          erasedAt={erasedAt}
        />
      </ul>,
    );
    const [old, later] = screen.getAllByTestId('bubble');
    expect(old?.textContent).toContain('Erased at their request');
    expect(old?.textContent).not.toContain('[text]');
    expect(later?.textContent).toContain('Hi again');
  });

  it('an away reply or automated item says it was automatic; a staff member’s message does not', () => {
    render(
      <ul>
        <Bubble
          m={message({ id: 'his_away', actor: { kind: 'system', id: 'away_reply', name: 'Away reply' } })}
          highlighted={false}
        />
        <Bubble
          m={message({ id: 'his_sam', actor: { kind: 'user', id: 'usr_1', name: 'Sam Staff' } })}
          highlighted={false}
        />
      </ul>,
    );
    const [away, sam] = screen.getAllByTestId('bubble');
    expect(away?.textContent).toContain('Away reply');
    expect(sam?.textContent).not.toContain('Sam Staff');
  });

  it.each([
    ['sent', 'Sent'],
    ['delivered', 'Delivered'],
    ['read', 'Read'],
  ])('an outbound %s message shows its ticks', (status, label) => {
    render(<Bubble m={message({ status })} highlighted={false} />);
    expect(screen.getByRole('img', { name: label })).toBeTruthy();
  });

  it("a failed message says why, in words, from Meta's code", () => {
    render(
      <Bubble
        m={message({ status: 'failed', error: { code: 131026, title: 'Undeliverable', message: null, details: null } })}
        highlighted={false}
      />,
    );
    expect(screen.getByRole('img', { name: 'Not delivered' })).toBeTruthy();
    expect(screen.getByRole('note').textContent).toContain('the number may not be on WhatsApp');
  });

  it('inbound media: an image through the proxy with its caption; other files as labelled downloads', () => {
    const { unmount } = render(
      <Bubble
        m={message({
          direction: 'inbound',
          type: 'whatsapp_received',
          message_type: 'image',
          body: null,
          media: {
            id: 'm1',
            mime_type: 'image/jpeg',
            filename: null,
            caption: 'My card',
            size: null,
            url: '/api/v1/media/m1',
          },
        })}
        highlighted={false}
      />,
    );
    const img = screen.getByRole('img', { name: 'My card' }) as HTMLImageElement;
    expect(img.getAttribute('src')).toBe('/api/v1/media/m1');
    expect(screen.getByText('My card', { selector: 'p' })).toBeTruthy();
    unmount();
    render(
      <Bubble
        m={message({
          direction: 'inbound',
          message_type: 'document',
          body: null,
          media: {
            id: 'm2',
            mime_type: 'application/pdf',
            filename: 'form.pdf',
            caption: null,
            size: null,
            url: '/api/v1/media/m2',
          },
        })}
        highlighted={false}
      />,
    );
    const link = screen.getByRole('link', { name: /Download form.pdf/ });
    expect(link.getAttribute('href')).toBe('/api/v1/media/m2');
  });

  it('sent media: a photo once with its caption; a document with its name and size; a link stays a link', () => {
    const { unmount } = render(
      <Bubble
        m={message({
          direction: 'outbound',
          message_type: 'image',
          body: 'Our timetable',
          media: {
            id: 'm3',
            mime_type: 'image/jpeg',
            filename: null,
            caption: 'Our timetable',
            size: 120_000,
            url: '/api/v1/media/m3',
          },
        })}
        highlighted={false}
      />,
    );
    expect(screen.getByRole('img', { name: 'Our timetable' }).getAttribute('src')).toBe('/api/v1/media/m3');
    expect(screen.getAllByText('Our timetable')).toHaveLength(1);
    unmount();
    const second = render(
      <Bubble
        m={message({
          direction: 'outbound',
          message_type: 'document',
          body: null,
          media: {
            id: 'm4',
            mime_type: 'application/pdf',
            filename: 'Prices.pdf',
            caption: null,
            size: 1_250_000,
            url: '/api/v1/media/m4',
          },
        })}
        highlighted={false}
      />,
    );
    expect(screen.getByRole('link', { name: /Download Prices.pdf · 1.3 MB/ }).getAttribute('href')).toBe(
      '/api/v1/media/m4',
    );
    second.unmount();
    const third = render(
      <Bubble
        m={message({
          direction: 'outbound',
          message_type: 'image',
          body: null,
          media: {
            id: null,
            mime_type: null,
            filename: null,
            caption: null,
            size: null,
            url: 'https://gym.example/a.png',
          },
        })}
        highlighted={false}
      />,
    );
    expect(third.container.querySelector('img')).toBeNull();
    expect(screen.getByRole('link', { name: /Open image/ }).getAttribute('href')).toBe('https://gym.example/a.png');
  });

  it('quoted replies and reactions', () => {
    render(
      <Bubble
        m={message({
          direction: 'inbound',
          body: 'Yes please',
          quoted: { id: 'his_0', wamid: 'wamid.0', direction: 'outbound', message_type: 'text', body: 'Want a pass?' },
          reactions: [{ emoji: '👍', direction: 'inbound', occurred_at: '2026-11-25T10:01:00Z' }],
        })}
        highlighted={false}
      />,
    );
    expect(screen.getByText('Want a pass?')).toBeTruthy();
    expect(screen.getByText('👍')).toBeTruthy();
  });

  it('a send in flight shows as pending', () => {
    render(<PendingBubble p={{ key: 'k', text: 'On my way' }} />);
    expect(screen.getByRole('img', { name: 'Sending' })).toBeTruthy();
  });

  it('draws a sent question as the person sees it: header, text, footer, and its reply buttons', () => {
    render(
      <ul>
        <Bubble
          m={message({
            message_type: 'interactive',
            body: 'Which day suits you for a tour?',
            interactive: {
              type: 'button',
              header: { type: 'text', text: 'Tours' },
              body: { text: 'Which day suits you for a tour?' },
              footer: { text: 'Leeds Riverside' },
              action: {
                buttons: ['Mon', 'Tue'].map((t) => ({ type: 'reply' as const, reply: { id: t, title: t } })),
              },
            },
          })}
          highlighted={false}
        />
      </ul>,
    );
    const buttons = screen.getByRole('list', { name: 'Reply buttons' });
    expect(buttons.textContent).toBe('↩ Mon↩ Tue');
    const bubble = screen.getByTestId('bubble');
    expect(bubble.textContent).toContain('Tours');
    expect(bubble.textContent).toContain('Leeds Riverside');
  });

  it('draws a list as its button with the rows it offers, and a link button as a link', () => {
    render(
      <ul>
        <Bubble
          m={message({
            id: 'his_list',
            message_type: 'interactive',
            body: 'Pick a class',
            interactive: {
              type: 'list',
              body: { text: 'Pick a class' },
              action: {
                button: 'See classes',
                sections: [{ rows: [{ id: 'r1', title: 'Spin', description: 'Studio 2' }] }],
              },
            },
          })}
          highlighted={false}
        />
        <Bubble
          m={message({
            id: 'his_link',
            message_type: 'interactive',
            body: 'Our timetable',
            interactive: {
              type: 'cta_url',
              body: { text: 'Our timetable' },
              action: { name: 'cta_url', parameters: { display_text: 'See timetable', url: 'https://gym.example/t' } },
            },
          })}
          highlighted={false}
        />
      </ul>,
    );
    expect(screen.getByText('See classes')).toBeTruthy();
    expect(screen.getByText('Spin')).toBeTruthy();
    const link = screen.getByRole('link', { name: '↗ See timetable' });
    expect(link.getAttribute('href')).toBe('https://gym.example/t');
  });

  it('shows the person’s answer as the title they chose, under the question it answers', () => {
    render(
      <ul>
        <Bubble
          m={message({
            direction: 'inbound',
            type: 'whatsapp_received',
            message_type: 'interactive',
            body: 'Spin',
            choice: { kind: 'list', id: 'r1', title: 'Spin', description: 'Studio 2' },
            quoted: {
              id: 'his_list',
              wamid: 'wamid.q',
              direction: 'outbound',
              message_type: 'interactive',
              body: 'Pick a class',
            },
          })}
          highlighted={false}
        />
      </ul>,
    );
    const bubble = screen.getByTestId('bubble');
    expect(bubble.querySelector('blockquote')?.textContent).toContain('Pick a class');
    expect(bubble.textContent).toContain('Chose from the list');
    expect(bubble.textContent).toContain('Spin');
    expect(bubble.textContent).toContain('Studio 2');
  });
});
