// The company's frequency cap on marketing templates (issue 17): its bounds and default, and its check in words.
// One module for both sides: the worker's schema (broadcasts/schemas.ts) and the Settings screen read the same
// numbers, so the app refuses exactly what the server would.

export interface FrequencyCap {
  max: number;
  days: number;
}

export const DEFAULT_FREQUENCY_CAP: FrequencyCap = { max: 2, days: 7 };
export const FREQUENCY_CAP_LIMITS = { max: { min: 1, max: 50 }, days: { min: 1, max: 30 } } as const;

/** What is wrong with a cap, per field, in words; empty when the server would take it. */
export function frequencyCapProblems(cap: FrequencyCap): Partial<Record<keyof FrequencyCap, string>> {
  const out: Partial<Record<keyof FrequencyCap, string>> = {};
  const { max, days } = FREQUENCY_CAP_LIMITS;
  if (!Number.isInteger(cap.max) || cap.max < max.min || cap.max > max.max)
    out.max = `A whole number of templates from ${max.min} to ${max.max}`;
  if (!Number.isInteger(cap.days) || cap.days < days.min || cap.days > days.max)
    out.days = `A whole number of days from ${days.min} to ${days.max}`;
  return out;
}

/** The cap as a sentence: "At most 2 marketing templates per person in any 7 days." */
export const frequencyCapSentence = (cap: FrequencyCap): string =>
  `At most ${cap.max} marketing template${cap.max === 1 ? '' : 's'} per person in any ${
    cap.days === 1 ? 'day' : `${cap.days} days`
  }.`;
