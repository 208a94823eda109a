// A screen a role may not use says so, with the way back, and shows nothing of itself.
import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { can } from '../lib/session';
import { RoleGate } from './role-gate';
import { logInAs } from './Settings/test-me';

const gate = () => (
  <RoleGate allowed={can('templates')} title="Templates" back="/" refusal="Only managers and admins manage templates.">
    <p>The templates</p>
  </RoleGate>
);

describe('RoleGate', () => {
  it('staff: the refusal in words under the header, with a way back, and not the screen', () => {
    logInAs('staff');
    render(gate());
    expect(screen.getByRole('alert').textContent).toBe('Only managers and admins manage templates.');
    expect(screen.getByRole('heading', { name: 'Templates' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Back' }).getAttribute('href')).toBe('/');
    expect(screen.queryByText('The templates')).toBeNull();
  });

  it('a manager: the screen itself', () => {
    logInAs('manager');
    render(gate());
    expect(screen.getByText('The templates')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
