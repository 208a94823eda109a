// An automated item read back as one sentence: "3 days after a membership ends, at 09:00-20:00 London time,
// send win_back to former members". Pure, so the form can rebuild it on every keystroke and tests can read it.
// The words follow the server's rules (worker/whatsapp/automations/triggers.ts): date triggers go at the start
// of the send window on their day, hour triggers as soon as they fall due inside it.
import type { Audience, AutomationTrigger, PersonStatus, SaleType, SendWindow } from '../../lib/api/automations';

export interface SentenceInput {
  trigger: AutomationTrigger;
  sendWindow: SendWindow;
  /** Null while no template is chosen yet. */
  templateName: string | null;
  audience: Audience | null;
  /** The company's IANA timezone (me.company.timezone). */
  timeZone: string;
  /** Stage names by id, for the stage_changed trigger and the audience; without them it says "a stage". */
  stageNames?: Readonly<Record<string, string>>;
  /** Label names by id, for the audience. */
  labelNames?: Readonly<Record<string, string>>;
}

/** "a", "a or b", "a, b or c": stages and labels match any of those named. */
export function anyWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

const STATUS_WORDS: Record<PersonStatus, string> = {
  lead: 'leads',
  member: 'members',
  former_member: 'former members',
};

export const SALE_TYPE_WORDS: Record<SaleType, string> = {
  membership: 'Membership',
  secondary: 'Secondary Sales',
};

/** "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? '';
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function dayOffset(days: number, event: string): string {
  if (days === 0) return `On the day ${event}`;
  return `${plural(Math.abs(days), 'day')} ${days > 0 ? 'after' : 'before'} ${event}`;
}

/** When it falls due, as the start of a sentence. */
export function triggerWords(trigger: AutomationTrigger, stageNames: Readonly<Record<string, string>> = {}): string {
  switch (trigger.event) {
    case 'stage_changed': {
      const stage = stageNames[trigger.stage_id] ?? 'a chosen stage';
      return trigger.offset_hours === 0
        ? `As soon as a person's stage becomes ${stage}`
        : `${plural(trigger.offset_hours, 'hour')} after a person's stage becomes ${stage}`;
    }
    case 'person_created':
      return trigger.offset_hours === 0
        ? 'As soon as a person is added'
        : `${plural(trigger.offset_hours, 'hour')} after a person is added`;
    case 'membership_start':
      return dayOffset(trigger.offset_days, 'a membership starts');
    case 'membership_end':
      return dayOffset(trigger.offset_days, 'a membership ends');
    case 'date_of_birth':
      return "On a person's birthday";
    case 'no_reply':
      return `${plural(trigger.offset_hours, 'hour')} after a person's last message, if nobody has written to them since`;
  }
}

/** "Europe/London" -> "London time"; "America/New_York" -> "New York time"; "UTC" -> "UTC". */
export function timeZoneWords(timeZone: string): string {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 'UTC';
  const city = timeZone.split('/').pop() ?? timeZone;
  return `${city.replace(/_/g, ' ')} time`;
}

export const windowWords = (w: SendWindow, timeZone: string): string =>
  `${w.start}-${w.end} ${timeZoneWords(timeZone)}`;

/**
 * Who it goes to: "former members", "leads and members on Secondary Sales", "everyone", "leads in Tour booked or
 * Trial wearing Student".
 */
export function audienceWords(
  audience: Audience | null,
  stageNames: Readonly<Record<string, string>> = {},
  labelNames: Readonly<Record<string, string>> = {},
): string {
  const stages = (audience?.stage_ids ?? []).map((id) => stageNames[id] ?? 'a removed stage');
  const labels = (audience?.label_ids ?? []).map((id) => labelNames[id] ?? 'a deleted label');
  const where = [
    ...(stages.length ? [`in ${anyWords(stages)}`] : []),
    ...(labels.length ? [`wearing ${anyWords(labels)}`] : []),
    // The lead source: one ad by its id (the form names it), or any ad.
    ...(audience?.ad_ids?.length ? ['from the chosen ad'] : audience?.source === 'ad' ? ['from an ad'] : []),
  ];
  const who = whoWords(audience);
  return where.length ? `${who} ${where.join(' ')}` : who;
}

function whoWords(audience: Audience | null): string {
  const statuses = audience?.statuses ?? [];
  const saleTypes = audience?.sale_types ?? [];
  // Every status (or none) ticked is nobody left out.
  const who =
    statuses.length === 0 || statuses.length === 3 ? 'everyone' : listWords(statuses.map((s) => STATUS_WORDS[s]));
  if (saleTypes.length !== 1) return who;
  const [only] = saleTypes;
  return only ? `${who} on ${SALE_TYPE_WORDS[only]}` : who;
}

export function automationSentence(input: SentenceInput): string {
  const template = input.templateName ?? 'a template (not chosen yet)';
  // Date triggers go at the start of the window on their day; the others whenever they fall due inside it.
  const hourly = ['person_created', 'no_reply', 'stage_changed'].includes(input.trigger.event);
  const at = hourly ? 'within' : 'at';
  return `${triggerWords(input.trigger, input.stageNames)}, ${at} ${windowWords(input.sendWindow, input.timeZone)}, send ${template} to ${audienceWords(input.audience, input.stageNames, input.labelNames)}`;
}
