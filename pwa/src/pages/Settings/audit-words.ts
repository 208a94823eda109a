// The audit log in words: what each entry did, who did it, and the groups the filter offers. Keyed by the
// actions the server's OpenAPI document lists, so a new action fails to compile until it has its words here.
import type { AuditAction, AuditEntry } from '../../lib/api/settings';

export type AuditGroup =
  | 'consent'
  | 'people'
  | 'pipeline'
  | 'templates'
  | 'automations'
  | 'users'
  | 'api_keys'
  | 'whatsapp';

export const GROUP_LABELS: Record<AuditGroup, string> = {
  consent: 'Consent and opt-outs',
  people: 'Phone numbers, exports, erasures',
  pipeline: 'Stages and labels',
  templates: 'Templates',
  automations: 'Automated items',
  users: 'Users and roles',
  api_keys: 'API keys',
  whatsapp: 'WhatsApp settings, clubs and numbers',
};

const GROUP_OF: Record<AuditAction, AuditGroup> = {
  'consent.recorded': 'consent',
  'person.opted_out': 'consent',
  'person.opted_in': 'consent',
  'person.phone_changed': 'people',
  'person.owner_changed': 'people',
  'person.exported': 'people',
  'person.erased': 'people',
  'template.created': 'templates',
  'template.updated': 'templates',
  'template.deleted': 'templates',
  'template.status_changed': 'templates',
  'template.review_simulated': 'templates',
  'automation.created': 'automations',
  'automation.updated': 'automations',
  'automation.deleted': 'automations',
  'user.created': 'users',
  'user.updated': 'users',
  'user.role_changed': 'users',
  'user.clubs_changed': 'users',
  'user.deactivated': 'users',
  'user.reactivated': 'users',
  'api_key.created': 'api_keys',
  'api_key.revoked': 'api_keys',
  'whatsapp.settings_changed': 'whatsapp',
  'club.created': 'whatsapp',
  'club.updated': 'whatsapp',
  'whatsapp.number_added': 'whatsapp',
  'whatsapp.number_changed': 'whatsapp',
  'whatsapp.number_disabled': 'whatsapp',
  'person.stage_changed': 'pipeline',
  'person.labels_changed': 'pipeline',
  'person.note_added': 'people',
  'pipeline.changed': 'pipeline',
  'label.created': 'pipeline',
  'label.updated': 'pipeline',
  'label.deleted': 'pipeline',
};

/** The actions a group filter asks the server for. */
export const actionsOf = (group: AuditGroup): AuditAction[] =>
  (Object.keys(GROUP_OF) as AuditAction[]).filter((a) => GROUP_OF[a] === group);

type Details = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

const shown = (x: unknown): string =>
  x === null || x === undefined || x === '' ? 'none' : typeof x === 'string' ? x : JSON.stringify(x);

/** `{from, to}` as "a → b", or null when the value is not such a pair. */
function fromTo(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || !('to' in v)) return null;
  const pair = v as { from?: unknown; to?: unknown };
  return `${shown(pair.from)} → ${shown(pair.to)}`;
}

const channelOf = (d: Details): string => (d.channel === 'sms' ? 'SMS' : 'WhatsApp');

const FIELD_WORDS: Record<string, string> = {
  enabled: 'on/off',
  paused_reason: 'pause reason',
  send_window: 'send window',
  sale_type: 'sale type',
  waba_id: 'WABA id',
  phone_number_id: 'phone number id',
  display_phone_number: 'number',
  messages_per_second: 'messages per second',
  access_token: 'access token',
  variable_map: 'variable mapping',
  meta_id: "Meta's id",
  parameter_format: 'variable style',
  rejected_reason: 'rejection reason',
};
const fieldWord = (key: string): string => FIELD_WORDS[key] ?? key.replace(/_/g, ' ');

/** "name, trigger" from `{changed: {name: …, trigger: …}}` (or a list of field names). */
function changedFields(d: Details): string {
  const changed = d.changed;
  const keys = Array.isArray(changed)
    ? changed.filter((k): k is string => typeof k === 'string')
    : typeof changed === 'object' && changed !== null
      ? Object.keys(changed)
      : [];
  return keys.map(fieldWord).join(', ');
}

/** An automated item's change of `enabled`, and why ClubChat paused it when it did. */
function switched(d: Details): { to: 'off' | 'on'; reason: string | null } | null {
  const changed = d.changed;
  if (typeof changed !== 'object' || changed === null || !('enabled' in changed)) return null;
  const { enabled, paused_reason: paused } = changed as {
    enabled?: { to?: unknown };
    paused_reason?: { to?: unknown };
  };
  return { to: enabled?.to === false ? 'off' : 'on', reason: str(paused?.to) };
}

type Sentence = (d: Details) => string;

/** A stage change's {from, to} as their names. */
function stageNames(d: Details): Details {
  const name = (v: unknown) => (typeof v === 'object' && v !== null && 'name' in v ? str((v as Details).name) : null);
  return { from: name(d.from), to: name(d.to) };
}

function labelChanges(d: Details): string {
  const names = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const parts = [
    names(d.added).length ? `added ${names(d.added).join(', ')}` : '',
    names(d.removed).length ? `removed ${names(d.removed).join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? `Labels: ${parts.join('; ')}` : 'Changed the labels';
}

const WHAT: Record<AuditAction, Sentence> = {
  'consent.recorded': (d) => `Recorded ${channelOf(d)} consent (${str(d.method) ?? 'no method given'})`,
  'person.opted_out': (d) =>
    d.method === 'whatsapp_keyword'
      ? `Opted out of ${channelOf(d)} by sending ${str(d.keyword) ?? 'STOP'}`
      : `Opted out of ${channelOf(d)}${str(d.reason) ? `: ${str(d.reason)}` : ''}`,
  'person.opted_in': (d) =>
    d.method === 'whatsapp_keyword'
      ? `Opted back in to ${channelOf(d)} by sending ${str(d.keyword) ?? 'START'}`
      : `Opted in to ${channelOf(d)} with consent (${str(d.method) ?? 'no method given'})`,
  'person.phone_changed': (d) => `Changed the phone: ${fromTo(d) ?? 'new number'}`,
  'person.owner_changed': (d) =>
    d.to === null ? 'Left the lead with no owner' : `Changed the lead's owner: ${fromTo(d) ?? 'new owner'}`,
  'person.exported': () => "Exported the person's data",
  'person.erased': () => 'Erased the person',
  'template.created': (d) =>
    d.source === 'meta_sync' ? 'Imported from Meta by a sync' : `Submitted to Meta (${str(d.category) ?? 'template'})`,
  'template.updated': (d) =>
    d.category !== undefined
      ? `Meta moved it to another category: ${fromTo(d.category) ?? 'changed'}`
      : d.variable_map !== undefined
        ? 'Changed which fields fill its variables'
        : `Meta changed its ${changedFields(d) || 'content'}`,
  'template.deleted': () => 'Deleted at Meta and here',
  'template.status_changed': (d) =>
    `Status ${fromTo(d) ?? 'changed'}${str(d.reason) && d.reason !== 'NONE' ? ` (${str(d.reason)})` : ''}`,
  'template.review_simulated': (d) =>
    `Played Meta's reviewer (sandbox): ${str(d.event) ?? `category ${str(d.category) ?? 'changed'}`}`,
  'automation.created': (d) => `Created${d.enabled === false ? ', switched off' : ''}`,
  'automation.updated': (d) => {
    const s = switched(d);
    if (s?.to === 'off') return s.reason ? `Switched off: ${s.reason}` : 'Switched off';
    if (s?.to === 'on') return 'Switched on';
    return `Changed its ${changedFields(d) || 'settings'}`;
  },
  'automation.deleted': () => 'Deleted',
  'user.created': (d) => `Created the login${str(d.role) ? ` as ${str(d.role)}` : ''}`,
  'user.updated': (d) => `Changed the ${changedFields(d) || 'details'}`,
  'user.role_changed': (d) => `Role ${fromTo(d) ?? 'changed'}`,
  'user.clubs_changed': (d) =>
    d.to === null ? 'May now see every club' : `Limited to ${Array.isArray(d.to) ? d.to.length : 'some'} club(s)`,
  'user.deactivated': () => 'Deactivated: logged out everywhere',
  'user.reactivated': () => 'Restored',
  'api_key.created': (d) => `Created${str(d.prefix) ? ` (${str(d.prefix)}…)` : ''}`,
  'api_key.revoked': () => 'Revoked',
  'whatsapp.settings_changed': (d) => `Changed ${changedFields(d) || 'the settings'}`,
  'club.created': () => 'Added the club',
  'club.updated': (d) => `Changed the club's ${changedFields(d) || 'details'}`,
  'whatsapp.number_added': () => 'Connected the number',
  'whatsapp.number_changed': (d) =>
    d.enabled === true ? 'Switched the number back on' : 'Moved the number to another club',
  'whatsapp.number_disabled': () => 'Switched the number off: it sends nothing',
  'person.stage_changed': (d) => `Changed the lead's stage: ${fromTo(stageNames(d)) ?? 'new stage'}`,
  'person.labels_changed': (d) => labelChanges(d),
  'person.note_added': (d) =>
    Array.isArray(d.mentions) && d.mentions.length > 0
      ? `Added a note mentioning ${d.mentions.length} ${d.mentions.length === 1 ? 'person' : 'people'}`
      : 'Added a note',
  'pipeline.changed': () => 'Changed the pipeline’s stages',
  'label.created': () => 'Added the label',
  'label.updated': () => 'Renamed or recoloured the label',
  'label.deleted': () => 'Deleted the label: it came off everyone wearing it',
};

/** What the entry did, in a sentence. */
export const whatOf = (e: Pick<AuditEntry, 'action' | 'details'>): string => WHAT[e.action](e.details ?? {});

const TARGET_WORDS: Record<AuditEntry['target']['type'], string> = {
  person: 'Person',
  template: 'Template',
  automation: 'Automated item',
  user: 'User',
  api_key: 'API key',
  company: 'WhatsApp number',
  club: 'Club',
  whatsapp_number: 'WhatsApp number',
  label: 'Label',
};

/** What the entry is about: "Template class_reminder (en_GB)"; a person no longer here says so. */
export function targetOf(e: Pick<AuditEntry, 'target'>): string {
  const kind = TARGET_WORDS[e.target.type];
  if (e.target.type === 'company') return kind;
  if (e.target.label) return `${kind}: ${e.target.label}`;
  return e.target.type === 'person' ? 'A person no longer in ClubChat' : `${kind} ${e.target.id}`;
}

const ACTOR_WORDS: Record<AuditEntry['actor']['kind'], (name: string) => string> = {
  user: (name) => name,
  api_key: (name) => `API key “${name}”`,
  whatsapp: (name) => `${name}, on WhatsApp`,
  system: (name) => name,
  automation: (name) => `Automated item “${name}”`,
  platform_admin: (name) => name,
};

/** Who did it, and from where when a request did. */
export function whoOf(e: Pick<AuditEntry, 'actor' | 'ip'>): string {
  const who = ACTOR_WORDS[e.actor.kind](e.actor.name);
  return e.ip ? `${who} · from ${e.ip}` : who;
}
