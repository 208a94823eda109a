// Speed to lead: from a lead's first inbound message (or their creation by an API key) to the first message a
// member of staff sent them, kept on the person by migrations/0021_reports.sql (people.lead_at, first_reply_at,
// first_reply_by). One statement reads the range's leads from the index people_company_lead alone; a second
// lists the leads never answered, newest first, keyset-paged on people_company_unanswered.
import { z } from '@hono/zod-openapi';
import type { ReadDb } from '../db/company-data';
import { decodeCursor, encodeCursor } from '../pagination';
import { type ClubHours, OpenIntervals } from './business-time';
import { clubCondition, params, type ReportFilter } from './filters';
import { type ClubRow, clubsStatement, hoursOf, namer } from './names';
import { percentile, share } from './stats';

export const FIVE_MINUTES_MS = 5 * 60_000;
export const UNANSWERED_PAGE = 25;

export interface Figures {
  /** Leads in the range, answered or not. */
  leads: number;
  answered: number;
  median_ms: number | null;
  p90_ms: number | null;
  /** Leads answered within 5 minutes, and their share of all the range's leads (the unanswered count as late). */
  within_5_min: number;
  within_5_min_share: number | null;
}

interface LeadRow {
  lead_at: number;
  first_reply_at: number | null;
  club_id: string | null;
  user_id: string | null;
}

/** The same figures for any group of leads, on the clock and in business time. */
class Tally {
  leads = 0;
  readonly overall: number[] = [];
  readonly business: number[] = [];

  add(waitMs: number | null, businessMs: number | null): void {
    this.leads++;
    if (waitMs !== null) this.overall.push(waitMs);
    if (businessMs !== null) this.business.push(businessMs);
  }

  figures(): { overall: Figures; business_hours: Figures } {
    const of = (values: number[]): Figures => {
      values.sort((a, b) => a - b);
      const fast = values.filter((v) => v <= FIVE_MINUTES_MS).length;
      return {
        leads: this.leads,
        answered: values.length,
        median_ms: percentile(values, 0.5),
        p90_ms: percentile(values, 0.9),
        within_5_min: fast,
        within_5_min_share: share(fast, this.leads),
      };
    };
    return { overall: of(this.overall), business_hours: of(this.business) };
  }
}

export const unansweredCursor = z.tuple([z.number().int(), z.string().max(64)]);

export async function speedToLead(
  db: ReadDb,
  users: { id: string; name: string }[],
  f: ReportFilter,
  cursor: string | undefined,
) {
  const rows = params();
  const p = rows.p;
  const userSql = f.userId === null ? '' : ` AND COALESCE(first_reply_by, owner_user_id) = ${p(f.userId)}`;
  const leadsSql = `SELECT lead_at, first_reply_at, club_id, COALESCE(first_reply_by, owner_user_id) AS user_id
      FROM people
     WHERE company_id = ${p(f.companyId)} AND lead_at IS NOT NULL AND lead_at >= ${p(f.startMs)} AND lead_at < ${p(f.endMs)}
       ${clubCondition(f, 'club_id', p)}${userSql}`;

  const list = params();
  const after = cursor === undefined ? null : decodeCursor(cursor, unansweredCursor);
  const q = list.p;
  const listSql = `SELECT id, first_name, last_name, club_id, owner_user_id, lead_at FROM people
     WHERE company_id = ${q(f.companyId)} AND lead_at IS NOT NULL AND first_reply_at IS NULL
       AND lead_at >= ${q(f.startMs)} AND lead_at < ${q(f.endMs)}
       ${after === null ? '' : ` AND (lead_at, id) < (${q(after[0])}, ${q(after[1])})`}
       ${clubCondition(f, 'club_id', q)}${f.userId === null ? '' : ` AND owner_user_id = ${q(f.userId)}`}
     ORDER BY lead_at DESC, id DESC LIMIT ${UNANSWERED_PAGE + 1}`;

  const [leads, waiting, clubs] = await db.batch([
    db.prepare(leadsSql).bind(...rows.values),
    db.prepare(listSql).bind(...list.values),
    clubsStatement(db, f.companyId),
  ]);
  const clubRows = (clubs?.results ?? []) as unknown as ClubRow[];
  const clock = new Map<string, OpenIntervals>(clubRows.map((c) => [c.id, new OpenIntervals(hoursOf(c))]));
  const alwaysOpen = new OpenIntervals({ hours: null, closedDates: [], timeZone: f.timezone } satisfies ClubHours);

  const all = new Tally();
  const byClub = new Map<string, Tally>();
  const byUser = new Map<string | null, Tally>();
  for (const r of (leads?.results ?? []) as unknown as LeadRow[]) {
    const wait = r.first_reply_at === null ? null : r.first_reply_at - r.lead_at;
    const business =
      r.first_reply_at === null ? null : (clock.get(r.club_id ?? '') ?? alwaysOpen).openMs(r.lead_at, r.first_reply_at);
    all.add(wait, business);
    const club = r.club_id ?? '';
    if (!byClub.has(club)) byClub.set(club, new Tally());
    byClub.get(club)?.add(wait, business);
    if (!byUser.has(r.user_id)) byUser.set(r.user_id, new Tally());
    byUser.get(r.user_id)?.add(wait, business);
  }

  const clubName = namer(clubRows);
  const userName = namer(users);
  const shown = (waiting?.results ?? []) as unknown as {
    id: string;
    first_name: string;
    last_name: string | null;
    club_id: string | null;
    owner_user_id: string | null;
    lead_at: number;
  }[];
  const more = shown.length > UNANSWERED_PAGE;
  const page = more ? shown.slice(0, UNANSWERED_PAGE) : shown;
  const last = page.at(-1);
  return {
    ...all.figures(),
    by_club: [...byClub].map(([id, t]) => ({ club_id: id, name: clubName(id) ?? id, ...t.figures() })),
    by_user: [...byUser]
      .map(([id, t]) => ({ user_id: id, name: userName(id), ...t.figures() }))
      .sort((a, b) => b.overall.leads - a.overall.leads),
    unanswered: {
      collection: page.map((r) => ({
        person_id: r.id,
        name: [r.first_name, r.last_name].filter(Boolean).join(' '),
        club_id: r.club_id,
        owner_user_id: r.owner_user_id,
        owner_name: userName(r.owner_user_id),
        lead_at: r.lead_at,
      })),
      pagination: { next_cursor: more && last ? encodeCursor([last.lead_at, last.id]) : null },
    },
  };
}
