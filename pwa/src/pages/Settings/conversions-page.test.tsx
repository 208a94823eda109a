import { fireEvent, render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConversionEvent, ConversionsSettings } from '../../lib/api/settings';
import * as api from '../../lib/api/settings';
import { ConversionsPage } from './conversions-page';

vi.mock('../../lib/api/settings', () => ({
  getConversions: vi.fn(),
  setConversions: vi.fn(),
  listConversionEvents: vi.fn(),
}));

const event = (n: number, fields: Partial<ConversionEvent> = {}): ConversionEvent => ({
  id: `cev_${n}`,
  event: 'LeadSubmitted',
  person_id: `per_${n}`,
  person_name: `Lead ${n}`,
  dataset_id: '1234567890123456',
  state: 'sent',
  attempts: 1,
  error: null,
  event_time: '2026-11-30T10:00:00Z',
  sent_at: '2026-11-30T10:00:05Z',
  created_at: '2026-11-30T10:00:00Z',
  ...fields,
});

let saved: ConversionsSettings;

beforeEach(() => {
  saved = { dataset_id: null, currency: 'USD', purchase_value: 0 };
  vi.mocked(api.getConversions).mockImplementation(async () => ({ ...saved }));
  vi.mocked(api.setConversions).mockReset();
  vi.mocked(api.listConversionEvents).mockReset();
  vi.mocked(api.listConversionEvents).mockResolvedValue({ collection: [], pagination: { next_cursor: null } });
  vi.mocked(api.setConversions).mockImplementation(async (body) => {
    saved = {
      dataset_id: body.dataset_id,
      currency: body.currency ?? saved.currency,
      purchase_value: body.purchase_value ?? saved.purchase_value,
    };
    return { ...saved };
  });
});

async function open() {
  render(<ConversionsPage />);
  await screen.findByTestId('conversions-state');
}

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe('the Meta Conversions API screen', () => {
  it('explains the events, sets a dataset with what a Purchase is worth, then stops reporting', async () => {
    await open();
    expect(document.body.textContent).toContain('LeadSubmitted');
    expect(document.body.textContent).toContain('Purchase');
    expect(screen.getByTestId('conversions-state').textContent).toBe('Not reporting: no dataset set.');
    type('Dataset id', ' 1234567890123456 ');
    type('Currency', 'gbp');
    type('A Purchase is worth', '49.5');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      (await screen.findByText('Saved. Ad leads’ events now go to dataset 1234567890123456.')).getAttribute('role'),
    ).toBe('status');
    expect(api.setConversions).toHaveBeenCalledWith({
      dataset_id: '1234567890123456',
      currency: 'GBP',
      purchase_value: 49.5,
    });
    expect(screen.getByTestId('conversions-state').textContent).toContain('Reporting to dataset 1234567890123456');

    fireEvent.click(screen.getByRole('button', { name: 'Stop reporting' }));
    expect((await screen.findByText('Cleared. No events are reported to Meta.')).getAttribute('role')).toBe('status');
    expect(api.setConversions).toHaveBeenLastCalledWith({ dataset_id: null });
    expect((screen.getByLabelText('Dataset id') as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('button', { name: 'Stop reporting' })).toBeNull();
  });

  it('refuses a dataset id that is not digits, and a bad currency, in words, sending nothing', async () => {
    await open();
    type('Dataset id', 'act_123');
    type('Currency', 'pounds');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Digits only, as Meta’s Events Manager shows the dataset id')).toBeTruthy();
    expect(screen.getByText('A three-letter currency code such as GBP')).toBeTruthy();
    expect(api.setConversions).not.toHaveBeenCalled();
  });

  it('lists recent events with where each stands, and older ones a page at a time', async () => {
    vi.mocked(api.listConversionEvents).mockImplementation(async (cursor) =>
      cursor === 'page2'
        ? { collection: [event(3, { event: 'Purchase' })], pagination: { next_cursor: null } }
        : {
            collection: [
              event(1, { state: 'failed', error: { code: 100, title: 'Invalid parameter' } }),
              event(2, { state: 'pending', attempts: 2, error: { code: 2, title: 'Service unavailable' } }),
            ],
            pagination: { next_cursor: 'page2' },
          },
    );
    await open();
    await screen.findAllByTestId('conversion-event');
    const rows = () => screen.getAllByTestId('conversion-event').map((li) => li.textContent);
    expect(rows()[0]).toContain('Lead 1');
    expect(rows()[0]).toContain('Not reported: Invalid parameter (100)');
    expect(rows()[1]).toContain('Will retry: Service unavailable (2)');
    fireEvent.click(screen.getByRole('button', { name: 'Show older events' }));
    await screen.findByText('Lead 3');
    expect(rows()[2]).toContain('Joined (Purchase)');
    expect(rows()[2]).toContain('Reported');
    expect(api.listConversionEvents).toHaveBeenLastCalledWith('page2');
    expect(screen.queryByRole('button', { name: 'Show older events' })).toBeNull();
  });
});
