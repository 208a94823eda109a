// Connecting a company's further WhatsApp numbers, one per club or more. The unique index on phone_number_id
// decides which company a number's webhooks reach, not a check-then-insert; each change is written with its
// audit entry in one D1 batch.
import { and, eq } from 'drizzle-orm';
import { type AuditBy, auditRow } from '../audit/record';
import { sealToken } from '../auth/token-seal';
import { requireClub } from '../clubs/service';
import { companyDb } from '../db/company-data';
import { isUniqueViolation } from '../db/errors';
import { auditLog, whatsappNumbers } from '../db/schema';
import { ApiError, notFound } from '../errors';
import { newId } from '../ids';
import { companyNumbersQuery, type NumberRow } from '../whatsapp/numbers';
import type { NumberCreateInput, NumberJson, NumberUpdateInput } from './numbers-schemas';
import { getCompany, PHONE_NUMBER_TAKEN } from './service';

type Keys = Pick<Env, 'DB' | 'DATA_ENCRYPTION_KEY' | 'DATA_ENCRYPTION_KEY_PREVIOUS'>;

/** A WABA holds a limited number of numbers at Meta; this bounds the list the webhook and sends read whole. */
export const MAX_NUMBERS = 100;

export function serializeNumber(n: NumberRow): NumberJson {
  return {
    id: n.id,
    club_id: n.clubId,
    phone_number_id: n.phoneNumberId,
    display_phone_number: n.displayPhoneNumber,
    access_token_set: n.accessTokenEnc !== null,
    messages_per_second: n.messagesPerSecond,
    first: n.isFirst,
    enabled: n.disabledAt === null,
    created_at: new Date(n.createdAt).toISOString(),
  };
}

export async function listNumbers(env: Keys, companyId: string): Promise<NumberRow[]> {
  const db = companyDb(env, companyId);
  await getCompany(db, companyId);
  return companyNumbersQuery(db, companyId).all();
}

export async function addNumber(
  env: Keys,
  companyId: string,
  input: NumberCreateInput,
  by: AuditBy,
): Promise<NumberRow> {
  const db = companyDb(env, companyId);
  const company = await getCompany(db, companyId);
  // Templates live on the WABA: a number means nothing to us before the company's WABA is connected.
  if (!company.wabaId)
    throw new ApiError(
      409,
      'whatsapp_not_configured',
      "Connect the company's WABA and first number with PUT /api/admin/companies/{id}/whatsapp first",
    );
  await requireClub(db, companyId, input.club_id);
  if ((await db.$count(whatsappNumbers, eq(whatsappNumbers.companyId, companyId))) >= MAX_NUMBERS)
    throw new ApiError(409, 'too_many_numbers', `A company connects at most ${MAX_NUMBERS} numbers`);
  const row: NumberRow = {
    id: newId('wan'),
    companyId,
    clubId: input.club_id,
    phoneNumberId: input.phone_number_id,
    displayPhoneNumber: input.display_phone_number,
    accessTokenEnc: input.access_token ? await sealToken(env, companyId, input.access_token) : null,
    messagesPerSecond: input.messages_per_second ?? null,
    isFirst: false,
    disabledAt: null,
    createdAt: Date.now(),
  };
  try {
    await db.batch([
      db.insert(whatsappNumbers).values(row),
      db.insert(auditLog).values(
        auditRow(companyId, by, {
          action: 'whatsapp.number_added',
          target: { type: 'whatsapp_number', id: row.id },
          details: {
            club_id: row.clubId,
            phone_number_id: row.phoneNumberId,
            display_phone_number: row.displayPhoneNumber,
            access_token: row.accessTokenEnc ? 'set' : 'company',
          },
        }),
      ),
    ]);
  } catch (err) {
    if (isUniqueViolation(err, 'whatsapp_numbers.phone_number_id')) throw PHONE_NUMBER_TAKEN;
    throw err;
  }
  return row;
}

export async function updateNumber(
  env: Keys,
  companyId: string,
  numberId: string,
  input: NumberUpdateInput,
  by: AuditBy,
): Promise<NumberRow> {
  const db = companyDb(env, companyId);
  const where = and(eq(whatsappNumbers.companyId, companyId), eq(whatsappNumbers.id, numberId));
  const current = await db.select().from(whatsappNumbers).where(where).get();
  if (!current) throw notFound('Number');
  if (input.club_id !== undefined) await requireClub(db, companyId, input.club_id);
  const disabledAt =
    input.enabled === undefined ? current.disabledAt : input.enabled ? null : (current.disabledAt ?? Date.now());
  const clubId = input.club_id ?? current.clubId;
  const details = {
    phone_number_id: current.phoneNumberId,
    ...(clubId !== current.clubId ? { club_id: { from: current.clubId, to: clubId } } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
  };
  const [rows] = await db.batch([
    db.update(whatsappNumbers).set({ disabledAt, clubId }).where(where).returning(),
    db.insert(auditLog).values(
      auditRow(companyId, by, {
        action: input.enabled === false ? 'whatsapp.number_disabled' : 'whatsapp.number_changed',
        target: { type: 'whatsapp_number', id: numberId },
        details,
      }),
    ),
  ]);
  const row = rows[0];
  if (!row) throw notFound('Number');
  return row;
}
