// Embedded Signup's last step: the number becomes the company's, in one D1 batch with its audit entry and the
// signup's "connected". The company's first number lives on the company row (0015's triggers keep its
// whatsapp_numbers row); a further one is its own row for a club, with the token Meta gave for the WABA. WhatsApp
// is switched on unless the platform admin switched it off, checked inside the same statement.
import { and, asc, eq, sql } from 'drizzle-orm';
import { type AuditBy, auditRow } from '../../audit/record';
import { companyDb } from '../../db/company-data';
import { isUniqueViolation } from '../../db/errors';
import { auditLog, clubs, companies, whatsappNumbers, whatsappSignups } from '../../db/schema';
import { newId } from '../../ids';
import type { SignupRow, StepFailure } from './steps';

/** The platform admin's switch wins over a signup finishing at the same moment. */
const enabledUnlessSwitchedOff = sql<boolean>`(${companies.whatsappSwitchedOffAt} IS NULL)`;

export async function connectNumber(
  env: Env,
  row: SignupRow,
  claim: string,
  by: AuditBy,
  now: number,
): Promise<{ ok: true; row: SignupRow } | { ok: false; failure: StepFailure }> {
  const db = companyDb(env, row.companyId);
  const [company, numbers, firstClub] = await db.batch([
    db.select().from(companies).where(eq(companies.id, row.companyId)),
    db.select().from(whatsappNumbers).where(eq(whatsappNumbers.companyId, row.companyId)),
    db
      .select({ id: clubs.id })
      .from(clubs)
      .where(eq(clubs.companyId, row.companyId))
      .orderBy(asc(clubs.createdAt), asc(clubs.id))
      .limit(1),
  ]);
  const c = company[0];
  if (!c) return { ok: false, failure: { code: 'not_found', message: 'The company no longer exists.' } };
  if (c.wabaId !== null && c.wabaId !== row.wabaId)
    return {
      ok: false,
      failure: {
        code: 'waba_mismatch',
        message: `This gym’s numbers are under WhatsApp Business Account ${c.wabaId}, not ${row.wabaId}: pick that account in Facebook’s dialog.`,
      },
    };
  const first = c.phoneNumberId === null || c.phoneNumberId === row.phoneNumberId;
  const existing = numbers.find((n) => n.phoneNumberId === row.phoneNumberId);
  const where = and(eq(whatsappSignups.id, row.id), eq(whatsappSignups.claim, claim));
  const numberWrite = first
    ? db
        .update(companies)
        .set({
          wabaId: row.wabaId,
          phoneNumberId: row.phoneNumberId,
          displayPhoneNumber: row.displayPhoneNumber,
          // Sealed for this company already (the company id is the seal's additional data).
          accessTokenEnc: row.tokenEnc,
          whatsappEnabled: enabledUnlessSwitchedOff,
        })
        .where(eq(companies.id, row.companyId))
    : existing
      ? db
          .update(whatsappNumbers)
          .set({ displayPhoneNumber: row.displayPhoneNumber, accessTokenEnc: row.tokenEnc, disabledAt: null })
          .where(eq(whatsappNumbers.id, existing.id))
      : db.insert(whatsappNumbers).values({
          id: newId('wan'),
          companyId: row.companyId,
          clubId: row.clubId ?? firstClub[0]?.id ?? '',
          phoneNumberId: row.phoneNumberId,
          displayPhoneNumber: row.displayPhoneNumber,
          accessTokenEnc: row.tokenEnc,
        });
  try {
    const [, , updated] = await db.batch([
      numberWrite,
      db.update(companies).set({ whatsappEnabled: enabledUnlessSwitchedOff }).where(eq(companies.id, row.companyId)),
      db
        .update(whatsappSignups)
        .set({
          step: 'done',
          status: 'connected',
          errorCode: null,
          errorMessage: null,
          claim: null,
          claimedUntil: null,
          updatedAt: now,
        })
        .where(where)
        .returning(),
      db.insert(auditLog).values(
        auditRow(
          row.companyId,
          by,
          {
            action: 'whatsapp.connected',
            target: { type: 'company', id: row.companyId },
            details: {
              signup_id: row.id,
              waba_id: row.wabaId,
              phone_number_id: row.phoneNumberId,
              display_phone_number: row.displayPhoneNumber,
              verified_name: row.verifiedName,
              first,
              club_id: first
                ? (firstClub[0]?.id ?? null)
                : (existing?.clubId ?? row.clubId ?? firstClub[0]?.id ?? null),
              // Never the token itself.
              access_token: (first ? c.accessTokenEnc : existing?.accessTokenEnc) ? 'replaced' : 'set',
            },
          },
          now,
        ),
      ),
    ]);
    const done = updated[0];
    if (!done)
      return { ok: false, failure: { code: 'signup_in_progress', message: 'Another request took this signup over.' } };
    return { ok: true, row: done };
  } catch (err) {
    if (isUniqueViolation(err, 'phone_number_id'))
      return {
        ok: false,
        failure: {
          code: 'phone_number_taken',
          message:
            'This number is already connected to another ClubChat account (Meta delivers each number to one place).',
        },
      };
    throw err;
  }
}
