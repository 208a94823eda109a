// The broadcast form as plain values: from a broadcast (to edit a draft), checked in words before anything is
// sent, and turned into the request body. Times are the gym's (the company's timezone), whatever the phone's.
import type { PersonField } from '#common/person-fields';
import { type AdChoice, adChoiceOf, sourceAudienceOf } from '../../components/ad-filter/ad-choice';
import type { TemplateOption, VariableSource } from '../../lib/api/automations';
import type { Broadcast, BroadcastInput } from '../../lib/api/broadcasts';
import type { VariableChoice } from '../Automations/form-state';

export type PersonStatus = 'lead' | 'member' | 'former_member';
export type SaleType = 'membership' | 'secondary';

export interface BroadcastForm {
  name: string;
  /** `name:language` of the chosen template, '' while none is. */
  template: string;
  variables: Record<string, VariableChoice>;
  statuses: PersonStatus[];
  saleTypes: SaleType[];
  clubIds: string[];
  stageIds: string[];
  labelIds: string[];
  /** Lead source: any, from ads, or one ad. */
  adSource: AdChoice;
  consentRecorded: boolean;
  /** YYYY-MM-DD or '' */
  lastBefore: string;
  lastAfter: string;
  /** YYYY-MM-DDTHH:MM in the gym's timezone */
  startAt: string;
  windowStart: string;
  windowEnd: string;
}

export type FormErrors = Record<string, string>;

/** How far the zone's wall clock is ahead of UTC at this instant, in ms. */
function offsetMs(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** "2030-01-02T09:30" in the zone -> an instant (ISO); null when it is no date. */
export function zonedToIso(local: string, timeZone: string): string | null {
  // Date.parse is lenient with odd strings: only the datetime-local shape is a time.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local)) return null;
  const wall = Date.parse(`${local}:00Z`);
  if (Number.isNaN(wall)) return null;
  const first = wall - offsetMs(wall, timeZone);
  return new Date(wall - offsetMs(first, timeZone)).toISOString();
}

/** An instant -> "2030-01-02T09:30" on the zone's wall clock. */
export function isoToZoned(iso: string, timeZone: string): string {
  const at = Date.parse(iso);
  return new Date(at + offsetMs(at, timeZone)).toISOString().slice(0, 16);
}

export function emptyBroadcastForm(now: number, timeZone: string): BroadcastForm {
  // Next hour on the gym's clock: a sensible start that is never in the past by the time it is saved.
  const next = Math.ceil(now / 3_600_000) * 3_600_000;
  return {
    name: '',
    template: '',
    variables: {},
    statuses: [],
    saleTypes: [],
    clubIds: [],
    stageIds: [],
    labelIds: [],
    adSource: {},
    consentRecorded: true,
    lastBefore: '',
    lastAfter: '',
    startAt: isoToZoned(new Date(next).toISOString(), timeZone),
    windowStart: '09:00',
    windowEnd: '20:00',
  };
}

const choiceOf = (source: unknown): VariableChoice =>
  typeof source === 'object' && source !== null && 'text' in source
    ? { source: 'text', text: String((source as { text: unknown }).text) }
    : { source: (typeof source === 'string' ? source : '') as PersonField | '', text: '' };

export function formOfBroadcast(b: Broadcast, template: TemplateOption | undefined, timeZone: string): BroadcastForm {
  const variables: Record<string, VariableChoice> = {};
  const names = template?.variables ?? [];
  if (Array.isArray(b.variables))
    b.variables.forEach((v, i) => {
      const name = names[i];
      if (name) variables[name] = choiceOf(v);
    });
  else for (const [name, v] of Object.entries(b.variables)) variables[name] = choiceOf(v);
  for (const name of names) variables[name] ??= { source: '', text: '' };
  const a = b.audience;
  return {
    name: b.name,
    template: `${b.template.name}:${b.template.language}`,
    variables,
    statuses: (a.statuses ?? []) as PersonStatus[],
    saleTypes: a.sale_types ?? [],
    clubIds: a.club_ids ?? [],
    stageIds: a.stage_ids ?? [],
    labelIds: a.label_ids ?? [],
    adSource: adChoiceOf(a),
    consentRecorded: a.consent_recorded === true,
    lastBefore: a.last_contact_before ?? '',
    lastAfter: a.last_contact_after ?? '',
    startAt: isoToZoned(b.start_at, timeZone),
    windowStart: b.send_window.start,
    windowEnd: b.send_window.end,
  };
}

/** The server's rules, said before anything is sent. */
export function checkBroadcastForm(v: BroadcastForm, templates: readonly TemplateOption[]): FormErrors {
  const errors: FormErrors = {};
  if (v.name.trim() === '') errors.name = 'Give it a name';
  const template = templates.find((t) => `${t.name}:${t.language}` === v.template);
  if (!template) errors.template = 'Choose an approved template';
  for (const name of template?.variables ?? []) {
    const c = v.variables[name];
    const mapped = template?.variableMap[name] !== undefined;
    if ((!c || c.source === '') && !mapped) errors[`variable:${name}`] = `Choose what fills {{${name}}}`;
    if (c?.source === 'text' && c.text.trim() === '') errors[`variable:${name}`] = `Type the words for {{${name}}}`;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v.startAt)) errors.startAt = 'Choose when it starts';
  if (!(v.windowStart < v.windowEnd)) errors.window = 'The send window must start before it ends';
  if (v.lastBefore && v.lastAfter && v.lastAfter >= v.lastBefore)
    errors.lastContact = '"Last contact after" must be before "last contact before"';
  return errors;
}

export function inputOfBroadcast(v: BroadcastForm, timeZone: string): BroadcastInput {
  const [name = '', language = ''] = v.template.split(':');
  const variables: Record<string, VariableSource> = {};
  for (const [variable, c] of Object.entries(v.variables)) {
    if (c.source === 'text') variables[variable] = { text: c.text.trim() };
    else if (c.source !== '') variables[variable] = c.source;
  }
  return {
    name: v.name.trim(),
    template: { name, language },
    variables,
    // The counters a send counts toward: one sale type per broadcast, the audience's when it names just one.
    sale_type: v.saleTypes.length === 1 && v.saleTypes[0] ? v.saleTypes[0] : 'membership',
    audience: {
      ...(v.statuses.length > 0 ? { statuses: v.statuses } : {}),
      ...(v.saleTypes.length > 0 ? { sale_types: v.saleTypes } : {}),
      ...(v.clubIds.length > 0 ? { club_ids: v.clubIds } : {}),
      ...(v.stageIds.length > 0 ? { stage_ids: v.stageIds } : {}),
      ...(v.labelIds.length > 0 ? { label_ids: v.labelIds } : {}),
      ...sourceAudienceOf(v.adSource),
      ...(v.lastBefore ? { last_contact_before: v.lastBefore } : {}),
      ...(v.lastAfter ? { last_contact_after: v.lastAfter } : {}),
      ...(v.consentRecorded ? { consent_recorded: true } : {}),
    },
    start_at: zonedToIso(v.startAt, timeZone) ?? new Date().toISOString(),
    send_window: { start: v.windowStart, end: v.windowEnd },
  };
}
