// The inbox's conversation rows: one per person with WhatsApp messages, newest last message first. Read from
// the `conversations` table, which triggers keep in step with history (migrations/0007_inbox_rows.sql), joined
// by primary key to the person and to the notes it points at: a page costs the same at any size of history.
// Only the rows of people the caller may see (auth/scope-sql.ts): the row carries its person's club and owner
// (migrations/0014, 0015), so a club-limited user's one club walks conversations_company_club_last in order.
// Stages and labels (`stage=`, `label=`, any of several): the row mirrors its person's stage too (0022), so one
// stage walks conversations_company_stage_last in order and several are such walks merged (MERGE (UNION ALL)).
// A person has many labels, so no column mirrors them; a label filter reads person_labels, one of two ways
// (labelPlan): a label worn by few people walks their (company, label, person) index range and looks each
// conversation up by its key, sorting only those; one worn by many walks the inbox in order and probes each
// row's (person, label) primary key, stopping at a page.
import { z } from '@hono/zod-openapi';
import { type Scope, UNSCOPED, visible } from '#common/scope';
import { inline, scopeArms } from '../auth/scope-sql';
import type { ReadDb } from '../db/company-data';
import { unionAll } from '../db/compound';
import { type CursorQuery, keysetPage, type Pagination, startOf, wantsTotal } from '../pagination';
import type { OwnerFilter } from '../people/list-filters';
import { searchMatch } from '../people/search';
import { isWindowOpen, SERVICE_WINDOW_MS, windowExpiresAt } from '../whatsapp/policy';
import type { ConversationJson, ConversationListQuery } from './schemas';

interface Row {
  id: string;
  first_name: string;
  last_name: string | null;
  phone: string | null;
  whatsapp_opted_out: number;
  whatsapp_last_inbound_at: number | null;
  /** The inbox order time (history_notes.inbox_at); `last_occurred_at` is the message's own time. */
  last_at: number;
  last_occurred_at: number;
  last_id: string | null;
  last_type: 'whatsapp_sent' | 'whatsapp_received' | null;
  last_message_type: string | null;
  last_body: string | null;
  last_status: string | null;
  unread: number;
  last_sent_status: string | null;
  owner_user_id: string | null;
  club_id: string | null;
  status: string;
  /** The caller's unread mentions in this person's notes (migrations/0020): one probe of mentions_user_unread. */
  mentions_unread: number;
}

/** The caller's unread mentions of one person (`me`: the parameter holding their user id; null for an API key). */
const mentionsOf = (person: string, me: string) =>
  `(SELECT COUNT(*) FROM mentions m WHERE m.company_id = ?1 AND m.user_id = ${me} AND m.person_id = ${person}
      AND m.read_at IS NULL)`;

/** A page of conversation keys (the CTE `page`), shown with their row, person and notes; `me` as in mentionsOf. */
const show = (me: string) => `
SELECT c.person_id AS id, p.first_name, p.last_name, p.phone, p.whatsapp_opted_out, p.whatsapp_last_inbound_at,
       c.last_at, l.occurred_at AS last_occurred_at, l.id AS last_id, l.type AS last_type,
       l.message_type AS last_message_type, l.body AS last_body, l.status AS last_status,
       c.unread_count AS unread, s.status AS last_sent_status, c.owner_user_id, p.club_id, p.status,
       ${mentionsOf('c.person_id', me)} AS mentions_unread
  FROM page k
  JOIN conversations c ON c.person_id = k.person_id
  JOIN people p ON p.id = c.person_id
  LEFT JOIN history_notes l ON l.id = c.last_note_id
  LEFT JOIN history_notes s ON s.id = c.last_sent_note_id
 ORDER BY c.last_at DESC, c.person_id DESC`;

/** The list's sort key, as a cursor carries it. */
const cursorKey = z.tuple([z.number().int(), z.string().max(64)]);

const MEDIA_LABELS: Record<string, string> = {
  image: '📷 Photo',
  video: '🎥 Video',
  audio: '🎤 Audio',
  document: '📎 Document',
  sticker: 'Sticker',
  location: '📍 Location',
  contacts: '👤 Contact',
  template: 'Template',
  unsupported: 'Unsupported message',
};

export function previewOf(messageType: string | null, body: string | null): string {
  const label = MEDIA_LABELS[messageType ?? ''];
  if (body && label && messageType !== 'template') return `${label}: ${body}`;
  return body ?? label ?? '';
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function serialize(row: Row, now: number): ConversationJson {
  const expires = windowExpiresAt(row.whatsapp_last_inbound_at);
  const open = isWindowOpen(row.whatsapp_last_inbound_at, now);
  return {
    person_id: row.id,
    name: [row.first_name, row.last_name].filter(Boolean).join(' '),
    phone: row.phone,
    last_message:
      row.last_id && row.last_type
        ? {
            id: row.last_id,
            direction: row.last_type === 'whatsapp_sent' ? 'outbound' : 'inbound',
            message_type: row.last_message_type,
            preview: previewOf(row.last_message_type, row.last_body),
            status: row.last_status,
            occurred_at: new Date(row.last_occurred_at).toISOString(),
          }
        : null,
    last_message_at: row.last_id ? iso(row.last_occurred_at) : null,
    unread_count: row.unread,
    window_open: open,
    window_expires_at: open ? iso(expires) : null,
    opted_out: row.whatsapp_opted_out === 1,
    last_failed: row.last_sent_status === 'failed',
    owner_user_id: row.owner_user_id,
    club_id: row.club_id,
    mentions_unread: row.mentions_unread,
  };
}

export type { OwnerFilter };

/**
 * What a list is narrowed to: the caller's scope (always), and the `owner=`, `club=`, `stage=` and `label=`
 * filters asked for (stages and labels: any of these ids; empty or absent, no filter).
 */
export interface ConversationView {
  scope: Scope;
  owner: OwnerFilter | null;
  club: string | null;
  stages?: readonly string[];
  labels?: readonly string[];
  /** The caller's user id (null for an API key): whose unread mentions each row counts. */
  me?: string | null;
  /** Only conversations with unread mentions of `me` (the Mentions view). */
  mentions?: boolean;
}

const ALL: ConversationView = { scope: UNSCOPED, owner: null, club: null };

/** The columns the scope rule reads, on a conversation row: its club and owner mirrors, its person's status. */
export const CONVERSATION_SCOPE_COLUMNS = {
  club: 'c.club_id',
  owner: 'c.owner_user_id',
  status: '(SELECT status FROM people WHERE id = c.person_id)',
};

interface Filter {
  /** The FROM clause: the table, or the search matches joined to it (CROSS JOIN keeps that order). */
  from: string;
  where: string[];
  binds: unknown[];
  /**
   * Conditions of walks to merge in order, each an index range in the list's order: a salesperson's scope
   * (scope-sql.ts's arms: their own rows, and unowned leads'), several stages (one walk each), or both (each
   * pair). Null: the scope and the stages, if any, are in `where`.
   */
  arms: string[] | null;
}

/** Matches past this many make a search "broad": cheaper to walk the list in order than to sort them. */
const BROAD_SEARCH = 1000;

/** People wearing the labels past this many make a label filter "broad", as for a search. */
const BROAD_LABEL = 1000;

/**
 * How to serve `label=`: 'narrow' drives the walk from person_labels_label's range of the labels' wearers (one
 * cheap count of at most BROAD_LABEL + 1 index entries decides), 'broad' walks the inbox in order and probes.
 */
export type LabelPlan = 'narrow' | 'broad';

async function labelPlan(db: ReadDb, companyId: string, labels: readonly string[]): Promise<LabelPlan> {
  const probe = await db
    .prepare(
      `SELECT COUNT(*) AS n FROM (SELECT 1 FROM person_labels
        WHERE company_id = ?1 AND label_id IN (${labels.map((_, i) => `?${i + 3}`).join(', ')}) LIMIT ?2)`,
    )
    .bind(companyId, BROAD_LABEL + 1, ...labels)
    .first<{ n: number }>();
  return (probe?.n ?? 0) > BROAD_LABEL ? 'broad' : 'narrow';
}

/**
 * How `q` is served: a narrow search walks its matches (by the search row id, so the FTS index alone answers)
 * and sorts them; a broad one ("mar" in a chain of 100,000) walks the list newest first, probing each row's
 * search id against the matches, and stops at a page. A cheap count of at most BROAD_SEARCH + 1 ids decides,
 * inside each plan's statement (filterOf), and both statements go in one batch.
 */
function filterOf(
  companyId: string,
  query: ConversationListQuery,
  now: number,
  search: Search,
  view: ConversationView,
  labels: LabelPlan,
): Filter {
  const { owner } = view;
  const f: Filter = { from: 'conversations c', where: ['c.company_id = ?1'], binds: [companyId], arms: null };
  const bind = (v: unknown): string => {
    f.binds.push(v);
    return `?${f.binds.length}`;
  };
  if (search) {
    const match = search.match ? bind(search.match) : "''";
    const matches = `people_search MATCH ${match}`;
    if (search.plan === 'none') f.where.push('0');
    else if (search.plan === 'narrow') {
      // Named: with company_id also in the WHERE, SQLite took the company's list index instead, and walked the
      // whole inbox for every match (80 ms at 3,000 conversations and 862 matches; 0.6 ms this way).
      f.from = 'people_search s CROSS JOIN conversations c INDEXED BY conversations_search ON c.search_rowid = s.rowid';
      f.where.push(matches);
    } else {
      f.from = 'conversations c INDEXED BY conversations_company_last';
      f.where.push(`c.search_rowid IN (SELECT rowid FROM people_search WHERE ${matches})`);
    }
    // Both plans go in one batch, each behind the count that picks it: a one-row table first in the join order,
    // empty when the count picks the other plan, so that plan's walk never starts. A search is one round trip.
    if (search.guarded && search.plan !== 'none') {
      const count = `(SELECT COUNT(*) FROM (SELECT rowid FROM people_search WHERE ${matches} LIMIT ${BROAD_SEARCH + 1}))`;
      f.from = `(SELECT 1 WHERE ${count} ${search.plan === 'narrow' ? '<=' : '>'} ${BROAD_SEARCH}) g CROSS JOIN ${f.from}`;
    }
  }
  // (company_id, owner_user_id) then the list's order: conversations_company_owner_last walks a view in order.
  if (owner) f.where.push(owner.kind === 'none' ? 'c.owner_user_id IS NULL' : `c.owner_user_id = ${bind(owner.id)}`);
  // (company_id, club_id) then the list's order: conversations_company_club_last walks one club in order.
  if (view.club !== null) f.where.push(`c.club_id = ${bind(view.club)}`);
  // The first ad (people.ad_source_id, mirrored): conversations_company_ad_last walks one ad in order, and the
  // literal IS NOT NULL matches conversations_company_from_ad_last, the rows of people who came from any ad.
  if (query.ad !== undefined) f.where.push(`c.ad_source_id = ${bind(query.ad)}`);
  if (query.source === 'ad') f.where.push('c.ad_source_id IS NOT NULL');
  // Literal conditions, so SQLite can use the partial indexes that hold exactly these rows.
  if (query.unread !== undefined) f.where.push(query.unread ? 'c.unread_count > 0' : 'c.unread_count = 0');
  if (query.opted_out !== undefined) f.where.push(query.opted_out ? 'c.opted_out = 1' : 'c.opted_out = 0');
  if (query.window_open !== undefined) {
    const since = bind(now - SERVICE_WINDOW_MS);
    // Open windows are the people who wrote in the last day: walk that index range and sort it.
    if (query.window_open && !query.q) f.from = 'conversations c INDEXED BY conversations_company_window';
    f.where.push(query.window_open ? `c.window_at > ${since}` : `COALESCE(c.window_at, 0) <= ${since}`);
  }
  if (view.mentions) {
    // The Mentions view reads the caller's unread mentions (few: mentions_user_unread holds only those) and sorts
    // their rows, as a narrow search does, rather than walk the inbox looking for them.
    const mine = `SELECT person_id FROM mentions WHERE company_id = ?1 AND user_id = ${bind(view.me ?? null)} AND read_at IS NULL`;
    if (f.from === 'conversations c')
      f.from = `(SELECT DISTINCT person_id FROM (${mine})) u CROSS JOIN conversations c ON c.person_id = u.person_id`;
    else f.where.push(`c.person_id IN (${mine})`);
  }
  const labelIds = view.labels ?? [];
  if (labelIds.length > 0) {
    // Bound once: every merged walk below repeats the condition with the same numbered parameters.
    const ids = labelIds.map(bind).join(', ');
    if (labels === 'narrow' && f.from === 'conversations c')
      // The wearers, each once (a person may wear two of the labels), then their rows by primary key.
      f.from = `(SELECT DISTINCT person_id FROM person_labels WHERE company_id = ?1 AND label_id IN (${ids})) l
        CROSS JOIN conversations c ON c.person_id = l.person_id`;
    else
      f.where.push(`EXISTS (SELECT 1 FROM person_labels l WHERE l.person_id = c.person_id AND l.label_id IN (${ids}))`);
  }
  const stages = view.stages ?? [];
  const ordered = f.from === 'conversations c';
  // (company_id, stage_id) then the list's order: conversations_company_stage_last walks one stage in order.
  const stageArms = stages.map((s) => `c.stage_id = ${bind(s)}`);
  if (stageArms.length === 1 || (stageArms.length > 1 && !ordered)) f.where.push(orOf(stageArms));
  const arms = scopeArms(view.scope, CONVERSATION_SCOPE_COLUMNS)?.map((arm) => inline(arm, bind)) ?? [];
  const [own, unowned] = arms;
  // Ordered walks merged beat one walk of the whole inbox, when nothing else picked the walk (a search, open
  // windows, the Mentions view, a narrow label) and no owner view already narrows the scope's two to one of them.
  const scopeWalks = own !== undefined && unowned !== undefined && owner === null && ordered ? [own, unowned] : null;
  if (!scopeWalks && arms.length > 0) f.where.push(orOf(arms));
  const stageWalks = stageArms.length > 1 && ordered ? stageArms : null;
  if (scopeWalks && stageWalks) f.arms = scopeWalks.flatMap((a) => stageWalks.map((s) => `(${a}) AND ${s}`));
  else f.arms = scopeWalks ?? stageWalks;
  return f;
}

/** One condition holding when any of these does. */
const orOf = (conditions: string[]): string =>
  conditions.length === 1 ? `${conditions[0]}` : `(${conditions.map((a) => `(${a})`).join(' OR ')})`;

type Search = { match: string | null; plan: 'none' | 'narrow' | 'broad'; guarded?: boolean } | null;

/** The statement for one page (with `limit + 1` rows), built and not run: tests read its query plan. */
export function conversationsPage(
  companyId: string,
  query: ConversationListQuery & CursorQuery,
  now: number,
  search: Search,
  view: ConversationView = ALL,
  labels: LabelPlan = 'broad',
): { sql: string; params: unknown[]; countSql: string; countParams: unknown[] } {
  const { after, offset, limit } = startOf(query, cursorKey);
  const f = filterOf(companyId, query, now, search, view, labels);
  const filtered = `FROM ${f.from} WHERE ${f.where.join(' AND ')}`;
  const binds = [...f.binds];
  const bind = (v: unknown): string => {
    binds.push(v);
    return `?${binds.length}`;
  };
  const keyset = after ? ` AND (c.last_at, c.person_id) < (${bind(after[0])}, ${bind(after[1])})` : '';
  // Keys only: a filter served by a covering index (open windows) never touches the rows it sorts. A salesperson's
  // two walks are merged by SQLite in order (MERGE (UNION ALL)), each an index range from the cursor on.
  const keys = f.arms
    ? unionAll(
        f.arms.map((arm) => `SELECT c.person_id, c.last_at ${filtered} AND ${arm}${keyset}`),
        'person_id, last_at',
      )
    : `SELECT c.person_id, c.last_at ${filtered}${keyset}`;
  const order = f.arms ? 'last_at DESC, person_id DESC' : 'c.last_at DESC, c.person_id DESC';
  const page = `WITH page AS (${keys}
    ORDER BY ${order} LIMIT ${bind(limit + 1)} OFFSET ${bind(offset)})`;
  const me = bind(view.me ?? null);
  const counted = f.arms ? `${filtered} AND ${orOf(f.arms)}` : filtered;
  return {
    sql: `${page}${show(me)}`,
    params: binds,
    countSql: `SELECT COUNT(*) AS total ${counted}`,
    countParams: f.binds,
  };
}

export async function listConversations(
  db: ReadDb,
  companyId: string,
  query: ConversationListQuery & CursorQuery,
  view: ConversationView,
  now = Date.now(),
): Promise<{ rows: ConversationJson[]; pagination: Pagination }> {
  const match = query.q ? searchMatch(query.q) : null;
  const labels = view.labels?.length ? await labelPlan(db, companyId, view.labels) : 'broad';
  // A search: its narrow and broad pages, each guarded by the count that picks it (filterOf), so one round trip.
  const searches: Search[] = !query.q
    ? [null]
    : match
      ? [
          { match, plan: 'narrow', guarded: true },
          { match, plan: 'broad', guarded: true },
        ]
      : [{ match, plan: 'none' }];
  const pages = searches.map((search) => conversationsPage(companyId, query, now, search, view, labels));
  const statements = pages.map((page) => db.prepare(page.sql).bind(...page.params));
  if (wantsTotal(query)) {
    // Unguarded: the broad plan's condition counts the same matches either way.
    const counted = conversationsPage(
      companyId,
      query,
      now,
      match ? { match, plan: 'broad' } : (searches[0] ?? null),
      view,
      labels,
    );
    statements.push(db.prepare(counted.countSql).bind(...counted.countParams));
  }
  const results = await db.batch<Row | { total: number }>(statements);
  const total = wantsTotal(query) ? (results.at(-1)?.results[0] as { total: number } | undefined)?.total : undefined;
  // At most one of the guarded pages has rows.
  const rows = (results.slice(0, pages.length).find((r) => r.results.length > 0)?.results ?? []) as Row[];
  const result = keysetPage(rows, query, (r) => [r.last_at, r.id], total);
  return { rows: result.rows.map((r) => serialize(r, now)), pagination: result.pagination };
}

const seen = (scope: Scope, row: Pick<Row, 'club_id' | 'owner_user_id' | 'status'>): boolean =>
  visible(scope, { clubId: row.club_id, ownerUserId: row.owner_user_id, status: row.status });

/**
 * One person's row, also for someone with no messages yet (an empty conversation). Null: not in this company, or
 * not someone this scope may see (#common/scope), which the routes answer alike (404).
 */
export async function getConversation(
  db: ReadDb,
  who: { companyId: string; scope: Scope; me?: string | null },
  personId: string,
  now = Date.now(),
): Promise<ConversationJson | null> {
  const { companyId } = who;
  const me = who.me ?? null;
  const row = await db
    .prepare(`WITH page AS (SELECT person_id FROM conversations WHERE company_id = ?1 AND person_id = ?2)${show('?3')}`)
    .bind(companyId, personId, me)
    .first<Row>();
  if (row) return seen(who.scope, row) ? serialize(row, now) : null;
  const person = await db
    .prepare(
      `SELECT id, first_name, last_name, phone, whatsapp_opted_out, whatsapp_last_inbound_at, owner_user_id, club_id,
              status, ${mentionsOf('?2', '?3')} AS mentions_unread
         FROM people WHERE company_id = ?1 AND id = ?2`,
    )
    .bind(companyId, personId, me)
    .first<
      Pick<
        Row,
        | 'id'
        | 'first_name'
        | 'last_name'
        | 'phone'
        | 'whatsapp_opted_out'
        | 'whatsapp_last_inbound_at'
        | 'owner_user_id'
        | 'club_id'
        | 'status'
        | 'mentions_unread'
      >
    >();
  if (!person || !seen(who.scope, person)) return null;
  const empty: Row = {
    ...person,
    last_at: 0,
    last_occurred_at: 0,
    last_id: null,
    last_type: null,
    last_message_type: null,
    last_body: null,
    last_status: null,
    unread: 0,
    last_sent_status: null,
  };
  return { ...serialize(empty, now), last_message_at: null };
}
