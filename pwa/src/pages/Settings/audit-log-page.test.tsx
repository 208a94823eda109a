// The audit log screen: each change in words (what, who and from where, on what, a person linking to their
// profile), filters that ask the server for just those entries, and older pages by cursor.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry, AuditFilters, AuditPage } from '../../lib/api/settings';
import * as api from '../../lib/api/settings';
import { AuditLogPage } from './audit-log-page';
import { SettingsPage } from './settings-page';
import { logInAs } from './test-me';

vi.mock('../../lib/api/settings', () => ({
  listAuditLog: vi.fn(),
  listUsers: vi.fn(),
  listApiKeys: vi.fn(),
  getConnection: () => new Promise(() => undefined),
}));
vi.mock('preact-iso', () => ({ useRoute: () => ({ params: {} }) }));

const entry = (id: string, over: Partial<AuditEntry>): AuditEntry => ({
  id,
  at: '2026-11-20T10:15:00Z',
  actor: { kind: 'user', id: 'usr_alex', name: 'Alex Admin' },
  ip: '203.0.113.9',
  action: 'user.role_changed',
  target: { type: 'user', id: 'usr_sam', label: 'Sam Staff' },
  details: { email: 'sam@demo.gym', from: 'staff', to: 'manager' },
  ...over,
});

const page = (collection: AuditEntry[], next: string | null = null): AuditPage => ({
  collection,
  pagination: { next_cursor: next },
});

beforeEach(() => {
  logInAs('admin');
  vi.mocked(api.listAuditLog).mockReset();
  vi.mocked(api.listUsers).mockResolvedValue([
    {
      id: 'usr_sam',
      name: 'Sam Staff',
      email: 'sam@demo.gym',
      role: 'staff',
      club_ids: null,
      active: true,
      deactivated_at: null,
      created_at: '2026-11-01T00:00:00Z',
    },
  ]);
  vi.mocked(api.listApiKeys).mockResolvedValue([
    { id: 'key_crm', name: 'CRM', prefix: 'cc_live_ab12', created_at: '2026-11-01T00:00:00Z', revoked_at: null },
  ]);
});

const entries = () => screen.getAllByTestId('audit-entry');

describe('the audit log screen', () => {
  it('is linked from Settings for admins only', () => {
    render(<SettingsPage />);
    expect(screen.getByRole('link', { name: /Audit log/ }).getAttribute('href')).toBe('/settings/audit-log');
    logInAs('manager');
    render(<SettingsPage />);
    expect(screen.getAllByRole('link', { name: /Audit log/ })).toHaveLength(1);
  });

  it('says what happened, who did it and from where, and on what; a person links to their profile', async () => {
    vi.mocked(api.listAuditLog).mockResolvedValue(
      page([
        entry('aud_1', {}),
        entry('aud_2', {
          action: 'person.opted_out',
          actor: { kind: 'whatsapp', id: '447412345601', name: 'Sheena' },
          ip: null,
          target: { type: 'person', id: 'per_sheena', label: 'Sheena Nelson' },
          details: { channel: 'whatsapp', method: 'whatsapp_keyword', keyword: 'STOP' },
        }),
        entry('aud_3', {
          action: 'template.status_changed',
          actor: { kind: 'system', id: 'meta', name: 'Meta' },
          ip: null,
          target: { type: 'template', id: 'tpl_1', label: 'trial_pass (en_GB)' },
          details: { from: 'PENDING', to: 'REJECTED', reason: 'INVALID_FORMAT' },
        }),
        entry('aud_4', {
          action: 'person.erased',
          target: { type: 'person', id: 'per_gone', label: null },
          details: null,
        }),
      ]),
    );
    render(<AuditLogPage />);
    await screen.findAllByTestId('audit-entry');
    const [role, stop, status, erased] = entries();
    expect(role?.textContent).toContain('Role staff → manager');
    expect(role?.textContent).toContain('User: Sam Staff');
    expect(role?.textContent).toContain('Alex Admin · from 203.0.113.9');
    expect(stop?.textContent).toContain('Opted out of WhatsApp by sending STOP');
    expect(stop?.textContent).toContain('Sheena, on WhatsApp');
    expect(
      within(stop as HTMLElement)
        .getByRole('link', { name: 'Person: Sheena Nelson' })
        .getAttribute('href'),
    ).toBe('/people/per_sheena');
    expect(status?.textContent).toContain('Status PENDING → REJECTED (INVALID_FORMAT)');
    expect(status?.textContent).toContain('Template: trial_pass (en_GB)');
    expect(within(status as HTMLElement).queryByRole('link')).toBeNull();
    expect(erased?.textContent).toContain('A person no longer in ClubChat');
    expect(within(erased as HTMLElement).queryByRole('link')).toBeNull();
  });

  it('asks the server for the chosen group, person and days, and refuses a backwards range', async () => {
    vi.mocked(api.listAuditLog).mockResolvedValue(page([entry('aud_1', {})]));
    render(<AuditLogPage />);
    await screen.findAllByTestId('audit-entry');
    const form = screen.getByRole('form', { name: 'Filters' });
    fireEvent.change(within(form).getByLabelText('What'), { target: { value: 'users' } });
    await waitFor(() => expect(api.listAuditLog).toHaveBeenCalledTimes(2));
    await within(form).findByRole('option', { name: 'CRM (API key)' });
    fireEvent.change(within(form).getByLabelText('Who'), { target: { value: 'usr_sam' } });
    fireEvent.input(within(form).getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.input(within(form).getByLabelText('To'), { target: { value: '2026-11-30' } });
    await waitFor(() => expect(api.listAuditLog).toHaveBeenCalledTimes(5));
    const last = vi.mocked(api.listAuditLog).mock.calls.at(-1)?.[0] as AuditFilters;
    expect(last).toEqual({
      actions: [
        'user.created',
        'user.updated',
        'user.role_changed',
        'user.clubs_changed',
        'user.deactivated',
        'user.reactivated',
      ],
      actorId: 'usr_sam',
      // The phone's own days, the last one included.
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 11, 1).toISOString(),
    });

    fireEvent.input(within(form).getByLabelText('From'), { target: { value: '2026-12-05' } });
    expect(screen.getByRole('alert').textContent).toBe('The last day is before the first: nothing can match');
    expect(api.listAuditLog).toHaveBeenCalledTimes(5);
    fireEvent.click(within(form).getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(api.listAuditLog).toHaveBeenLastCalledWith({}));
  });

  it('shows older entries a page at a time, by the cursor the server gave', async () => {
    vi.mocked(api.listAuditLog).mockImplementation(async (_f, cursor) =>
      cursor === undefined
        ? page([entry('aud_3', {}), entry('aud_2', {})], 'c1')
        : page([entry('aud_1', { action: 'user.deactivated', details: { email: 'sam@demo.gym' } })]),
    );
    render(<AuditLogPage />);
    await screen.findAllByTestId('audit-entry');
    fireEvent.click(screen.getByRole('button', { name: 'Show older' }));
    await waitFor(() => expect(entries()).toHaveLength(3));
    expect(entries()[2]?.textContent).toContain('Deactivated: logged out everywhere');
    expect(screen.queryByRole('button', { name: 'Show older' })).toBeNull();
    expect(vi.mocked(api.listAuditLog).mock.calls.map(([, cursor]) => cursor)).toEqual([undefined, 'c1']);
  });
});
