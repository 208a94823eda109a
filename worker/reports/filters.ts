// What a report covers: the company's days from `from` to `to` (its own time zone), a club, a user. Who asks
// decides the rest: managers, admins and API keys see everyone's figures within the clubs their scope allows
// (#common/scope); staff and salespeople see their own alone, whatever `user=` says.
import type { CompanyAuth } from '../auth/actor';
import { can } from '../auth/permissions';
import { ApiError } from '../errors';
import { addDays, daysBetween, instantOf } from './zone';

/** A year and a day: last year against this one, and no more (a longer range is asked for in pieces). */
export const MAX_DAYS = 366;
/** The counters' bucket (migrations/0021_reports.sql): every zone's offset is a whole number of them. */
export const BUCKET_MS = 15 * 60_000;

export interface ReportQuery {
  from: string;
  to: string;
  club?: string;
  user?: string;
}

export interface ReportFilter {
  companyId: string;
  timezone: string;
  from: string;
  to: string;
  /** [start, end) of the range as instants: local midnight of `from` to local midnight after `to`. */
  startMs: number;
  endMs: number;
  /** The clubs whose figures count; null: every club. Empty: none (a club the caller may not see). */
  clubIds: readonly string[] | null;
  /** Only this user's figures; null: everyone's. */
  userId: string | null;
  /** Whether the caller sees everyone's figures (the app shows pickers) or only their own. */
  everyone: boolean;
}

export function reportFilter(auth: CompanyAuth, timezone: string, q: ReportQuery): ReportFilter {
  const days = daysBetween(q.from, q.to);
  if (days < 0) throw new ApiError(422, 'validation_failed', 'to: must not be before from');
  if (days + 1 > MAX_DAYS) throw new ApiError(422, 'validation_failed', `to: at most ${MAX_DAYS} days per report`);
  const everyone = can(auth, 'reports');
  const own = auth.actor.kind === 'user' ? auth.actor.id : null;
  const scoped = auth.scope.clubIds;
  const clubIds =
    q.club === undefined ? scoped : scoped === null || scoped.includes(q.club) ? [q.club] : ([] as string[]);
  return {
    companyId: auth.companyId,
    timezone,
    from: q.from,
    to: q.to,
    startMs: instantOf(q.from, 0, timezone),
    endMs: instantOf(addDays(q.to, 1), 0, timezone),
    clubIds,
    userId: everyone ? (q.user ?? null) : own,
    everyone,
  };
}

/** The company's local days of the range, each as [first bucket, first bucket of the next day). */
export function dayBuckets(f: ReportFilter): { date: string; lo: number; hi: number }[] {
  const out = [];
  for (let d = 0; d <= daysBetween(f.from, f.to); d++) {
    const date = addDays(f.from, d);
    out.push({
      date,
      lo: Math.floor(instantOf(date, 0, f.timezone) / BUCKET_MS),
      hi: Math.floor(instantOf(addDays(date, 1), 0, f.timezone) / BUCKET_MS),
    });
  }
  return out;
}

/** Numbered parameters for one statement: `p(value)` binds it and answers its `?N`. */
export function params(): { p: (value: unknown) => string; values: unknown[] } {
  const values: unknown[] = [];
  return {
    values,
    p: (value) => {
      values.push(value);
      return `?${values.length}`;
    },
  };
}

/** `column IN (the filter's clubs)` as SQL with its parameter, or '' for every club. */
export function clubCondition(f: ReportFilter, column: string, p: (v: unknown) => string): string {
  if (f.clubIds === null) return '';
  return ` AND ${column} IN (SELECT value FROM json_each(${p(JSON.stringify(f.clubIds))}))`;
}
