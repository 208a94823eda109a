// The shapes an automated item is made of, shared by the table definitions, the schemas and the sweep.
import type { VariableSource } from '../whatsapp/templates/variables';

export type Trigger =
  | { event: 'person_created'; offset_hours: number }
  | { event: 'membership_start' | 'membership_end'; offset_days: number }
  | { event: 'date_of_birth' }
  | { event: 'no_reply'; offset_hours: number };

export type TriggerEvent = Trigger['event'];

export interface Audience {
  statuses?: ('lead' | 'member' | 'former_member')[];
  sale_types?: ('membership' | 'secondary')[];
}

/** Local times "HH:MM" in the company's timezone; `end` may be "24:00". */
export interface SendWindow {
  start: string;
  end: string;
}

/** In the order of `{{1}}`, `{{2}}`... for POSITIONAL templates; by variable name for NAMED ones. */
export type ItemVariables = VariableSource[] | Record<string, VariableSource>;

export type OccurrenceState = 'pending' | 'sent' | 'skipped' | 'failed';
