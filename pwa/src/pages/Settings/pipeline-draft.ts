// The pipeline editor's draft: the stages as the admin arranges them before Save, and the rules the server
// applies (worker/pipeline/schemas.ts) checked first, in words. Pure: the page renders it, tests drive it.
import type { Stage } from '../../lib/api/pipeline';

export const MAX_STAGES = 12;
export const MAX_STAGE_NAME = 40;

export type Outcome = Stage['outcome'];

export interface DraftStage {
  /** A stage that exists keeps its id (and the people in it); a new one has none until saved. */
  id: string | null;
  /** Stable across edits, for the list's keys and labels: the id, or a made-up one for a new stage. */
  key: string;
  name: string;
  outcome: Outcome;
}

export const draftOf = (stages: readonly Stage[]): DraftStage[] =>
  stages.map((s) => ({ id: s.id, key: s.id, name: s.name, outcome: s.outcome }));

/** Moves the stage at `index` one place up (-1) or down (+1); at either end, nothing moves. */
export function moved(draft: readonly DraftStage[], index: number, by: -1 | 1): DraftStage[] {
  const to = index + by;
  const here = draft[index];
  const there = draft[to];
  if (!here || !there) return [...draft];
  const next = [...draft];
  next[index] = there;
  next[to] = here;
  return next;
}

let made = 0;
export function added(draft: readonly DraftStage[]): DraftStage[] {
  if (draft.length >= MAX_STAGES) return [...draft];
  made += 1;
  return [...draft, { id: null, key: `new-${made}`, name: '', outcome: 'open' }];
}

export const removed = (draft: readonly DraftStage[], key: string): DraftStage[] => draft.filter((s) => s.key !== key);

export const changed = (draft: readonly DraftStage[], key: string, change: Partial<DraftStage>): DraftStage[] =>
  draft.map((s) => (s.key === key ? { ...s, ...change } : s));

/** What is wrong with the draft, in words, or null: Save sends it. */
export function problemOf(draft: readonly DraftStage[]): string | null {
  if (draft.length === 0) return 'Keep at least one stage';
  if (draft.length > MAX_STAGES) return `${MAX_STAGES} stages at most`;
  const blank = draft.findIndex((s) => !s.name.trim());
  if (blank >= 0) return `Stage ${blank + 1} needs a name`;
  const seen = new Set<string>();
  for (const s of draft) {
    const name = s.name.trim().toLowerCase();
    if (seen.has(name)) return `Two stages are called “${s.name.trim()}”: names must differ`;
    seen.add(name);
  }
  return null;
}

/** The PUT body: the whole pipeline in order, kept stages by id. */
export const bodyOf = (draft: readonly DraftStage[]) => ({
  stages: draft.map((s) => ({ ...(s.id ? { id: s.id } : {}), name: s.name.trim(), outcome: s.outcome })),
});

/** Whether Save has anything to send. */
export const isDirty = (draft: readonly DraftStage[], saved: readonly Stage[]): boolean =>
  JSON.stringify(bodyOf(draft)) !== JSON.stringify(bodyOf(draftOf(saved)));
