// The automated item form as plain values: defaults, from and to the API's shape, and the checks the server
// makes (worker/whatsapp/automations/schemas.ts), said in words before the request goes. Pure.
import type { PersonField } from '#common/person-fields';
import { type AdChoice, adChoiceOf, sourceAudienceOf } from '../../components/ad-filter/ad-choice';
import type {
  Automation,
  AutomationInput,
  AutomationTrigger,
  PersonStatus,
  SaleType,
  TemplateOption,
  TriggerEvent,
  VariableSource,
} from '../../lib/api/automations';
import { ApiFailure } from '../../lib/api/client';

export const MAX_OFFSET_DAYS = 366;
export const MAX_OFFSET_HOURS = 24 * 366;
const MAX_NAME = 200;
const MAX_TEXT = 1024;

export const TRIGGER_LABELS: Record<TriggerEvent, string> = {
  person_created: 'A person is added',
  membership_start: 'A membership starts',
  membership_end: 'A membership ends',
  date_of_birth: "A person's birthday",
  no_reply: 'Nobody has written to a person since their last message',
  stage_changed: "A person's stage changes",
};

export const STATUS_LABELS: Record<PersonStatus, string> = {
  lead: 'Leads',
  member: 'Members',
  former_member: 'Former members',
};

/** '' = the template's own mapping; 'text' = the same fixed words for everyone. */
export type VariableChoice = { source: '' | 'text' | PersonField; text: string };

export interface FormValues {
  name: string;
  enabled: boolean;
  event: TriggerEvent;
  /** The stage a stage_changed trigger waits for ('' until chosen). */
  stageId: string;
  /** Days or hours as typed; always 0 or more (direction says before or after). */
  offset: string;
  direction: 'after' | 'before';
  /** `name:language` of the chosen template, '' while none is. */
  template: string;
  variables: Record<string, VariableChoice>;
  saleType: SaleType;
  statuses: PersonStatus[];
  saleTypes: SaleType[];
  /** Club ids; none: every club. */
  clubIds: string[];
  /** Stage ids, label ids (any of each); none: they do not matter. */
  stageIds: string[];
  labelIds: string[];
  /** Lead source: any, from ads, or one ad. */
  adSource: AdChoice;
  start: string;
  end: string;
}

export type FieldErrors = Record<string, string>;

export const templateKey = (t: { name: string; language: string }): string => `${t.name}:${t.language}`;
export const variableField = (name: string): string => `variable:${name}`;

export const offsetUnit = (event: TriggerEvent): 'days' | 'hours' | null =>
  event === 'membership_start' || event === 'membership_end'
    ? 'days'
    : event === 'person_created' || event === 'no_reply' || event === 'stage_changed'
      ? 'hours'
      : null;

export function emptyForm(): FormValues {
  return {
    name: '',
    enabled: true,
    event: 'membership_end',
    stageId: '',
    offset: '3',
    direction: 'after',
    template: '',
    variables: {},
    saleType: 'membership',
    statuses: [],
    saleTypes: [],
    clubIds: [],
    stageIds: [],
    labelIds: [],
    adSource: {},
    start: '08:00',
    end: '21:00',
  };
}

function choiceOf(source: VariableSource | undefined): VariableChoice {
  if (source === undefined) return { source: '', text: '' };
  if (typeof source === 'object') return { source: 'text', text: source.text };
  return { source, text: '' };
}

/** The item's variables by name; positional ones are matched to the template's variables in order. */
function variablesByName(item: Automation, template: TemplateOption | undefined): Record<string, VariableChoice> {
  const out: Record<string, VariableChoice> = {};
  if (Array.isArray(item.variables)) {
    item.variables.forEach((source, i) => {
      out[template?.variables[i] ?? String(i + 1)] = choiceOf(source);
    });
  } else for (const [name, source] of Object.entries(item.variables)) out[name] = choiceOf(source);
  return out;
}

export function formOf(item: Automation, templates: readonly TemplateOption[]): FormValues {
  const template = templates.find((t) => templateKey(t) === templateKey(item.template));
  const t = item.trigger;
  const offset = 'offset_days' in t ? t.offset_days : 'offset_hours' in t ? t.offset_hours : 0;
  return {
    name: item.name,
    enabled: item.enabled,
    event: t.event,
    stageId: t.event === 'stage_changed' ? t.stage_id : '',
    offset: String(Math.abs(offset)),
    direction: offset < 0 ? 'before' : 'after',
    template: templateKey(item.template),
    variables: variablesByName(item, template),
    saleType: item.sale_type,
    statuses: item.audience?.statuses ?? [],
    saleTypes: item.audience?.sale_types ?? [],
    clubIds: item.audience?.club_ids ?? [],
    stageIds: item.audience?.stage_ids ?? [],
    labelIds: item.audience?.label_ids ?? [],
    adSource: adChoiceOf(item.audience),
    start: item.send_window.start,
    end: item.send_window.end,
  };
}

const WHOLE = /^\d+$/;
/** The end of the day, as the API writes it. */
export const MIDNIGHT = '24:00';
const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** The trigger as far as it can be read: an offset not typed yet reads as 0 (the sentence still makes sense). */
export function triggerOf(v: Pick<FormValues, 'event' | 'offset' | 'direction' | 'stageId'>): AutomationTrigger {
  const n = WHOLE.test(v.offset.trim()) ? Number(v.offset.trim()) : 0;
  switch (v.event) {
    case 'membership_start':
    case 'membership_end':
      return { event: v.event, offset_days: v.direction === 'before' ? -n : n };
    case 'person_created':
      return { event: v.event, offset_hours: n };
    case 'no_reply':
      return { event: v.event, offset_hours: n };
    case 'stage_changed':
      return { event: v.event, stage_id: v.stageId, offset_hours: n };
    case 'date_of_birth':
      return { event: v.event };
  }
}

function offsetError(v: FormValues): string | null {
  const unit = offsetUnit(v.event);
  if (unit === null) return null;
  const raw = v.offset.trim();
  if (raw === '') return `Enter a number of ${unit}`;
  if (!WHOLE.test(raw)) return `Enter a whole number of ${unit} (0 or more)`;
  const n = Number(raw);
  if (unit === 'days' && n > MAX_OFFSET_DAYS) return `At most ${MAX_OFFSET_DAYS} days`;
  if (unit === 'hours' && n > MAX_OFFSET_HOURS) return `At most ${MAX_OFFSET_HOURS} hours (366 days)`;
  if (v.event === 'no_reply' && n < 1) return 'At least 1 hour after their last message';
  return null;
}

const mapsVariable = (t: TemplateOption, name: string): boolean => t.variableMap[name] !== undefined;

/** The same rules as the server's schema, in words, keyed by field. Empty when the form may be sent. */
export function validateForm(v: FormValues, templates: readonly TemplateOption[]): FieldErrors {
  const errors: FieldErrors = {};
  const name = v.name.trim();
  if (name === '') errors.name = 'Give the item a name';
  else if (name.length > MAX_NAME) errors.name = `A name is at most ${MAX_NAME} characters`;

  const offset = offsetError(v);
  if (offset) errors.offset = offset;
  if (v.event === 'stage_changed' && v.stageId === '') errors.stageId = 'Choose the stage';

  const template = templates.find((t) => templateKey(t) === v.template);
  if (v.template === '') errors.template = 'Choose an approved template';
  for (const variable of template?.variables ?? []) {
    const choice = v.variables[variable] ?? { source: '', text: '' };
    const label = `{{${variable}}}`;
    if (choice.source === '' && !(template && mapsVariable(template, variable)))
      errors[variableField(variable)] = `Choose what fills ${label}`;
    else if (choice.source === 'text' && choice.text.trim() === '')
      errors[variableField(variable)] = `Enter the words for ${label}`;
    else if (choice.source === 'text' && choice.text.trim().length > MAX_TEXT)
      errors[variableField(variable)] = `The words for ${label} are at most ${MAX_TEXT} characters`;
  }

  if (!HHMM.test(v.start)) errors.start = 'Enter a start time (HH:MM)';
  if (!HHMM.test(v.end)) errors.end = 'Enter an end time (HH:MM)';
  else if (HHMM.test(v.start) && v.end <= v.start) errors.end = 'The end must be after the start';
  return errors;
}

function sourceOf(choice: VariableChoice): VariableSource | null {
  if (choice.source === '') return null;
  if (choice.source === 'text') return { text: choice.text.trim() };
  return choice.source;
}

/** The audience as the server takes it: only what narrows it; nothing ticked anywhere is everyone (null). */
export function audienceOf(
  v: Pick<FormValues, 'statuses' | 'saleTypes' | 'clubIds' | 'stageIds' | 'labelIds' | 'adSource'>,
) {
  const audience = {
    ...(v.statuses.length > 0 ? { statuses: v.statuses } : {}),
    ...(v.saleTypes.length > 0 ? { sale_types: v.saleTypes } : {}),
    ...(v.clubIds.length > 0 ? { club_ids: v.clubIds } : {}),
    ...(v.stageIds.length > 0 ? { stage_ids: v.stageIds } : {}),
    ...(v.labelIds.length > 0 ? { label_ids: v.labelIds } : {}),
    ...sourceAudienceOf(v.adSource),
  };
  return Object.keys(audience).length > 0 ? audience : null;
}

/** The request body. Variables go by name, so one left to the template's own mapping is simply left out. */
export function inputOf(v: FormValues): AutomationInput {
  const [name = '', language = ''] = v.template.split(':');
  const variables: Record<string, VariableSource> = {};
  for (const [variable, choice] of Object.entries(v.variables)) {
    const source = sourceOf(choice);
    if (source !== null) variables[variable] = source;
  }
  const audience = audienceOf(v);
  return {
    name: v.name.trim(),
    enabled: v.enabled,
    template: { name, language },
    variables,
    sale_type: v.saleType,
    trigger: triggerOf(v),
    audience,
    send_window: { start: v.start, end: v.end },
  };
}

/** A server path (`trigger.offset_days`, `variables.1`, `send_window`) -> the form field it belongs to. */
function fieldOfPath(path: string): string | null {
  const [head, next] = path.split('.');
  switch (head) {
    case 'name':
      return 'name';
    case 'trigger':
      return 'offset';
    case 'template':
      return 'template';
    case 'variables':
      return next ? variableField(next) : 'template';
    case 'sale_type':
      return 'saleType';
    case 'audience':
      return 'audience';
    case 'send_window':
      return next === 'start' ? 'start' : 'end';
    default:
      return null;
  }
}

/**
 * A refusal from the server, put on the fields it names: a 422 `validation_failed` lists "path: message"
 * parts; a template refusal belongs to the template. What fits no field is the form's own error.
 */
export function serverErrors(err: unknown): { fields: FieldErrors; form: string | null } {
  if (!(err instanceof ApiFailure)) return { fields: {}, form: err instanceof Error ? err.message : 'Could not save' };
  if (err.code === 'template_not_approved' || err.code === 'template_not_found')
    return { fields: { template: err.message }, form: null };
  if (err.code !== 'validation_failed') return { fields: {}, form: err.message };
  const fields: FieldErrors = {};
  const rest: string[] = [];
  for (const part of err.message.split('; ')) {
    const colon = part.indexOf(': ');
    const field = colon > 0 ? fieldOfPath(part.slice(0, colon)) : null;
    if (field === null) rest.push(part);
    else fields[field] = fields[field] ? `${fields[field]}; ${part.slice(colon + 2)}` : part.slice(colon + 2);
  }
  return { fields, form: rest.length > 0 ? rest.join('; ') : null };
}
