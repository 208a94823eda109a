// A company's clubs. The unique index (company, name) decides duplicate names, not a check-then-insert; each
// change is written with its audit entry in one D1 batch.
import { and, asc, eq, inArray } from 'drizzle-orm';
import { canonicalTimezone } from '../admin/timezone';
import { type AuditBy, auditRow } from '../audit/record';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { auditLog, clubs, companies, whatsappNumbers } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { forgetAllSenders } from '../whatsapp/sender-cache';
import type { ClubCreate, ClubJson, ClubUpdate } from './schemas';

export type ClubRow = typeof clubs.$inferSelect;
type NumberRow = typeof whatsappNumbers.$inferSelect;

/** A chain's sites: enough for the largest, and a bound on every list that shows them all. */
export const MAX_CLUBS = 500;

const NAME_TAKEN = new ApiError(409, 'club_name_taken', 'Another club of this company already has that name');

export function serializeClub(club: ClubRow, numbers: NumberRow[]): ClubJson {
  return {
    id: club.id,
    name: club.name,
    timezone: club.timezone,
    address: club.address,
    assignment: club.assignment,
    hours: club.hours,
    closed_dates: club.closedDates ?? [],
    away_reply: club.awayReply,
    numbers: numbers
      .filter((n) => n.clubId === club.id)
      .map((n) => ({
        id: n.id,
        phone_number_id: n.phoneNumberId,
        display_phone_number: n.displayPhoneNumber,
        enabled: n.disabledAt === null,
      })),
    created_at: new Date(club.createdAt).toISOString(),
    updated_at: new Date(club.updatedAt).toISOString(),
  };
}

/** Every club of the company, oldest first (the first is the one a company started with), with its numbers. */
export async function listClubs(db: Db, companyId: string): Promise<ClubJson[]> {
  const [rows, numbers] = await db.batch([
    db
      .select()
      .from(clubs)
      .where(eq(clubs.companyId, companyId))
      .orderBy(asc(clubs.createdAt), asc(clubs.id))
      .limit(MAX_CLUBS),
    db
      .select()
      .from(whatsappNumbers)
      .where(eq(whatsappNumbers.companyId, companyId))
      .orderBy(asc(whatsappNumbers.createdAt)),
  ]);
  return rows.map((club) => serializeClub(club, numbers));
}

export async function getClub(db: Db, companyId: string, id: string): Promise<ClubJson> {
  const [rows, numbers] = await db.batch([
    db
      .select()
      .from(clubs)
      .where(and(eq(clubs.companyId, companyId), eq(clubs.id, id))),
    db
      .select()
      .from(whatsappNumbers)
      .where(and(eq(whatsappNumbers.companyId, companyId), eq(whatsappNumbers.clubId, id)))
      .orderBy(asc(whatsappNumbers.createdAt)),
  ]);
  const club = rows[0];
  if (!club) throw notFound('Club');
  return serializeClub(club, numbers);
}

function zoneOf(timezone: string): string {
  const zone = canonicalTimezone(timezone);
  if (!zone) throw new ApiError(422, 'invalid_timezone', `Unknown time zone ${timezone}; use an IANA name`);
  return zone;
}

export async function createClub(db: Db, companyId: string, by: AuditBy, input: ClubCreate): Promise<ClubJson> {
  const company = await db
    .select({ timezone: companies.timezone })
    .from(companies)
    .where(eq(companies.id, companyId))
    .get();
  if (!company) throw notFound('Company');
  const count = await db.$count(clubs, eq(clubs.companyId, companyId));
  if (count >= MAX_CLUBS) throw new ApiError(409, 'too_many_clubs', `A company has at most ${MAX_CLUBS} clubs`);
  const id = newId('clb');
  const now = Date.now();
  const values = {
    id,
    companyId,
    name: input.name,
    timezone: zoneOf(input.timezone ?? company.timezone),
    address: input.address ?? null,
    assignment: input.assignment ?? 'manual',
    hours: null,
    closedDates: null,
    awayReply: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(clubs).values(values),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'club.created',
          target: { type: 'club', id },
          details: { name: values.name, timezone: values.timezone, assignment: values.assignment },
        }),
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err, 'clubs.')) throw NAME_TAKEN;
    throw err;
  }
  // A round-robin club: inbound batches must now carry round-robin's statements (people-lookup.ts).
  forgetAllSenders();
  return serializeClub(values, []);
}

export async function updateClub(
  db: Db,
  companyId: string,
  by: AuditBy,
  id: string,
  input: ClubUpdate,
): Promise<ClubJson> {
  const current = await db
    .select()
    .from(clubs)
    .where(and(eq(clubs.companyId, companyId), eq(clubs.id, id)))
    .get();
  if (!current) throw notFound('Club');
  const next = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.timezone !== undefined ? { timezone: zoneOf(input.timezone) } : {}),
    ...(input.address !== undefined ? { address: input.address } : {}),
    ...(input.assignment !== undefined ? { assignment: input.assignment } : {}),
    ...(input.hours !== undefined ? { hours: input.hours } : {}),
    ...(input.closed_dates !== undefined ? { closedDates: [...new Set(input.closed_dates)].sort() } : {}),
    ...(input.away_reply !== undefined ? { awayReply: input.away_reply } : {}),
  };
  // What changed, from and to, for the audit log; an unchanged field is left out.
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [key, to] of Object.entries(next)) {
    const from = current[key as keyof typeof next];
    // Named as the API names them (closed_dates, away_reply).
    const field = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  try {
    await db.batch([
      db
        .update(clubs)
        .set({ ...next, updatedAt: Date.now() })
        .where(and(eq(clubs.companyId, companyId), eq(clubs.id, id))),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'club.updated',
          target: { type: 'club', id },
          details: { name: next.name ?? current.name, changed: changes },
        }),
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err, 'clubs.')) throw NAME_TAKEN;
    throw err;
  }
  // Assignment, hours or away reply may have changed: what inbound batches carry follows at once here.
  forgetAllSenders();
  return getClub(db, companyId, id);
}

/** The club, or 422 `unknown_club`: for bodies that name a club (a person's, a user's, a number's). */
export async function requireClub(db: Db, companyId: string, id: string): Promise<ClubRow> {
  const club = await db
    .select()
    .from(clubs)
    .where(and(eq(clubs.companyId, companyId), eq(clubs.id, id)))
    .get();
  if (!club) throw new ApiError(422, 'unknown_club', `No club ${id} in this company`);
  return club;
}

/** 422 `unknown_club` unless every id is one of the company's clubs. */
export async function requireClubs(db: Db, companyId: string, ids: readonly string[]): Promise<void> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return;
  const found = await db
    .select({ id: clubs.id })
    .from(clubs)
    .where(and(eq(clubs.companyId, companyId), inArray(clubs.id, wanted)))
    .all();
  const missing = wanted.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0) throw new ApiError(422, 'unknown_club', `No club ${missing.join(', ')} in this company`);
}
