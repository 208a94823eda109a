// Settings → Pipeline: an admin renames, reorders with Up / Down, adds up to 12, removes and marks won or lost,
// then saves the whole list (kept stages by id); mistakes are named before anything is sent, the server's
// refusal (a stage with people) in its words; managers and staff read the stages only.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import * as api from '../../lib/api/pipeline';
import { added, bodyOf, draftOf, moved, problemOf } from './pipeline-draft';
import { PipelinePage } from './pipeline-page';
import { logInAs } from './test-me';

vi.mock('../../lib/api/pipeline', () => ({ reloadStages: vi.fn(), savePipeline: vi.fn() }));

const STAGES: api.Stage[] = [
  { id: 'stg_enq', name: 'Enquiry', position: 0, outcome: 'open' },
  { id: 'stg_tour', name: 'Tour booked', position: 1, outcome: 'open' },
  { id: 'stg_won', name: 'Joined', position: 2, outcome: 'won' },
];

beforeEach(() => {
  vi.mocked(api.reloadStages).mockReset().mockResolvedValue(STAGES);
  vi.mocked(api.savePipeline)
    .mockReset()
    .mockImplementation(async (body) =>
      body.stages.map((s, position) => ({
        id: s.id ?? `stg_new${position}`,
        name: s.name,
        position,
        outcome: s.outcome ?? 'open',
      })),
    );
});

const names = () => screen.getAllByRole('textbox').map((i) => (i as HTMLInputElement).value);
const press = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('the pipeline editor', () => {
  it('an admin reorders, renames, adds, marks lost and removes, then saves the whole list', async () => {
    logInAs('admin');
    render(<PipelinePage />);
    await screen.findByDisplayValue('Tour booked');
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Move Enquiry up' }) as HTMLButtonElement).disabled).toBe(true);

    press('Move Tour booked up');
    expect(names()).toEqual(['Tour booked', 'Enquiry', 'Joined']);
    fireEvent.input(screen.getByDisplayValue('Enquiry'), { target: { value: 'New lead' } });
    press('Add stage');
    const rows = screen.getAllByTestId('stage');
    const last = rows.at(-1);
    if (!last) throw new Error('rows');
    fireEvent.input(within(last).getByRole('textbox'), { target: { value: 'Cancelled' } });
    fireEvent.change(within(last).getByRole('combobox'), { target: { value: 'lost' } });
    press('Remove Joined');
    press('Save');
    await waitFor(() =>
      expect(api.savePipeline).toHaveBeenCalledWith({
        stages: [
          { id: 'stg_tour', name: 'Tour booked', outcome: 'open' },
          { id: 'stg_enq', name: 'New lead', outcome: 'open' },
          { name: 'Cancelled', outcome: 'lost' },
        ],
      }),
    );
    expect(await screen.findByText('Pipeline saved')).toBeTruthy();
    expect(names()).toEqual(['Tour booked', 'New lead', 'Cancelled']);
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('names a blank or repeated name before sending, and shows the server’s refusal in its words', async () => {
    logInAs('admin');
    render(<PipelinePage />);
    await screen.findByDisplayValue('Joined');
    fireEvent.input(screen.getByDisplayValue('Joined'), { target: { value: 'enquiry ' } });
    press('Save');
    expect((await screen.findByRole('alert')).textContent).toBe('Two stages are called “enquiry”: names must differ');
    fireEvent.input(screen.getAllByRole('textbox')[2] as HTMLInputElement, { target: { value: '' } });
    press('Save');
    expect((await screen.findByRole('alert')).textContent).toBe('Stage 3 needs a name');
    expect(api.savePipeline).not.toHaveBeenCalled();

    fireEvent.input(screen.getAllByRole('textbox')[2] as HTMLInputElement, { target: { value: 'Joined' } });
    vi.mocked(api.savePipeline).mockRejectedValueOnce(
      new ApiFailure(409, 'stage_in_use', 'People are in Tour booked: move them to another stage before removing it'),
    );
    press('Remove Tour booked');
    press('Save');
    expect((await screen.findByRole('alert')).textContent).toBe(
      'People are in Tour booked: move them to another stage before removing it',
    );
    press('Undo changes');
    expect(names()).toEqual(['Enquiry', 'Tour booked', 'Joined']);
  });

  it('stops adding at twelve stages', async () => {
    logInAs('admin');
    render(<PipelinePage />);
    await screen.findByDisplayValue('Joined');
    for (let i = 0; i < 9; i++) press('Add stage');
    expect(screen.getAllByTestId('stage')).toHaveLength(12);
    expect((screen.getByRole('button', { name: '12 stages at most' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('managers and staff see the stages, won and lost marked, with nothing to change', async () => {
    for (const role of ['manager', 'staff'] as const) {
      logInAs(role);
      const { unmount } = render(<PipelinePage />);
      const list = await screen.findByRole('list', { name: 'Stages' });
      expect(
        within(list)
          .getAllByRole('listitem')
          .map((li) => li.textContent),
      ).toEqual(['Enquiry', 'Tour booked', 'JoinedWon']);
      expect(screen.queryByRole('textbox')).toBeNull();
      expect(screen.getByText(/Only admins change them/)).toBeTruthy();
      unmount();
    }
  });
});

describe('the draft', () => {
  it('moves within its ends, adds up to 12, and checks names', () => {
    const draft = draftOf(STAGES);
    expect(moved(draft, 0, -1).map((s) => s.name)).toEqual(['Enquiry', 'Tour booked', 'Joined']);
    expect(moved(draft, 2, 1).map((s) => s.name)).toEqual(['Enquiry', 'Tour booked', 'Joined']);
    expect(moved(draft, 2, -1).map((s) => s.name)).toEqual(['Enquiry', 'Joined', 'Tour booked']);
    let many = draft;
    for (let i = 0; i < 20; i++) many = added(many);
    expect(many).toHaveLength(12);
    expect(problemOf([])).toBe('Keep at least one stage');
    expect(problemOf(draft)).toBeNull();
    expect(bodyOf(draftOf([{ id: 'stg_x', name: ' Trial ', position: 0, outcome: 'open' }]))).toEqual({
      stages: [{ id: 'stg_x', name: 'Trial', outcome: 'open' }],
    });
  });
});
