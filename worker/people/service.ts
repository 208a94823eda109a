// People: load, create, update, and the staff opt-out (the list is list.ts). Every query is scoped by companyId,
// and every per-person route loads its person through getPerson, which also applies the caller's scope
// (#common/scope: their clubs, a salesperson's own people): another company's person, and one the caller may not
// see, both read as "not found" (404), never "forbidden": we do not confirm they exist.
import { and, eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { mayOwn, type Scope, visible } from '#common/scope';
import { type AuditBy, type AuditEntry, auditRow } from '../audit/record';
import type { CompanyAuth } from '../auth/actor';
import type { Db } from '../db/client';
import { isUniqueViolation } from '../db/errors';
import { auditLog, consentLog, counters, historyNotes, people, users } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { checkClubs, defaultClub } from './club';
import { type ConsentContext, type ConsentRecords, type OptOutHow, planConsent } from './consent';
import { ownerNoteText } from './owner-note';
import { phoneOrThrow } from './phone-input';
import type { PersonCreateInput, PersonUpdateInput } from './schemas';
import type { CounterRow, PersonRow } from './serialize';

export async function findPerson(db: Db, companyId: string, id: string): Promise<PersonRow | undefined> {
  return db
    .select()
    .from(people)
    .where(and(eq(people.companyId, companyId), eq(people.id, id)))
    .get();
}

/** Who is reading: the company, and what of it they may see (CompanyAuth has both). */
export interface Reader {
  companyId: string;
  scope: Scope;
}

/**
 * The person, or 404 `not_found` for another company's id and for someone the reader may not see. Every route
 * about one person (profile, history, sends, opt-out, owner, export, erasure, template preview) starts here.
 */
export async function getPerson(db: Db, who: Reader, id: string): Promise<PersonRow> {
  const person = await findPerson(db, who.companyId, id);
  if (!person || !visible(who.scope, person)) throw notFound('Person');
  return person;
}

/**
 * The person as a write just left them, for its answer: the caller could see them a moment ago, and may answer
 * about what they did even when the change took the person out of their sight (a salesperson making a lead a
 * member, a club move).
 */
async function reread(db: Db, companyId: string, id: string): Promise<PersonRow> {
  const person = await findPerson(db, companyId, id);
  if (!person) throw notFound('Person');
  return person;
}

export async function getCounters(db: Db, companyId: string, personId: string): Promise<CounterRow[]> {
  return db
    .select()
    .from(counters)
    .where(and(eq(counters.companyId, companyId), eq(counters.personId, personId)))
    .all();
}

const phoneTaken = () =>
  new ApiError(409, 'phone_taken', 'Another person in this company already has that phone number');

function checkMembershipDates(p: { membershipStart: string | null; membershipEnd: string | null }): void {
  // ISO dates compare correctly as strings.
  if (p.membershipStart && p.membershipEnd && p.membershipEnd < p.membershipStart)
    throw new ApiError(422, 'validation_failed', 'membership_end: must not be before membership_start');
}

type PersonFields = Omit<PersonUpdateInput, 'whatsapp_consent' | 'club_id'>;

type PersonColumns = Partial<typeof people.$inferInsert>;

/**
 * Maps the snake_case fields that were sent (and only those) onto columns, normalising phone (in the company's
 * country when it has no country code) and email.
 */
async function columnsOf(db: Db, companyId: string, input: PersonFields): Promise<PersonColumns> {
  const out: PersonColumns = {};
  if (input.first_name !== undefined) out.firstName = input.first_name;
  if (input.last_name !== undefined) out.lastName = input.last_name || null;
  if (input.phone !== undefined)
    out.phone =
      input.phone === null || input.phone.trim() === '' ? null : await phoneOrThrow(db, companyId, input.phone);
  // Lower-cased so that the email filter can use the (company_id, email) index.
  if (input.email !== undefined) out.email = input.email === null ? null : input.email.toLowerCase();
  if (input.sale_type !== undefined) out.saleType = input.sale_type;
  if (input.status !== undefined) out.status = input.status;
  if (input.membership_start !== undefined) out.membershipStart = input.membership_start;
  if (input.membership_end !== undefined) out.membershipEnd = input.membership_end;
  if (input.date_of_birth !== undefined) out.dateOfBirth = input.date_of_birth;
  if (input.sms_opted_out !== undefined) out.smsOptedOut = input.sms_opted_out;
  if (input.whatsapp_opted_out !== undefined) out.whatsappOptedOut = input.whatsapp_opted_out;
  return out;
}

/**
 * The opt-out flags a PUT writes: only those it changes, and WhatsApp's whenever it records consent (the entry and
 * the flag it proves go together). A STOP or an opt-out committed after the person was read must not be undone
 * by a save that merely repeats the state it read: that would opt someone back in with no consent on record.
 */
function optOutColumns(changes: PersonColumns, current: PersonRow, consentGiven: boolean): PersonColumns {
  const columns = { ...changes };
  if (columns.whatsappOptedOut === current.whatsappOptedOut) delete columns.whatsappOptedOut;
  if (columns.smsOptedOut === current.smsOptedOut) delete columns.smsOptedOut;
  if (consentGiven) columns.whatsappOptedOut = false;
  return columns;
}

function context(auth: CompanyAuth, personId: string, now: number): ConsentContext {
  return { companyId: auth.companyId, personId, actor: auth.actor, now, source: 'api' };
}

/** Who wrote a change, and when: the audit log's actor and address, and the time every row of it carries. */
interface Write {
  auth: CompanyAuth;
  by: AuditBy;
  now: number;
}

/**
 * D1 runs a batch as one transaction: the person change, its proof and its audit entries land together or not at
 * all. The person statement goes last, so a refusal there (a taken phone) also rolls back the rows before it.
 */
async function writeWith(
  db: Db,
  w: Write,
  personWrite: BatchItem<'sqlite'>,
  records: ConsentRecords,
  more: AuditEntry[] = [],
): Promise<void> {
  const proof: BatchItem<'sqlite'>[] = [
    ...records.log.map((row) => db.insert(consentLog).values(row)),
    ...records.notes.map((row) => db.insert(historyNotes).values(row)),
    ...[...records.audit, ...more].map((e) => db.insert(auditLog).values(auditRow(w.auth.companyId, w.by, e, w.now))),
  ];
  try {
    const [first, ...rest] = proof;
    await db.batch(first ? [first, ...rest, personWrite] : [personWrite]);
  } catch (err) {
    if (isUniqueViolation(err, 'people.phone')) throw phoneTaken();
    throw err;
  }
}

export async function createPerson(
  db: Db,
  auth: CompanyAuth,
  by: AuditBy,
  input: PersonCreateInput,
  now = Date.now(),
): Promise<PersonRow> {
  const { whatsapp_consent: consent, club_id: askedClub, ...fields } = input;
  const id = newId('per');
  if (askedClub !== undefined) await checkClubs(db, auth.companyId, auth.scope, [askedClub]);
  // A salesperson's new person is theirs: they see only their own (and unowned leads), and what they add they work.
  const owner = auth.scope.ownOnly;
  const row = {
    ...(await columnsOf(db, auth.companyId, fields)),
    id,
    companyId: auth.companyId,
    firstName: input.first_name,
    clubId: askedClub ?? (await defaultClub(db, auth.companyId, auth.scope)),
    ownerUserId: owner,
    createdBy: auth.actor,
    createdAt: now,
    updatedAt: now,
  };
  checkMembershipDates({ membershipStart: row.membershipStart ?? null, membershipEnd: row.membershipEnd ?? null });
  const after = { whatsappOptedOut: row.whatsappOptedOut ?? false, smsOptedOut: row.smsOptedOut ?? false };
  const records = planConsent(context(auth, id, now), null, after, consent, { method: 'api' });
  if (owner !== null) records.notes.push(ownedOnCreation(auth, id, owner, now));
  await writeWith(db, { auth, by, now }, db.insert(people).values(row), records);
  return reread(db, auth.companyId, id);
}

/** The history note of a salesperson's new person being theirs, as an assignment would leave it. */
function ownedOnCreation(auth: CompanyAuth, personId: string, ownerId: string, now: number) {
  const me = { id: ownerId, name: auth.actor.name };
  return {
    id: newId('his'),
    companyId: auth.companyId,
    personId,
    type: 'owner_changed' as const,
    body: ownerNoteText(me, null, auth.actor.name),
    content: { from: null, to: me },
    actor: auth.actor,
    occurredAt: now,
    createdAt: now,
  };
}

/**
 * A club move must leave the person's owner able to see them (#common/scope `mayOwn`): else 422
 * `owner_not_in_club`, and the move waits for an owner who can (PATCH with both sets the owner first).
 */
async function checkOwnerAfterMove(db: Db, companyId: string, person: PersonRow, clubId: string): Promise<void> {
  if (person.ownerUserId === null) return;
  const owner = await db
    .select({ id: users.id, role: users.role, clubIds: users.clubIds })
    .from(users)
    .where(and(eq(users.companyId, companyId), eq(users.id, person.ownerUserId)))
    .get();
  if (owner && !mayOwn(owner, { ...person, clubId }))
    throw new ApiError(
      422,
      'owner_not_in_club',
      "club_id: the person's owner is not allowed in that club; assign them to someone who is first",
    );
}

/** Partial update. Opt-in/opt-out changes are written with their consent_log rows and notes in one batch. */
export async function updatePerson(
  db: Db,
  auth: CompanyAuth,
  by: AuditBy,
  id: string,
  input: PersonUpdateInput,
  now = Date.now(),
): Promise<PersonRow> {
  const current = await getPerson(db, auth, id);
  const { whatsapp_consent: consent, club_id: clubId, ...fields } = input;
  const changes = await columnsOf(db, auth.companyId, fields);
  if (clubId !== undefined && clubId !== current.clubId) {
    await checkClubs(db, auth.companyId, auth.scope, [clubId]);
    await checkOwnerAfterMove(db, auth.companyId, current, clubId);
    changes.clubId = clubId;
  }
  const next = { ...current, ...changes };
  checkMembershipDates(next);
  const records = planConsent(
    context(auth, id, now),
    { whatsappOptedOut: current.whatsappOptedOut, smsOptedOut: current.smsOptedOut },
    { whatsappOptedOut: next.whatsappOptedOut, smsOptedOut: next.smsOptedOut },
    consent,
    { method: 'api' },
  );
  const columns = optOutColumns(changes, current, consent !== undefined);
  if (Object.keys(columns).length === 0 && records.log.length === 0) return current;
  // A new number is a new WhatsApp identity: Meta's id, the 24-hour window and the time of the latest STOP/START
  // (which orders keywords) belonged to the old one. The opt-out flag stays: only consent or START lifts it.
  const newNumber = columns.phone !== undefined && columns.phone !== current.phone;
  const newIdentity = { waId: null, whatsappLastInboundAt: null, whatsappKeywordAt: null };
  const update = db
    .update(people)
    .set({ ...columns, ...(newNumber ? newIdentity : {}), updatedAt: now })
    .where(and(eq(people.companyId, auth.companyId), eq(people.id, id)));
  const phoneChanged: AuditEntry[] = newNumber
    ? [
        {
          action: 'person.phone_changed',
          target: { type: 'person', id },
          details: { from: current.phone, to: changes.phone },
        },
      ]
    : [];
  await writeWith(db, { auth, by, now }, update, records, phoneChanged);
  return reread(db, auth.companyId, id);
}

/**
 * The staff "opt out of WhatsApp" action. Idempotent: someone already opted out is returned unchanged, with no
 * new consent_log row or note. There is deliberately no matching opt-in action: only a PUT carrying consent
 * evidence, or the person texting START, opts someone back in.
 */
export async function optOutWhatsapp(
  db: Db,
  auth: CompanyAuth,
  by: AuditBy,
  id: string,
  how: OptOutHow,
  now = Date.now(),
): Promise<PersonRow> {
  const current = await getPerson(db, auth, id);
  if (current.whatsappOptedOut) return current;
  const records = planConsent(
    context(auth, id, now),
    { whatsappOptedOut: false, smsOptedOut: current.smsOptedOut },
    { whatsappOptedOut: true, smsOptedOut: current.smsOptedOut },
    undefined,
    how,
  );
  const update = db
    .update(people)
    .set({ whatsappOptedOut: true, updatedAt: now })
    .where(and(eq(people.companyId, auth.companyId), eq(people.id, id)));
  await writeWith(db, { auth, by, now }, update, records);
  return reread(db, auth.companyId, id);
}
