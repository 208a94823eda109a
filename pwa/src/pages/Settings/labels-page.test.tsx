import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import type { Label } from '../../lib/api/pipeline';
import * as api from '../../lib/api/pipeline';
import { LabelsPage } from './labels-page';
import { logInAs } from './test-me';

vi.mock('../../lib/api/pipeline', () => ({ listLabels: vi.fn(), createLabel: vi.fn(), deleteLabel: vi.fn() }));

let rows: Label[];
beforeEach(() => {
  rows = [{ id: 'lbl_1', name: 'Student', color: 'blue' }];
  vi.mocked(api.listLabels).mockImplementation(async () => [...rows]);
  vi.mocked(api.createLabel).mockImplementation(async (body) => {
    if (rows.some((r) => r.name === body.name))
      throw new ApiFailure(409, 'label_name_taken', 'Another label already has that name');
    const row = { id: `lbl_${rows.length + 1}`, name: body.name, color: body.color ?? 'grey' };
    rows = [...rows, row];
    return row;
  });
  vi.mocked(api.deleteLabel).mockImplementation(async (id) => {
    rows = rows.filter((r) => r.id !== id);
    return undefined as never;
  });
});

const names = () => screen.queryAllByTestId('label').map((li) => li.querySelector('.label-chip')?.textContent);

describe('labels in Settings', () => {
  it('a manager adds one, a taken name is refused in words, and deleting removes it', async () => {
    logInAs('manager');
    render(<LabelsPage />);
    await waitFor(() => expect(names()).toEqual(['Student']));
    const form = screen.getByRole('form', { name: 'New label' });
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Student' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add label' }));
    await within(form).findByText('Another label already has that name');
    fireEvent.input(within(form).getByLabelText('Name'), { target: { value: 'Price objection' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add label' }));
    await waitFor(() => expect(names()).toEqual(['Student', 'Price objection']));
    fireEvent.click(screen.getByRole('button', { name: 'Delete Student' }));
    await waitFor(() => expect(names()).toEqual(['Price objection']));
  });

  it('staff see the labels but cannot add or delete them', async () => {
    logInAs('staff');
    render(<LabelsPage />);
    await waitFor(() => expect(names()).toEqual(['Student']));
    expect(screen.queryByRole('form', { name: 'New label' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
  });
});
