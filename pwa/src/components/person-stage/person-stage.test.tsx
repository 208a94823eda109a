import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import * as people from '../../lib/api/people';
import { PersonStage } from './person-stage';

vi.mock('../../lib/api/pipeline', () => ({
  loadStages: async () => [
    { id: 'stg_1', name: 'Enquiry', position: 0, outcome: 'open' },
    { id: 'stg_2', name: 'Tour booked', position: 1, outcome: 'open' },
  ],
}));
vi.mock('../../lib/api/people', () => ({ setStage: vi.fn() }));

const select = () => screen.getByTestId('person-stage') as HTMLSelectElement;

describe('a person’s stage on the profile', () => {
  it('moves them at once, and says why when the server refuses, going back to the stage they are in', async () => {
    const onChanged = vi.fn();
    vi.mocked(people.setStage).mockResolvedValueOnce({} as never);
    render(
      <dl>
        <PersonStage personId="per_1" stageId="stg_1" onChanged={onChanged} />
      </dl>,
    );
    await waitFor(() => expect(select().value).toBe('stg_1'));
    fireEvent.change(select(), { target: { value: 'stg_2' } });
    await waitFor(() => expect(onChanged).toHaveBeenCalledOnce());
    expect(people.setStage).toHaveBeenCalledWith('per_1', 'stg_2');

    vi.mocked(people.setStage).mockRejectedValueOnce(
      new ApiFailure(409, 'stage_changed', "The person's stage changed meanwhile, or the stage was removed; reload"),
    );
    fireEvent.change(select(), { target: { value: '' } });
    await screen.findByRole('alert');
    expect(select().value).toBe('stg_1');
    expect(people.setStage).toHaveBeenLastCalledWith('per_1', null);
  });
});
