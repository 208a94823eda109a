// The lead-source picker: any source, from ads, or one ad of the ads report's; an ad chosen before stays offered
// even when the report no longer lists it; in a form it carries a visible label.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdReport } from '../../lib/api/ads';
import { logInAs } from '../../pages/Settings/test-me';
import { adChoiceOf, sourceAudienceOf } from './ad-choice';

const adsReport = vi.fn<() => Promise<AdReport>>();
vi.mock('../../lib/api/ads', () => ({ adsReport: () => adsReport() }));
const { AdFilter } = await import('./ad-filter');

const row = (source_id: string, headline: string | null) => ({
  source_id,
  headline,
  source_url: null,
  source_type: 'ad',
  leads: 1,
  replies: 0,
  joined: 0,
  sample: null,
});

beforeEach(() => {
  adsReport.mockReset().mockResolvedValue({
    from: '',
    to: '',
    collection: [row('ad_spring', 'Spring offer'), row('ad_summer', null)],
    totals: { leads: 2, replies: 0, joined: 0 },
  });
});

describe('the lead-source picker', () => {
  it('offers any source, from ads and each ad, and says which was picked', async () => {
    logInAs('manager');
    const onChange = vi.fn();
    render(<AdFilter label="Lead source" value={{}} onChange={onChange} />);
    const select = screen.getByLabelText('Lead source') as HTMLSelectElement;
    await screen.findByText('Ad: Spring offer');
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Any source',
      'From ads',
      'Ad: Spring offer',
      'Ad: ad_summer',
    ]);
    fireEvent.change(select, { target: { value: 'ad:ad_spring' } });
    expect(onChange).toHaveBeenLastCalledWith({ ad: 'ad_spring' });
    fireEvent.change(select, { target: { value: 'any' } });
    expect(onChange).toHaveBeenLastCalledWith({ source: 'ad' });
    fireEvent.change(select, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith({});
  });

  it('keeps an ad chosen before that the report no longer lists; without ads reports, only "From ads"', async () => {
    logInAs('manager');
    const { unmount } = render(<AdFilter value={{ ad: 'ad_old' }} onChange={() => undefined} />);
    await screen.findByText('Ad: Spring offer');
    expect((screen.getByTestId('ad-filter') as HTMLSelectElement).value).toBe('ad:ad_old');
    unmount();
    adsReport.mockClear();
    logInAs('staff');
    render(<AdFilter value={{}} onChange={() => undefined} />);
    await waitFor(() =>
      expect([...(screen.getByTestId('ad-filter') as HTMLSelectElement).options].map((o) => o.value)).toEqual([
        '',
        'any',
      ]),
    );
    expect(adsReport).not.toHaveBeenCalled();
  });

  it('reads and writes the audience fields both ways', () => {
    expect(adChoiceOf({ ad_ids: ['a', 'b'], source: 'ad' })).toEqual({ ad: 'a' });
    expect(adChoiceOf({ source: 'ad' })).toEqual({ source: 'ad' });
    expect(adChoiceOf(null)).toEqual({});
    expect(sourceAudienceOf({ ad: 'a', source: 'ad' })).toEqual({ ad_ids: ['a'] });
    expect(sourceAudienceOf({})).toEqual({});
  });
});
