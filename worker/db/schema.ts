import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { Interactive } from '#common/interactive/interactive-rules';
import type { TemplateComponent } from '#common/templates/components';
import type { HeaderMedia } from '#common/templates/header-media';
import type {
  Audience,
  AwayReply,
  BroadcastAudience,
  BroadcastCreator,
  BroadcastState,
  ItemVariables,
  OccurrenceState,
  OpeningHours,
  QuickReplyAttachment,
  SendWindow,
  StoredLeadSource,
  Trigger,
  VariableMap,
} from './column-types';

// Every table carries company_id; every query filters on it. Ids exposed in URLs are random (see ids.ts).
// Times are epoch milliseconds (integer) so comparisons never depend on string formats.

const nowMs = (column = 'created_at') =>
  integer(column).notNull().default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const companies = sqliteTable(
  'companies',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    whatsappEnabled: integer('whatsapp_enabled', { mode: 'boolean' }).notNull().default(false),
    // The frequency cap (migrations/0026_broadcasts.sql): at most this many marketing templates per person in this
    // many days, broadcasts and automated items together (whatsapp/frequency-cap.ts). Admins change it.
    frequencyCapMax: integer('frequency_cap_max').notNull().default(2),
    frequencyCapDays: integer('frequency_cap_days').notNull().default(7),
    wabaId: text('waba_id'),
    phoneNumberId: text('phone_number_id'),
    displayPhoneNumber: text('display_phone_number'),
    // AES-GCM, "v1:<iv>:<ciphertext>" (see auth/crypto.ts); never returned by any route.
    accessTokenEnc: text('access_token_enc'),
    // Meta's throughput tier for the number; null means Meta's default, 80 messages per second.
    messagesPerSecond: integer('messages_per_second'),
    // ISO 3166-1 alpha-2: numbers typed without a country code are read as this country's (people/phone.ts).
    country: text('country'),
    // The platform admin switched WhatsApp off (0027): it stays off, and Embedded Signup is refused, until they
    // switch it on again.
    whatsappSwitchedOffAt: integer('whatsapp_switched_off_at'),
    // Meta's Conversions API for business messaging (worker/conversions/, migrations/0023_ad_leads.sql): the dataset
    // ad leads' events go to (null: none are reported), and what a Purchase is worth.
    metaDatasetId: text('meta_dataset_id'),
    conversionsCurrency: text('conversions_currency'),
    conversionsPurchaseValue: real('conversions_purchase_value'),
    createdAt: nowMs(),
  },
  (t) => [uniqueIndex('companies_phone_number_id').on(t.phoneNumberId)],
);

// A company's clubs (worker/clubs/). A company starts with one, made by a trigger on insert (0015).
export const clubs = sqliteTable(
  'clubs',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    timezone: text('timezone').notNull(),
    address: text('address'),
    assignment: text('assignment', { enum: ['manual', 'round_robin'] })
      .notNull()
      .default('manual'),
    // Opening hours, closed dates and the away reply (migrations/0018_club_hours.sql); null: always open.
    hours: text('hours', { mode: 'json' }).$type<OpeningHours>(),
    closedDates: text('closed_dates', { mode: 'json' }).$type<string[]>(),
    awayReply: text('away_reply', { mode: 'json' }).$type<AwayReply>(),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [
    index('clubs_company_created').on(t.companyId, t.createdAt, t.id),
    uniqueIndex('clubs_company_name').on(t.companyId, t.name),
  ],
);

// A company's lead stages, in order (worker/pipeline/). Every company starts with five, made by a trigger (0019).
export const pipelineStages = sqliteTable(
  'pipeline_stages',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    outcome: text('outcome', { enum: ['open', 'won', 'lost'] })
      .notNull()
      .default('open'),
    createdAt: nowMs(),
  },
  (t) => [index('pipeline_stages_company_position').on(t.companyId, t.position)],
);

// Free colour labels (worker/labels/), many per person through person_labels.
export const labels = sqliteTable(
  'labels',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    color: text('color').notNull(),
    createdAt: nowMs(),
  },
  (t) => [uniqueIndex('labels_company_name').on(t.companyId, t.name)],
);

export const personLabels = sqliteTable(
  'person_labels',
  {
    personId: text('person_id').notNull(),
    labelId: text('label_id').notNull(),
    companyId: text('company_id').notNull(),
    createdAt: nowMs(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.labelId] }),
    index('person_labels_label').on(t.companyId, t.labelId, t.personId),
  ],
);

// The business numbers Meta delivers to and we send from, each for one club, all under the company's WABA.
// The first (`isFirst`) mirrors companies.phone_number_id through triggers (0015); routing and sends read here.
export const whatsappNumbers = sqliteTable(
  'whatsapp_numbers',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    clubId: text('club_id').notNull(),
    phoneNumberId: text('phone_number_id').notNull(),
    displayPhoneNumber: text('display_phone_number'),
    // Null: the company's token. Never returned by any route.
    accessTokenEnc: text('access_token_enc'),
    messagesPerSecond: integer('messages_per_second'),
    isFirst: integer('is_first', { mode: 'boolean' }).notNull().default(false),
    disabledAt: integer('disabled_at'),
    createdAt: nowMs(),
  },
  (t) => [
    uniqueIndex('whatsapp_numbers_phone_number_id').on(t.phoneNumberId),
    uniqueIndex('whatsapp_numbers_company_first').on(t.companyId).where(sql`is_first = 1`),
    index('whatsapp_numbers_company_club').on(t.companyId, t.clubId, t.createdAt),
  ],
);

// Embedded Signup's progress (0027; worker/whatsapp/signup/): one row per attempt, `step` the next to run.
export const whatsappSignups = sqliteTable(
  'whatsapp_signups',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    clubId: text('club_id'),
    startedBy: text('started_by').notNull(),
    wabaId: text('waba_id').notNull(),
    phoneNumberId: text('phone_number_id').notNull(),
    businessId: text('business_id'),
    step: text('step', {
      enum: ['exchange_code', 'register_number', 'subscribe_app', 'fetch_number', 'connect', 'done'],
    }).notNull(),
    status: text('status', { enum: ['running', 'failed', 'connected', 'abandoned'] }).notNull(),
    // Sealed (auth/token-seal.ts); never returned by any route.
    codeEnc: text('code_enc'),
    codeExpiresAt: integer('code_expires_at'),
    tokenEnc: text('token_enc'),
    tokenExpiresAt: integer('token_expires_at'),
    pinEnc: text('pin_enc'),
    displayPhoneNumber: text('display_phone_number'),
    verifiedName: text('verified_name'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    claim: text('claim'),
    claimedUntil: integer('claimed_until'),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [index('whatsapp_signups_company_created').on(t.companyId, t.createdAt)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: nowMs(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash').on(t.keyHash)],
);

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    email: text('email').notNull(),
    name: text('name').notNull(),
    // auth/actor.ts ROLES; a salesperson sees only the people they own and unowned leads (#common/scope).
    role: text('role', { enum: ['admin', 'manager', 'staff', 'salesperson'] }).notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: nowMs(),
    // Set by an admin (settings); a deactivated user cannot log in and has no sessions.
    deactivatedAt: integer('deactivated_at'),
    // The clubs this user may see (migrations/0015_clubs_and_numbers.sql); null: every club of the company.
    clubIds: text('club_ids', { mode: 'json' }).$type<string[]>(),
    // On shift for round-robin (PUT /api/v1/me/shift); off by default and again at logout.
    onShift: integer('on_shift', { mode: 'boolean' }).notNull().default(false),
    // When round-robin last gave this user a lead: the next goes to whoever on shift waited longest.
    lastAssignedAt: integer('last_assigned_at'),
  },
  (t) => [
    // Login is by email alone, so an email belongs to one user across all companies.
    uniqueIndex('users_email').on(t.email),
    // Round-robin's pick: the company's users on shift, longest waiting first (migrations/0017_round_robin.sql).
    index('users_company_on_shift').on(t.companyId, t.lastAssignedAt, t.id).where(sql`on_shift = 1`),
  ],
);

// Staff sessions (worker/auth/sessions.ts): the cookie carries a random token, the table only its SHA-256.
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    companyId: text('company_id').notNull(),
    createdAt: nowMs(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const people = sqliteTable(
  'people',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    phone: text('phone'),
    // The id Meta knows this phone by (contacts[].wa_id, an inbound's `from`): not always the phone's digits.
    waId: text('wa_id'),
    email: text('email'),
    saleType: text('sale_type', { enum: ['membership', 'secondary'] })
      .notNull()
      .default('membership'),
    status: text('status', { enum: ['lead', 'member', 'former_member'] })
      .notNull()
      .default('lead'),
    membershipStart: text('membership_start'),
    membershipEnd: text('membership_end'),
    dateOfBirth: text('date_of_birth'),
    smsOptedOut: integer('sms_opted_out', { mode: 'boolean' }).notNull().default(false),
    whatsappOptedOut: integer('whatsapp_opted_out', { mode: 'boolean' }).notNull().default(false),
    // Meta error 131050: the person stopped marketing messages from this business.
    whatsappMarketingStopped: integer('whatsapp_marketing_stopped', { mode: 'boolean' }).notNull().default(false),
    // Mirror of the conversation object's last inbound time (Meta's timestamp), for reads only.
    whatsappLastInboundAt: integer('whatsapp_last_inbound_at'),
    // Meta's timestamp of the person's latest STOP / START, even one that changed nothing: an older keyword
    // delivered later must not override it (policy.keywordSupersedesSql).
    whatsappKeywordAt: integer('whatsapp_keyword_at'),
    // Inbox read state shared by the company's staff: inbound messages after this time count as unread.
    whatsappLastReadAt: integer('whatsapp_last_read_at'),
    // When the person's data was last erased on request (migrations/0011_person_erasure.sql): the row stays,
    // blanked, with its phone, so the number stays blocked until new consent (worker/people/erasure.ts).
    erasedAt: integer('erased_at'),
    // Who added the person (migrations/0013_people_directory.sql); null for people added before it was recorded.
    createdBy: text('created_by', { mode: 'json' }).$type<{ kind: string; id: string; name: string }>(),
    // 1 once the person has a conversation row, kept by triggers on `conversations`: "never messaged" is a
    // partial index over the people still at 0.
    hasConversation: integer('has_conversation', { mode: 'boolean' }).notNull().default(false),
    // The staff member who owns the lead (users.id in the same company; migrations/0014_lead_owners.sql). Null:
    // unassigned. Written only by people/owner.ts, with its history note and audit entry.
    ownerUserId: text('owner_user_id'),
    // The person's home club (migrations/0015_clubs_and_numbers.sql): set to the company's first club on insert
    // when none is given, by a trigger, so no path leaves anyone without one.
    clubId: text('club_id'),
    // The phone_number_id the person last wrote to, kept by the conversation object: sends go from it.
    lastNumberId: text('last_number_id'),
    // The person's stage on the company's pipeline (migrations/0019_pipeline_labels.sql): leads start in the first;
    // null is outside the pipeline. Written by pipeline/stage.ts with its history note and audit entry.
    stageId: text('stage_id'),
    stageChangedAt: integer('stage_changed_at'),
    // Speed to lead and the funnel (migrations/0021_reports.sql, kept by its triggers only): when the lead's clock
    // started (first inbound, or creation by an API key), the first message staff sent them that Meta accepted,
    // and when they first reached a won stage.
    leadAt: integer('lead_at'),
    firstReplyAt: integer('first_reply_at'),
    firstReplyBy: text('first_reply_by'),
    wonAt: integer('won_at'),
    // The ad that brought the person (Meta's referral source_id) and Meta's time of that message; the first and
    // latest ad as the API shows them (migrations/0023_ad_leads.sql; written by worker/ads/lead-source.ts).
    adSourceId: text('ad_source_id'),
    adLeadAt: integer('ad_lead_at'),
    leadSourceFirst: text('lead_source_first', { mode: 'json' }).$type<StoredLeadSource>(),
    leadSourceLatest: text('lead_source_latest', { mode: 'json' }).$type<StoredLeadSource>(),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [
    uniqueIndex('people_company_phone').on(t.companyId, t.phone),
    uniqueIndex('people_company_wa_id').on(t.companyId, t.waId),
    index('people_company_email').on(t.companyId, t.email),
    // The people list's order, id included for its keyset cursor (migrations/0008_list_indexes.sql).
    index('people_company_created_id').on(t.companyId, t.createdAt, t.id),
    index('people_company_membership_start').on(t.companyId, t.membershipStart),
    index('people_company_membership_end').on(t.companyId, t.membershipEnd),
    index('people_company_last_inbound').on(t.companyId, t.whatsappLastInboundAt),
    // The directory's filters, each in the list's order (people/list.ts).
    index('people_company_status_created').on(t.companyId, t.status, t.createdAt, t.id),
    index('people_company_sale_type_created').on(t.companyId, t.saleType, t.createdAt, t.id),
    index('people_company_club_created').on(t.companyId, t.clubId, t.createdAt, t.id),
    index('people_company_owner_created').on(t.companyId, t.ownerUserId, t.createdAt, t.id),
    index('people_company_stage_created').on(t.companyId, t.stageId, t.createdAt, t.id),
    index('people_company_stage_changed').on(t.companyId, t.stageId, t.stageChangedAt),
    index('people_company_never_messaged').on(t.companyId, t.createdAt, t.id).where(sql`has_conversation = 0`),
    index('people_company_lead')
      .on(t.companyId, t.leadAt, t.clubId, t.ownerUserId, t.firstReplyBy, t.firstReplyAt)
      .where(sql`lead_at IS NOT NULL`),
    index('people_company_unanswered')
      .on(t.companyId, t.leadAt, t.id)
      .where(sql`lead_at IS NOT NULL AND first_reply_at IS NULL`),
    index('people_company_won').on(t.companyId, t.wonAt, t.clubId, t.ownerUserId).where(sql`won_at IS NOT NULL`),
    index('people_company_ad_created')
      .on(t.companyId, t.adSourceId, t.createdAt, t.id)
      .where(sql`ad_source_id IS NOT NULL`),
    index('people_company_from_ad_created').on(t.companyId, t.createdAt, t.id).where(sql`ad_source_id IS NOT NULL`),
    index('people_company_ad_lead_at')
      .on(t.companyId, t.adLeadAt, t.adSourceId, t.stageId)
      .where(sql`ad_source_id IS NOT NULL`),
  ],
);

// Append-only (migrations/0010_audit_log.sql refuses UPDATE, and DELETE of rows under a year old): who changed
// what that matters for compliance. Written in the same D1 batch as the change it describes (worker/audit/).
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    at: integer('at').notNull(),
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    // CF-Connecting-IP of the request; null for changes no request made (webhooks, automations).
    ip: text('ip'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    // What changed, e.g. {"from":"staff","to":"manager"}; never a secret (tokens and keys are left out).
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_log_company_at').on(t.companyId, t.at, t.id),
    index('audit_log_company_action_at').on(t.companyId, t.action, t.at, t.id),
    index('audit_log_company_target_at').on(t.companyId, t.targetType, t.targetId, t.at, t.id),
    index('audit_log_company_actor_at').on(t.companyId, t.actorId, t.at, t.id),
  ],
);

// Append-only (triggers in the migration refuse UPDATE and DELETE): the proof Meta may ask for.
export const consentLog = sqliteTable(
  'consent_log',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    personId: text('person_id').notNull(),
    channel: text('channel', { enum: ['whatsapp', 'sms'] }).notNull(),
    action: text('action', { enum: ['opt_in', 'opt_out'] }).notNull(),
    method: text('method').notNull(),
    text: text('text'),
    capturedAt: integer('captured_at').notNull(),
    evidenceUrl: text('evidence_url'),
    // Who recorded it: {"kind":"api_key"|"user"|"whatsapp", "id", "name"}
    actor: text('actor', { mode: 'json' }).notNull(),
    recordedAt: nowMs('recorded_at'),
  },
  (t) => [index('consent_log_person').on(t.companyId, t.personId, t.recordedAt)],
);

export const historyNotes = sqliteTable(
  'history_notes',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    personId: text('person_id').notNull(),
    type: text('type', {
      enum: [
        'whatsapp_sent',
        'whatsapp_received',
        'whatsapp_opt_out',
        'whatsapp_opt_in',
        'whatsapp_event',
        'owner_changed',
        'stage_changed',
        // An internal note by staff (worker/notes/): never sent, counted nowhere (migrations/0020_notes_mentions.sql).
        'note',
      ],
    }).notNull(),
    // Message notes: the WhatsApp message id is unique per company, so a redelivered webhook inserts nothing.
    wamid: text('wamid'),
    messageType: text('message_type'),
    body: text('body'),
    // Template {name, language, params}, media {id, mime_type, caption...}, location, reaction, etc.
    content: text('content', { mode: 'json' }),
    contextWamid: text('context_wamid'),
    // Meta's referral object of an inbound message from an ad, as sent (migrations/0023_ad_leads.sql).
    referral: text('referral', { mode: 'json' }),
    // The business number an inbound message came in on; its triggers count it and open that number's window
    // (migrations/0031). Null on everything else and on inbound notes stored before it.
    phoneNumberId: text('phone_number_id'),
    saleType: text('sale_type', { enum: ['membership', 'secondary'] }),
    status: text('status'),
    statusAt: integer('status_at'),
    error: text('error', { mode: 'json' }),
    actor: text('actor', { mode: 'json' }),
    // What Meta bills an outbound message as: marketing, utility, authentication, or service (free text).
    category: text('category', { enum: ['marketing', 'utility', 'authentication', 'service'] }),
    // Meta's time for inbound messages, ours for everything else.
    occurredAt: integer('occurred_at').notNull(),
    createdAt: nowMs(),
    // A template send answered within 48 hours: when (migrations/0021_reports.sql; the reply's trigger sets it).
    repliedAt: integer('replied_at'),
    // The order messages appear in. Meta stamps inbound messages in whole seconds, our sends carry milliseconds:
    // a reply that arrives in the same second as our message was sent within that second and no later than it
    // reached us, so it takes the earlier of the two. Virtual, so an index serves a conversation's pages.
    inboxAt: integer('inbox_at').generatedAlwaysAs(
      sql`CASE WHEN type = 'whatsapp_received' THEN MIN(created_at, occurred_at + 999) ELSE occurred_at END`,
      { mode: 'virtual' },
    ),
  },
  (t) => [
    index('history_notes_person_inbox').on(t.companyId, t.personId, t.inboxAt, t.createdAt, t.id),
    uniqueIndex('history_notes_company_wamid').on(t.companyId, t.wamid),
    // A person's history newest first, in all and by type, with the cursor's whole key (0008_list_indexes.sql).
    index('history_notes_person_occurred').on(t.companyId, t.personId, t.occurredAt, t.createdAt, t.id),
    index('history_notes_person_type').on(t.companyId, t.personId, t.type, t.occurredAt, t.createdAt, t.id),
    // Reactions by the message they react to: inbox/messages.ts names the literal 'reaction' to use it.
    index('history_notes_person_reactions')
      .on(t.companyId, t.personId, sql`json_extract(${t.content}, '$.message_id')`, t.inboxAt, t.createdAt)
      .where(sql`${t.messageType} = 'reaction'`),
    index('history_notes_company_type_occurred').on(t.companyId, t.type, t.occurredAt),
  ],
);

export const counters = sqliteTable(
  'counters',
  {
    companyId: text('company_id').notNull(),
    personId: text('person_id').notNull(),
    channel: text('channel', { enum: ['whatsapp'] }).notNull(),
    saleType: text('sale_type', { enum: ['membership', 'secondary'] }).notNull(),
    sent: integer('sent').notNull().default(0),
    received: integer('received').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.personId, t.channel, t.saleType] })],
);

export const templates = sqliteTable(
  'templates',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    name: text('name').notNull(),
    language: text('language').notNull(),
    category: text('category', { enum: ['MARKETING', 'UTILITY', 'AUTHENTICATION'] }).notNull(),
    // Meta's status as last heard (APPROVED, PENDING, REJECTED, PAUSED, DISABLED...), or DELETED once a sync
    // finds it gone from Meta: the row stays for the history that used it.
    status: text('status').notNull(),
    // Meta's template id, kept as a string: webhooks send it as a JSON number.
    metaId: text('meta_id'),
    parameterFormat: text('parameter_format', { enum: ['POSITIONAL', 'NAMED'] })
      .notNull()
      .default('POSITIONAL'),
    components: text('components', { mode: 'json' }).$type<TemplateComponent[]>().notNull(),
    // Variable names in order: body first, then the header's (see common/templates/components.ts).
    variables: text('variables', { mode: 'json' }).$type<string[]>().notNull().default([]),
    variableMap: text('variable_map', { mode: 'json' }).$type<VariableMap>().notNull().default({}),
    rejectedReason: text('rejected_reason'),
    // A photo, video or document header's file for sends that name none (migration 0028).
    headerMedia: text('header_media', { mode: 'json' }).$type<HeaderMedia>(),
    // When the status was set: Meta's webhook `time`, or ours on create and sync. Older updates are ignored.
    statusAt: integer('status_at'),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [
    uniqueIndex('templates_company_name_language').on(t.companyId, t.name, t.language),
    index('templates_company_meta_id').on(t.companyId, t.metaId),
  ],
);

export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    companyId: text('company_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    // The message this key stands for, fixed before the send so a retried request can never send twice.
    messageId: text('message_id').notNull(),
    responseStatus: integer('response_status'),
    responseBody: text('response_body'),
    createdAt: nowMs(),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.key] }), index('idempotency_keys_created').on(t.createdAt)],
);

// Signed webhook payloads we could not parse: kept whole so nothing Meta sent is lost.
export const webhookDeadLetters = sqliteTable(
  'webhook_dead_letters',
  {
    id: text('id').primaryKey(),
    rawBody: text('raw_body').notNull(),
    error: text('error').notNull(),
    receivedAt: nowMs('received_at'),
  },
  (t) => [index('webhook_dead_letters_received').on(t.receivedAt)],
);

// Automated items. See migrations/0004_automations.sql.
export const automations = sqliteTable(
  'automations',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    templateName: text('template_name').notNull(),
    templateLanguage: text('template_language').notNull(),
    variables: text('variables', { mode: 'json' }).$type<ItemVariables>().notNull().default([]),
    // The file its template's photo, video or document header carries; null: the template's default (0028).
    headerMedia: text('header_media', { mode: 'json' }).$type<HeaderMedia>(),
    saleType: text('sale_type', { enum: ['membership', 'secondary'] }).notNull(),
    trigger: text('trigger', { mode: 'json' }).$type<Trigger>().notNull(),
    audience: text('audience', { mode: 'json' }).$type<Audience>(),
    sendWindow: text('send_window', { mode: 'json' }).$type<SendWindow>(),
    // Why the item switched itself off (its template stopped being APPROVED); cleared when re-enabled.
    pausedReason: text('paused_reason'),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [index('automations_company').on(t.companyId, t.createdAt), index('automations_enabled').on(t.enabled)],
);

export const automationRuns = sqliteTable(
  'automation_runs',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    automationId: text('automation_id').notNull(),
    kind: text('kind', { enum: ['cron', 'manual'] }).notNull(),
    startedAt: integer('started_at').notNull(),
  },
  (t) => [index('automation_runs_automation').on(t.automationId, t.startedAt)],
);

// One row per (item, person, moment it fell due), ever: the id is built from the three (occurrences.ts).
export const automationOccurrences = sqliteTable(
  'automation_occurrences',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    automationId: text('automation_id').notNull(),
    personId: text('person_id').notNull(),
    dueAt: integer('due_at').notNull(),
    runId: text('run_id').notNull(),
    state: text('state').$type<OccurrenceState>().notNull(),
    reason: text('reason'),
    messageId: text('message_id'),
    // The parameters resolved on the first attempt, so a redelivery sends the very same request.
    params: text('params', { mode: 'json' }).$type<string[] | Record<string, string>>(),
    enqueuedAt: integer('enqueued_at'),
    claimedAt: integer('claimed_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('automation_occurrences_run').on(t.runId, t.state),
    index('automation_occurrences_pending').on(t.automationId, t.state, t.enqueuedAt),
    // An erasure clears a person's fixed params (migrations/0011_person_erasure.sql).
    index('automation_occurrences_person').on(t.companyId, t.personId),
  ],
);

// Scheduled broadcasts (worker/whatsapp/broadcasts/, migrations/0026_broadcasts.sql).
export const broadcasts = sqliteTable(
  'broadcasts',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    name: text('name').notNull(),
    state: text('state').$type<BroadcastState>().notNull().default('draft'),
    templateName: text('template_name').notNull(),
    templateLanguage: text('template_language').notNull(),
    variables: text('variables', { mode: 'json' }).$type<ItemVariables>().notNull().default([]),
    // The file its template's photo, video or document header carries; null: the template's default (0028).
    headerMedia: text('header_media', { mode: 'json' }).$type<HeaderMedia>(),
    saleType: text('sale_type', { enum: ['membership', 'secondary'] }).notNull(),
    audience: text('audience', { mode: 'json' }).$type<BroadcastAudience>(),
    startAt: integer('start_at').notNull(),
    sendWindow: text('send_window', { mode: 'json' }).$type<SendWindow>(),
    createdBy: text('created_by', { mode: 'json' }).$type<BroadcastCreator>().notNull(),
    pausedReason: text('paused_reason'),
    // When its recipients were written (it started running); null before.
    recipientsAt: integer('recipients_at'),
    finishedAt: integer('finished_at'),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [
    index('broadcasts_company_created').on(t.companyId, t.createdAt, t.id),
    index('broadcasts_active').on(t.startAt).where(sql`state IN ('scheduled', 'running')`),
  ],
);

// One row per (broadcast, person), ever: the same columns as automation_occurrences (automations/claims.ts).
export const broadcastRecipients = sqliteTable(
  'broadcast_recipients',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    broadcastId: text('broadcast_id').notNull(),
    personId: text('person_id').notNull(),
    state: text('state').$type<OccurrenceState>().notNull(),
    reason: text('reason'),
    messageId: text('message_id'),
    params: text('params', { mode: 'json' }).$type<string[] | Record<string, string>>(),
    enqueuedAt: integer('enqueued_at'),
    claimedAt: integer('claimed_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('broadcast_recipients_state').on(t.broadcastId, t.state, t.enqueuedAt),
    index('broadcast_recipients_person').on(t.companyId, t.personId),
  ],
);

// Marketing templates claimed per person, for the frequency cap (whatsapp/frequency-cap.ts).
export const marketingSends = sqliteTable(
  'marketing_sends',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    personId: text('person_id').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('marketing_sends_person_at').on(t.companyId, t.personId, t.at), index('marketing_sends_at').on(t.at)],
);

// Web Push (worker/push/): one row per browser subscription, tied to the session that made it.
export const pushSubscriptions = sqliteTable(
  'push_subscriptions',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    sessionHash: text('session_hash').notNull(),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [
    uniqueIndex('push_subscriptions_endpoint').on(t.endpoint),
    index('push_subscriptions_company').on(t.companyId, t.userId),
  ],
);

// Saved answers (worker/quick-replies/), inserted with "/shortcut" in the composer.
export const quickReplies = sqliteTable(
  'quick_replies',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id')
      .notNull()
      .references(() => companies.id),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    /** Reply buttons or a list to ask with (migrations/0024); its body text is `text`. Null: plain text. */
    interactive: text('interactive', { mode: 'json' }).$type<Interactive>(),
    /** A file sent with the text (the timetable): column-types QuickReplyAttachment; migrations/0025. */
    attachment: text('attachment', { mode: 'json' }).$type<QuickReplyAttachment>(),
    createdAt: nowMs(),
    updatedAt: nowMs('updated_at'),
  },
  (t) => [uniqueIndex('quick_replies_shortcut').on(t.companyId, t.shortcut)],
);

/**
 * Files staff uploaded to Meta to send (POST /api/v1/whatsapp/media; migrations/0025). The id is Meta's media
 * id: a send by id must name one of the company's own uploads, and the history shows its name and size.
 */
export const whatsappMedia = sqliteTable('whatsapp_media', {
  id: text('id').primaryKey(),
  companyId: text('company_id')
    .notNull()
    .references(() => companies.id),
  /** The number it was uploaded for; its token fetches it back for the chat. */
  phoneNumberId: text('phone_number_id').notNull(),
  type: text('type', { enum: ['image', 'document', 'video', 'audio', 'sticker'] }).notNull(),
  mimeType: text('mime_type').notNull(),
  size: integer('size').notNull(),
  filename: text('filename'),
  actor: text('actor', { mode: 'json' }),
  createdAt: nowMs(),
});

// One row per person with WhatsApp messages, kept by triggers (migrations/0007_inbox_rows.sql) in the same
// statement as the note or person change that moves it. Written by nothing else; read by inbox/conversations.ts.
export const conversations = sqliteTable(
  'conversations',
  {
    personId: text('person_id').primaryKey(),
    companyId: text('company_id').notNull(),
    lastAt: integer('last_at').notNull(),
    lastCreatedAt: integer('last_created_at').notNull(),
    lastNoteId: text('last_note_id').notNull(),
    lastSentNoteId: text('last_sent_note_id'),
    lastSentOccurredAt: integer('last_sent_occurred_at'),
    lastSentCreatedAt: integer('last_sent_created_at'),
    lastInboundNoteId: text('last_inbound_note_id'),
    lastInboundAt: integer('last_inbound_at'),
    lastInboundCreatedAt: integer('last_inbound_created_at'),
    unreadCount: integer('unread_count').notNull().default(0),
    windowAt: integer('window_at'),
    optedOut: integer('opted_out').notNull().default(0),
    searchRowid: integer('search_rowid'),
    // Mirror of people.owner_user_id (0014_lead_owners.sql), for the inbox's Mine / Unassigned views.
    ownerUserId: text('owner_user_id'),
    // Mirror of people.club_id (0015_clubs_and_numbers.sql), for the club filter and club-limited users.
    clubId: text('club_id'),
    // Mirror of people.stage_id (0022_inbox_stage_filter.sql), for the inbox's stage filter.
    stageId: text('stage_id'),
    // Mirror of people.ad_source_id (0023_ad_leads.sql), for the inbox's ad filters.
    adSourceId: text('ad_source_id'),
  },
  (t) => [
    index('conversations_company_ad_last')
      .on(t.companyId, t.adSourceId, t.lastAt, t.personId)
      .where(sql`ad_source_id IS NOT NULL`),
    index('conversations_company_from_ad_last')
      .on(t.companyId, t.lastAt, t.personId)
      .where(sql`ad_source_id IS NOT NULL`),
    index('conversations_company_club_last').on(t.companyId, t.clubId, t.lastAt, t.personId),
    index('conversations_company_last').on(t.companyId, t.lastAt, t.personId, t.searchRowid),
    index('conversations_company_unread').on(t.companyId, t.lastAt, t.personId).where(sql`${t.unreadCount} > 0`),
    index('conversations_company_opted_out').on(t.companyId, t.lastAt, t.personId).where(sql`${t.optedOut} = 1`),
    index('conversations_search').on(t.searchRowid),
    index('conversations_company_window').on(t.companyId, t.windowAt, t.lastAt, t.personId),
    index('conversations_company_owner_last').on(t.companyId, t.ownerUserId, t.lastAt, t.personId),
    index('conversations_company_stage_last').on(t.companyId, t.stageId, t.lastAt, t.personId),
    index('conversations_company_owner_unread')
      .on(t.companyId, t.ownerUserId, t.unreadCount)
      .where(sql`${t.unreadCount} > 0`),
  ],
);

// Meta's 24-hour window per person and business number, for the phone that wrote (migrations/0030): written by the
// trigger of the inbound note that opens it (migrations/0031), read before every send (whatsapp/send-facts.ts).
export const conversationWindows = sqliteTable(
  'conversation_windows',
  {
    personId: text('person_id').notNull(),
    phoneNumberId: text('phone_number_id').notNull(),
    companyId: text('company_id').notNull(),
    phone: text('phone').notNull(),
    lastInboundAt: integer('last_inbound_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.personId, t.phoneNumberId] })],
);

// Report counters (worker/reports/), kept by triggers on history_notes (migrations/0021_reports.sql) and written
// by nothing else: messages per UTC quarter hour, club, user, template, automated item and category.
export const reportMessageCounts = sqliteTable(
  'report_message_counts',
  {
    companyId: text('company_id').notNull(),
    bucket: integer('bucket').notNull(),
    clubId: text('club_id').notNull().default(''),
    userId: text('user_id').notNull().default(''),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    template: text('template').notNull().default(''),
    automationId: text('automation_id').notNull().default(''),
    category: text('category').notNull().default(''),
    messages: integer('messages').notNull().default(0),
    delivered: integer('delivered').notNull().default(0),
    read: integer('read').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    replied: integer('replied').notNull().default(0),
  },
  (t) => [
    primaryKey({
      columns: [t.companyId, t.bucket, t.clubId, t.userId, t.direction, t.template, t.automationId, t.category],
    }),
  ],
);

export const reportFailures = sqliteTable(
  'report_failures',
  {
    companyId: text('company_id').notNull(),
    bucket: integer('bucket').notNull(),
    clubId: text('club_id').notNull().default(''),
    userId: text('user_id').notNull().default(''),
    code: text('code').notNull(),
    title: text('title'),
    failed: integer('failed').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.companyId, t.bucket, t.clubId, t.userId, t.code] })],
);

// Who a note mentions (worker/notes/, migrations/0020_notes_mentions.sql): one row per mentioned user, written in
// the note's batch; read_at once that user reads the person's conversation. The inbox's Mentions view reads the
// unread rows of one user through mentions_user_unread.
export const mentions = sqliteTable(
  'mentions',
  {
    noteId: text('note_id').notNull(),
    userId: text('user_id').notNull(),
    companyId: text('company_id').notNull(),
    personId: text('person_id').notNull(),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
  },
  (t) => [
    primaryKey({ columns: [t.noteId, t.userId] }),
    index('mentions_user_unread').on(t.companyId, t.userId, t.personId).where(sql`read_at IS NULL`),
  ],
);

// Ad leads' events for Meta's Conversions API (worker/conversions/): one row per person and event, ever.
export const conversionEvents = sqliteTable(
  'conversion_events',
  {
    id: text('id').primaryKey(),
    companyId: text('company_id').notNull(),
    personId: text('person_id').notNull(),
    event: text('event', { enum: ['LeadSubmitted', 'Purchase'] }).notNull(),
    datasetId: text('dataset_id').notNull(),
    ctwaClid: text('ctwa_clid').notNull(),
    eventTime: integer('event_time').notNull(),
    state: text('state', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: integer('lease_until'),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    error: text('error', { mode: 'json' }),
    sentAt: integer('sent_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('conversion_events_person_event').on(t.personId, t.event),
    index('conversion_events_pending').on(t.nextAttemptAt).where(sql`state = 'pending'`),
    // Settings' recent events, newest first (conversions/events-list.ts, migrations/0029).
    index('conversion_events_company_created').on(t.companyId, t.createdAt, t.id),
  ],
);
