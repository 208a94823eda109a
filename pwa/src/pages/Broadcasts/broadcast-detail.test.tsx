import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Broadcast, BroadcastAction, BroadcastPreview } from '../../lib/api/broadcasts';
import { ApiFailure } from '../../lib/api/client';

const calls: string[] = [];
let moved: (action: BroadcastAction) => Promise<Broadcast> = async () => BROADCAST;
let previewAnswer: BroadcastPreview;
vi.mock('../../lib/api/broadcasts', () => ({
  getBroadcast: async () => BROADCAST,
  moveBroadcast: (_id: string, action: BroadcastAction) => {
    calls.push(action);
    return moved(action);
  },
  previewBroadcast: async () => {
    calls.push('preview');
    return previewAnswer;
  },
}));
const { BroadcastDetail } = await import('./broadcast-detail-page');
const { BroadcastCard } = await import('./broadcast-list-page');

const BROADCAST: Broadcast = {
  id: 'brc_1',
  name: 'Open day',
  state: 'draft',
  paused_reason: null,
  template: { name: 'class_reminder', language: 'en_GB' },
  variables: ['first_name'],
  sale_type: 'membership',
  audience: { statuses: ['lead'] },
  start_at: '2030-07-01T08:00:00.000Z',
  send_window: { start: '09:00', end: '20:00' },
  header_media: null,
  created_by: { kind: 'user', id: 'usr_1', name: 'Morgan Manager' },
  started_at: null,
  finished_at: null,
  created_at: '2030-06-01T08:00:00.000Z',
  updated_at: '2030-06-01T08:00:00.000Z',
  report: null,
};

const REPORT = {
  recipients: 6,
  pending: 0,
  sent: 3,
  delivered: 3,
  read: 2,
  replied: 1,
  failed: { '131026': 1 },
  skipped: { opted_out: 1, frequency_cap: 1 },
};

beforeEach(() => {
  calls.length = 0;
  previewAnswer = {
    audience: 5,
    will_send: 3,
    skipped: { opted_out: 1, frequency_cap: 1 },
    cost: { category: 'marketing', messages: 3 },
    frequency_cap: { max: 2, days: 7 },
    people: [
      { person_id: 'per_1', name: 'Ann Lead', skipped: null },
      { person_id: 'per_2', name: 'Bob Out', skipped: 'opted_out' },
    ],
    body: 'Hi Ann, Spin is on',
  };
});

describe('a draft broadcast', () => {
  it('previews: how many, who is skipped and why in words, and the cost by category', async () => {
    render(<BroadcastDetail initial={BROADCAST} timeZone="Europe/London" />);
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const preview = await screen.findByTestId('broadcast-preview');
    expect(preview.textContent).toContain('3 of 5 would get it now');
    expect(screen.getByTestId('broadcast-cost').textContent).toBe('3 marketing messages');
    expect(preview.textContent).toContain('Opted out of WhatsApp messages');
    expect(preview.textContent).toContain('Already had as many marketing messages as the gym allows for the period');
    expect(preview.textContent).toContain('Hi Ann, Spin is on');
  });

  it('starts after a confirm, and then offers pause and cancel, not start', async () => {
    moved = async () => ({ ...BROADCAST, state: 'scheduled' });
    render(<BroadcastDetail initial={BROADCAST} timeZone="Europe/London" />);
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('each person once');
    fireEvent.click(screen.getAllByRole('button', { name: 'Start' }).at(-1) as HTMLElement);
    await waitFor(() => expect(screen.getByTestId('broadcast-state').textContent).toBe('Scheduled'));
    expect(calls).toEqual(['start']);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start' })).toBeNull();
  });

  it("says the server's refusal in words", async () => {
    moved = async () => {
      throw new ApiFailure(409, 'broadcast_state', 'This broadcast is cancelled: it cannot pause now');
    };
    render(<BroadcastDetail initial={{ ...BROADCAST, state: 'running' }} timeZone="Europe/London" />);
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This broadcast is cancelled: it cannot pause now');
  });
});

describe('a finished broadcast', () => {
  it('reports sent, delivered, read and replied, and failed and skipped by reason; no actions', () => {
    render(<BroadcastDetail initial={{ ...BROADCAST, state: 'finished', report: REPORT }} timeZone="Europe/London" />);
    const figures = screen.getByTestId('broadcast-figures');
    expect(Array.from(figures.querySelectorAll('dd')).map((d) => d.textContent)).toEqual(['3', '3', '2', '1']);
    expect(figures.textContent).toContain('Not on WhatsApp or could not receive it (131026)');
    expect(figures.textContent).toContain('Opted out of WhatsApp messages');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('in the list: its state and figures at a glance', () => {
    render(
      <ul>
        <BroadcastCard
          broadcast={{ ...BROADCAST, state: 'finished', finished_at: '2030-07-01T10:00:00.000Z', report: REPORT }}
          timeZone="Europe/London"
        />
      </ul>,
    );
    expect(screen.getByText('Finished')).toBeTruthy();
    expect(screen.getByTestId('broadcast-figures').textContent).toContain(
      '6 people · 0 waiting · 2 skipped · 1 failed',
    );
  });
});
