// A logged-in staff member for the Settings component tests, with the permissions their role has on the server.
import type { Me } from '../../lib/api/session';
import { me } from '../../lib/session';

const PERMISSIONS: Record<Me['role'], Me['permissions']> = {
  salesperson: ['conversations', 'take_leads'],
  staff: ['conversations', 'assign_owners', 'take_leads'],
  manager: [
    'conversations',
    'templates',
    'automations',
    'broadcasts',
    'quick_replies',
    'assign_owners',
    'club_hours',
    'labels',
    'reports',
    'ad_reports',
  ],
  admin: [
    'conversations',
    'templates',
    'automations',
    'broadcasts',
    'frequency_cap',
    'quick_replies',
    'users',
    'api_keys',
    'person_data',
    'audit',
    'assign_owners',
    'clubs',
    'club_hours',
    'pipeline',
    'labels',
    'reports',
    'ad_reports',
    'conversions',
  ],
};

export function logInAs(role: Me['role'], id = 'usr_me', clubIds: string[] | null = null): void {
  me.value = {
    user: { id, name: 'Alex Admin', email: 'admin@demo.gym' },
    role,
    club_ids: clubIds,
    permissions: PERMISSIONS[role],
    company: {
      id: 'com_demo',
      name: 'Demo Gym',
      timezone: 'Europe/London',
      whatsapp: { enabled: true, configured: true, display_phone_number: '15550100001' },
    },
    sandbox: false,
    on_shift: false,
  };
}
