// What a company will be billed for: per day, WhatsApp messages sent and delivered by Meta's pricing
// category. Meta bills delivered template messages by category (marketing, utility, authentication); free
// text inside the 24-hour window is a free "service" message. Days are the company's own (its timezone). A club's
// usage is its people's messages (by their home club now); a user limited to clubs counts only theirs.
import { and, eq, gte, isNotNull, lt, type SQL, sql } from 'drizzle-orm';
import type { Scope } from '#common/scope';
import { asDrizzle, scopeCondition } from '../auth/scope-sql';
import { companyDb } from '../db/company-data';
import { companies, historyNotes } from '../db/schema';
import { ApiError, notFound } from '../errors';

export const USAGE_CATEGORIES = ['marketing', 'utility', 'authentication', 'service'] as const;
export type UsageCategory = (typeof USAGE_CATEGORIES)[number];
export interface Counts {
  sent: number;
  delivered: number;
}
export type DayUsage = { date: string } & Record<UsageCategory, Counts>;

/** A longer range would mean tens of thousands of buckets; ask for it in pieces. */
export const MAX_DAYS = 93;
const DAY_MS = 86_400_000;
/** Time zones sit within UTC-12..UTC+14: a margin that covers any local day. */
const ZONE_MARGIN_MS = 15 * 3_600_000;
/** Every zone's offset is a multiple of 15 minutes, so a 15-minute bucket never spans two local days. */
const BUCKET_MS = 15 * 60_000;

const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfDay = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** The local calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function localDate(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(at)
    .reduce<Record<string, string>>((acc, p) => {
      acc[p.type] = p.value;
      return acc;
    }, {});
  return `${parts.year}-${parts.month}-${parts.day}`;
}

const zero = (): Counts => ({ sent: 0, delivered: 0 });
const emptyDay = (date: string): DayUsage => ({
  date,
  marketing: zero(),
  utility: zero(),
  authentication: zero(),
  service: zero(),
});

export interface Usage {
  timezone: string;
  from: string;
  to: string;
  days: DayUsage[];
  totals: Record<UsageCategory, Counts>;
}

/** The people whose messages count: a club's and the scope's, as a condition on the note's person; none: all. */
function peopleOf(scope: Scope, club: string | null): SQL | undefined {
  const condition = scopeCondition(scope, { club: 'p.club_id', owner: 'p.owner_user_id', status: 'p.status' });
  if (condition === null && club === null) return undefined;
  const parts = [
    club === null ? undefined : sql`p.club_id = ${club}`,
    condition === null ? undefined : asDrizzle(condition),
  ].filter((p) => p !== undefined);
  // By primary key, per note the day's range already holds.
  return sql`EXISTS (SELECT 1 FROM people p WHERE p.id = ${historyNotes.personId} AND ${sql.join(parts, sql` AND `)})`;
}

export async function usageByCategory(
  env: Env,
  who: { companyId: string; scope: Scope },
  from: string,
  to: string,
  club: string | null = null,
): Promise<Usage> {
  const { companyId } = who;
  const first = dayNumber(from);
  const last = dayNumber(to);
  if (last < first) throw new ApiError(422, 'validation_failed', 'to: must not be before from');
  if (last - first + 1 > MAX_DAYS)
    throw new ApiError(422, 'validation_failed', `to: at most ${MAX_DAYS} days per request`);
  const db = companyDb(env, companyId);
  const company = await db
    .select({ timezone: companies.timezone })
    .from(companies)
    .where(eq(companies.id, companyId))
    .get();
  if (!company) throw notFound('Company');

  const bucket = sql<number>`${historyNotes.occurredAt} / ${BUCKET_MS}`;
  const rows = await db
    .select({
      bucket,
      category: historyNotes.category,
      // Sent = Meta accepted it and it did not fail; delivered includes read (a read message was delivered).
      sent: sql<number>`sum(${historyNotes.status} IN ('sent', 'delivered', 'read'))`,
      delivered: sql<number>`sum(${historyNotes.status} IN ('delivered', 'read'))`,
    })
    .from(historyNotes)
    .where(
      and(
        eq(historyNotes.companyId, companyId),
        eq(historyNotes.type, 'whatsapp_sent'),
        gte(historyNotes.occurredAt, first * DAY_MS - ZONE_MARGIN_MS),
        lt(historyNotes.occurredAt, (last + 1) * DAY_MS + ZONE_MARGIN_MS),
        isNotNull(historyNotes.category),
        peopleOf(who.scope, club),
      ),
    )
    .groupBy(bucket, historyNotes.category)
    .all();

  const days = new Map<string, DayUsage>();
  for (let n = first; n <= last; n++) days.set(isoOfDay(n), emptyDay(isoOfDay(n)));
  const totals = emptyDay('');
  for (const r of rows) {
    const day = days.get(localDate(Number(r.bucket) * BUCKET_MS, company.timezone));
    const category = USAGE_CATEGORIES.find((c) => c === r.category);
    if (!day || !category) continue;
    day[category].sent += Number(r.sent);
    day[category].delivered += Number(r.delivered);
    totals[category].sent += Number(r.sent);
    totals[category].delivered += Number(r.delivered);
  }
  const { date: _unused, ...totalCounts } = totals;
  return { timezone: company.timezone, from, to, days: [...days.values()], totals: totalCounts };
}
