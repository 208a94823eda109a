// A person as the API answers, for the component tests: every field at a plain default, the test says what differs.
import type { Person } from './lib/api/directory';

export const testPerson = (over: Partial<Person> = {}): Person => ({
  id: 'per_1',
  first_name: 'Sheena',
  last_name: null,
  phone: '+447412345601',
  email: null,
  sale_type: 'membership',
  status: 'lead',
  membership_start: null,
  membership_end: null,
  date_of_birth: null,
  sms_opted_out: false,
  whatsapp_opted_out: false,
  whatsapp_marketing_stopped: false,
  erased_at: null,
  has_conversation: true,
  owner_user_id: null,
  club_id: 'clb_demo',
  stage_id: null,
  lead_source: { first: null, latest: null },
  created_by: null,
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  ...over,
});
