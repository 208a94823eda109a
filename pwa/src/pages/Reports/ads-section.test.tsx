// Reports > Ads: the Reports range (the gym's whole days) becomes the ads report's period, each ad links to the
// inbox filtered by it, the tab is there for managers and admins only, and /ads opens it.
import { render, screen, waitFor } from '@testing-library/preact';
import { LocationProvider, Route, Router } from 'preact-iso';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdReport } from '../../lib/api/ads';
import { logInAs } from '../Settings/test-me';

const adsReport = vi.fn<(period: { from?: string; to?: string; club?: string }) => Promise<AdReport>>();
vi.mock('../../lib/api/ads', async (real) => ({
  ...(await real<typeof import('../../lib/api/ads')>()),
  adsReport: (period: { from?: string; to?: string; club?: string }) => adsReport(period),
}));
vi.mock('../../lib/api/reports', () => ({
  getSpeedToLead: async () => new Promise(() => undefined),
  getConversationsReport: async () => new Promise(() => undefined),
  getFunnel: async () => new Promise(() => undefined),
  getTemplatesReport: async () => new Promise(() => undefined),
}));
vi.mock('../../lib/api/clubs', async () => ({ loadClubs: async () => [] }));
vi.mock('../../components/owner/owner-control', () => ({ useOwners: () => [] }));

const { adsPeriod } = await import('./ads-section');
const { ReportsPage } = await import('./reports-page');
const { AdsPage } = await import('../Ads/ads-page');

const REPORT: AdReport = {
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-12-01T00:00:00.000Z',
  collection: [
    {
      source_id: 'ad_spring',
      headline: 'Spring offer',
      source_url: null,
      source_type: 'ad',
      leads: 3,
      replies: 2,
      joined: 1,
      sample: null,
    },
  ],
  totals: { leads: 3, replies: 2, joined: 1 },
};

beforeEach(() => {
  adsReport.mockReset().mockResolvedValue(REPORT);
});

function openAt(url: string) {
  history.replaceState(null, '', url);
  return render(
    <LocationProvider>
      <Router>
        <Route path="/reports" component={ReportsPage} />
        <Route path="/ads" component={AdsPage} />
        <Route default component={() => <p>Inbox</p>} />
      </Router>
    </LocationProvider>,
  );
}

describe('the ads period', () => {
  it("is the range's whole days on the gym's clock, across a clock change", () => {
    // London: summer time until 26 Oct 2025; the range's last day counts whole.
    expect(adsPeriod({ from: '2025-10-20', to: '2025-10-30' }, 'Europe/London')).toEqual({
      from: '2025-10-19T23:00:00.000Z',
      to: '2025-10-31T00:00:00.000Z',
    });
    expect(adsPeriod({ from: '2025-10-20', to: '2025-10-20', club: 'clb_1' }, 'UTC')).toEqual({
      from: '2025-10-20T00:00:00.000Z',
      to: '2025-10-21T00:00:00.000Z',
      club: 'clb_1',
    });
  });
});

describe('Reports > Ads', () => {
  it('counts per ad for the range, each ad opening the inbox filtered by it', async () => {
    logInAs('manager');
    openAt('/reports?tab=ads');
    const link = await screen.findByTestId('ad-inbox-link');
    expect(link.textContent).toBe('Spring offer: open its chats');
    expect(link.getAttribute('href')).toBe('/?ad=ad_spring');
    expect(screen.getByRole('tab', { name: 'Ads' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByTestId('ad-row').textContent).toContain('321');
    expect(screen.getByTestId('ads-totals').textContent).toContain('3leads from ads');
    const period = adsReport.mock.calls[0]?.[0];
    expect(period?.from).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The default range: the last 30 days, today included.
    const days = (Date.parse(period?.to ?? '') - Date.parse(period?.from ?? '')) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('is not offered to staff, and /ads opens it for a manager', async () => {
    logInAs('staff');
    const staffView = openAt('/reports?tab=ads');
    await screen.findByRole('tab', { name: 'Speed' });
    expect(screen.queryByRole('tab', { name: 'Ads' })).toBeNull();
    expect(screen.getByRole('tab', { name: 'Speed' }).getAttribute('aria-selected')).toBe('true');
    staffView.unmount();

    logInAs('manager');
    openAt('/ads');
    await screen.findByTestId('ad-inbox-link');
    await waitFor(() => expect(location.pathname + location.search).toBe('/reports?tab=ads'));
  });
});
