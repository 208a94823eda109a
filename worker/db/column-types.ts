// The shapes kept in typed columns (JSON and enums): a template variable's source, and what an automated item
// is made of. Shared by the table definitions (schema.ts), the features' schemas and the sweep.
import type { PersonField } from '#common/person-fields';

/** A person field by name, or `{ text }` for the same words to everyone. */
export type VariableSource = PersonField | { text: string };
/** Variable name (`"1"`, `"first_name"`, `"header.1"`) -> where its value comes from. */
export type VariableMap = Record<string, VariableSource>;

export type Trigger =
  | { event: 'person_created'; offset_hours: number }
  | { event: 'membership_start' | 'membership_end'; offset_days: number }
  | { event: 'date_of_birth' }
  | { event: 'no_reply'; offset_hours: number }
  /** Hours after a person's stage became `stage_id` (pipeline/stage.ts keeps people.stage_changed_at). */
  | { event: 'stage_changed'; stage_id: string; offset_hours: number };

export type TriggerEvent = Trigger['event'];

export interface Audience {
  statuses?: ('lead' | 'member' | 'former_member')[];
  sale_types?: ('membership' | 'secondary')[];
  /** Only people of these clubs (their home club); absent: every club. */
  club_ids?: string[];
  /** Only people in one of these pipeline stages; absent: any stage, or none. */
  stage_ids?: string[];
  /** Only people wearing at least one of these labels; absent: labels do not matter. */
  label_ids?: string[];
  /** 'ad': only people who came from a click-to-WhatsApp ad (people.ad_source_id, migrations/0023). */
  source?: 'ad';
  /** Only people who came from one of these ads (Meta's referral source_id). */
  ad_ids?: string[];
}

/**
 * A broadcast's audience (whatsapp/broadcasts/audience.ts): the automated items' fields, stages and labels, when
 * the person was last in contact (their conversation's latest message either way; never: before any date), and
 * whether recorded WhatsApp consent is required (people without it are skipped `no_consent`).
 */
export interface BroadcastAudience extends Audience {
  stage_ids?: string[];
  label_ids?: string[];
  /** YYYY-MM-DD, in the company's timezone: last contact before the start of that day (or never). */
  last_contact_before?: string;
  /** YYYY-MM-DD: last contact on or after that day. */
  last_contact_after?: string;
  consent_recorded?: boolean;
}

export type BroadcastState = 'draft' | 'scheduled' | 'running' | 'paused' | 'cancelled' | 'finished';

/** Who made a broadcast, and the clubs they were limited to then (null: every club): its audience stays inside. */
export interface BroadcastCreator {
  kind: string;
  id: string;
  name: string;
  club_ids: string[] | null;
}

/** Local times "HH:MM" in the company's timezone; `end` may be "24:00". */
export interface SendWindow {
  start: string;
  end: string;
}

/** In the order of `{{1}}`, `{{2}}`... for POSITIONAL templates; by variable name for NAMED ones. */
export type ItemVariables = VariableSource[] | Record<string, VariableSource>;

export type OccurrenceState = 'pending' | 'sent' | 'skipped' | 'failed';

/** A club's automatic answer to messages outside its opening hours (whatsapp/away-reply.ts). */
export interface AwayReply {
  enabled: boolean;
  /** May use {{first_name}} and {{opens_at}} ("06:00 tomorrow"). */
  text: string;
  /** Reply button titles (up to 3): the reply then asks with buttons under its text. */
  buttons?: string[];
}

/** Monday first, as the clubs API names them. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** Local "HH:MM" pairs; an end not after its start runs past midnight into the next day ("24:00" ends the day). */
export type Interval = [string, string];
/** A club's opening hours per weekday, in its time zone (clubs/hours.ts). */
export type OpeningHours = Record<Weekday, Interval[]>;

/**
 * A quick reply's file (the timetable), sent with its text as the caption: one of the company's uploads (`id`,
 * which Meta keeps 30 days from `uploaded_at`) or a public `link` Meta fetches at each send.
 */
export interface QuickReplyAttachment {
  type: 'image' | 'document' | 'video' | 'audio' | 'sticker';
  id?: string;
  link?: string;
  filename?: string;
  mime_type?: string;
  size?: number;
  /** When the id was uploaded (ms): Meta forgets it 30 days later. */
  uploaded_at?: number;
}

/** Meta's referral fields of a message from an ad (worker/ads/referral.ts), each null when Meta left it out. */
export interface AdReferral {
  source_url: string | null;
  source_id: string | null;
  source_type: string | null;
  headline: string | null;
  body: string | null;
  media_type: string | null;
  image_url: string | null;
  video_url: string | null;
  thumbnail_url: string | null;
  ctwa_clid: string | null;
  welcome_message: { text: string } | null;
}

/** A person's first or latest ad as stored: the referral, Meta's time of its message (ms) and that note's id. */
export type StoredLeadSource = AdReferral & { at: number; note_id: string };
