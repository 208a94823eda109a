// The stage and label filter: the chip names the choice, the sheet ticks any of several (the inbox) or one of each
// (People), Clear empties it, and a failure to load says so with a retry.
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../../lib/api/client';
import * as api from '../../lib/api/pipeline';
import { LeadFilter, type LeadFilterValue, NO_LEAD_FILTER, summary, toggled } from './lead-filter';

vi.mock('../../lib/api/pipeline', () => ({ loadStages: vi.fn(), listLabels: vi.fn() }));

const STAGES: api.Stage[] = [
  { id: 'stg_enq', name: 'Enquiry', position: 0, outcome: 'open' },
  { id: 'stg_tour', name: 'Tour booked', position: 1, outcome: 'open' },
  { id: 'stg_won', name: 'Joined', position: 2, outcome: 'won' },
];
const LABELS: api.Label[] = [
  { id: 'lbl_price', name: 'Price objection', color: 'orange' },
  { id: 'lbl_student', name: 'Student', color: 'blue' },
];

beforeEach(() => {
  vi.mocked(api.loadStages).mockReset().mockResolvedValue(STAGES);
  vi.mocked(api.listLabels).mockReset().mockResolvedValue(LABELS);
});

/** The filter as a page holds it, with every change recorded. */
function Harness(props: { multiple?: boolean; changes: LeadFilterValue[] }) {
  const [value, setValue] = useState<LeadFilterValue>(NO_LEAD_FILTER);
  return (
    <LeadFilter
      multiple={props.multiple}
      value={value}
      onChange={(v) => {
        props.changes.push(v);
        setValue(v);
      }}
    />
  );
}

const press = (name: string) => fireEvent.click(screen.getByRole('button', { name }));
const pressed = (name: string) => screen.getByRole('button', { name }).getAttribute('aria-pressed');

describe('the stage and label filter', () => {
  it('asks for nothing until opened, then ticks any of several stages and labels, named on the chip', async () => {
    const changes: LeadFilterValue[] = [];
    render(<Harness changes={changes} />);
    expect(screen.getByTestId('lead-filter').textContent).toBe('Stage & label');
    expect(api.loadStages).not.toHaveBeenCalled();

    fireEvent.click(screen.getByTestId('lead-filter'));
    await screen.findByRole('dialog', { name: 'Stage and label' });
    press('Tour booked');
    press('Joined');
    press('Student');
    expect(changes.at(-1)).toEqual({ stages: ['stg_tour', 'stg_won'], labels: ['lbl_student'] });
    expect(pressed('Tour booked')).toBe('true');
    expect(screen.getByTestId('lead-filter').textContent).toBe('Tour booked +2');
    press('Joined');
    expect(changes.at(-1)).toEqual({ stages: ['stg_tour'], labels: ['lbl_student'] });

    press('Clear');
    expect(changes.at(-1)).toEqual(NO_LEAD_FILTER);
    press('Done');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('lead-filter').getAttribute('aria-pressed')).toBe('false');
  });

  it('with one of each allowed, a second tick replaces the first', async () => {
    const changes: LeadFilterValue[] = [];
    render(<Harness multiple={false} changes={changes} />);
    fireEvent.click(screen.getByTestId('lead-filter'));
    await screen.findByRole('button', { name: 'Enquiry' });
    press('Enquiry');
    press('Tour booked');
    press('Price objection');
    expect(changes.at(-1)).toEqual({ stages: ['stg_tour'], labels: ['lbl_price'] });
    expect(pressed('Enquiry')).toBe('false');
  });

  it('says when the stages cannot be loaded, and tries again', async () => {
    vi.mocked(api.loadStages).mockRejectedValueOnce(new ApiFailure(0, 'offline', 'Cannot reach ClubChat'));
    render(<Harness changes={[]} />);
    fireEvent.click(screen.getByTestId('lead-filter'));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Cannot reach ClubChat/);
    press('Try again');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Joined' })).toBeTruthy());
  });

  it('toggled and summary', () => {
    expect(toggled(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(toggled(['a'], 'b', false)).toEqual(['b']);
    expect(toggled(['a', 'b'], 'a', true)).toEqual(['b']);
    expect(summary({ stages: ['stg_gone'], labels: [] }, STAGES, LABELS)).toBe('a removed stage');
    expect(summary({ stages: [], labels: ['lbl_price'] }, STAGES, LABELS)).toBe('Price objection');
  });
});
