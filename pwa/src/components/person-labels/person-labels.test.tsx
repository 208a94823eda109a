import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import * as api from '../../lib/api/pipeline';
import { PersonLabels } from './person-labels';

vi.mock('../../lib/api/pipeline', () => ({
  getPersonLabels: vi.fn(async () => [{ id: 'lbl_1', name: 'Student', color: 'blue' }]),
  listLabels: vi.fn(async () => [
    { id: 'lbl_2', name: 'Price objection', color: 'orange' },
    { id: 'lbl_1', name: 'Student', color: 'blue' },
  ]),
  setPersonLabels: vi.fn(async (_id: string, ids: string[]) =>
    ids.map((id) =>
      id === 'lbl_1' ? { id, name: 'Student', color: 'blue' } : { id, name: 'Price objection', color: 'orange' },
    ),
  ),
}));

const chips = () =>
  within(screen.getByRole('list', { name: 'Labels' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent);

describe('a person’s labels on the profile', () => {
  it('shows them as chips, and ticking the company’s labels replaces them on Save', async () => {
    render(
      <dl>
        <PersonLabels personId="per_1" />
      </dl>,
    );
    await waitFor(() => expect(chips()).toEqual(['Student']));
    fireEvent.click(screen.getByRole('button', { name: 'Labels…' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Price objection' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Student' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save labels' }));
    await waitFor(() => expect(chips()).toEqual(['Price objection']));
    expect(api.setPersonLabels).toHaveBeenCalledWith('per_1', ['lbl_2']);
  });
});
