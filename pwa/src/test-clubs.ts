// Two clubs as GET /api/v1/clubs answers, for the component tests of screens with a club filter or picker.
import type { Club } from './lib/api/clubs';

const club = (id: string, name: string): Club => ({
  id,
  name,
  timezone: 'Europe/London',
  address: null,
  assignment: 'manual',
  hours: null,
  closed_dates: [],
  away_reply: null,
  numbers: [],
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
});

export const TEST_CLUBS: Club[] = [club('clb_north', 'North'), club('clb_south', 'South')];
