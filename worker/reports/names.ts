// The names a report puts beside ids: the company's clubs (with their hours, for business time) and users.
// Small lists, read by their company index in the report's own batch.
import type { OpeningHours } from '../clubs/hours';
import type { ReadDb } from '../db/company-data';
import type { ClubHours } from './business-time';

export interface ClubRow {
  id: string;
  name: string;
  timezone: string;
  hours: string | null;
  closed_dates: string | null;
}

export const clubsStatement = (db: ReadDb, companyId: string): D1PreparedStatement =>
  db
    .prepare('SELECT id, name, timezone, hours, closed_dates FROM clubs WHERE company_id = ?1 ORDER BY created_at, id')
    .bind(companyId);

export const usersStatement = (db: ReadDb, companyId: string): D1PreparedStatement =>
  db.prepare('SELECT id, name FROM users WHERE company_id = ?1').bind(companyId);

function parsed<T>(json: string | null): T | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as T;
  } catch {
    return null;
  }
}

export const hoursOf = (club: ClubRow): ClubHours => ({
  hours: parsed<OpeningHours>(club.hours),
  closedDates: parsed<string[]>(club.closed_dates) ?? [],
  timeZone: club.timezone,
});

/** id -> name; an id no longer there (a deleted user) reads as itself. */
export function namer(rows: readonly { id: string; name: string }[]): (id: string | null) => string | null {
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id) => (id === null ? null : (names.get(id) ?? id));
}
