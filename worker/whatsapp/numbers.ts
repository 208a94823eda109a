// A company's WhatsApp numbers (migrations/0015_clubs_and_numbers.sql): which one a message to a person goes
// from, and with which token. Pure choices over rows read elsewhere in the same round trip as the rest of a send.
import { and, asc, eq } from 'drizzle-orm';
import { openToken } from '../auth/token-seal';
import type { Db } from '../db/client';
import { companies as companiesTable, people, whatsappNumbers } from '../db/schema';
import type { MetaCredentials } from './meta/types';

export type NumberRow = typeof whatsappNumbers.$inferSelect;
type CompanyRow = typeof companiesTable.$inferSelect;

/** The company's numbers, oldest first: a handful per club, read whole. */
export const companyNumbersQuery = (db: Db, companyId: string) =>
  db
    .select()
    .from(whatsappNumbers)
    .where(eq(whatsappNumbers.companyId, companyId))
    .orderBy(asc(whatsappNumbers.createdAt), asc(whatsappNumbers.id));

/**
 * The number a message to this person goes from: the one they last wrote to, as Meta counts the window per
 * business number; else their club's (its first); else the company's first number, so a club without a number of
 * its own still reaches its people. Disabled numbers send nothing. Null when no enabled number is left.
 */
export function sendingNumber(
  numbers: readonly NumberRow[],
  person: { lastNumberId: string | null; clubId: string | null },
): NumberRow | null {
  const enabled = numbers.filter((n) => n.disabledAt === null);
  return (
    enabled.find((n) => n.phoneNumberId === person.lastNumberId) ??
    enabled.find((n) => n.clubId === person.clubId) ??
    enabled.find((n) => n.isFirst) ??
    enabled[0] ??
    null
  );
}

/** The number's own token if it has one, else the company's (one system user for the WABA). */
export async function credentialsFor(
  env: Env,
  company: CompanyRow,
  number: NumberRow,
): Promise<MetaCredentials | null> {
  const sealed = number.accessTokenEnc ?? company.accessTokenEnc;
  if (!sealed) return null;
  return { phoneNumberId: number.phoneNumberId, accessToken: await openToken(env, company.id, sealed) };
}

/**
 * The credentials for calls about a person's messages (blue ticks, media downloads): their sending number's,
 * which is the one they last wrote to while it is enabled. Null when nothing is connected, or when WhatsApp is
 * switched off and `whileEnabled` (a download of what already arrived needs only the token).
 */
export async function credentialsForPerson(
  env: Env,
  db: Db,
  companyId: string,
  personId: string | null,
  whileEnabled: boolean,
): Promise<MetaCredentials | null> {
  const [companyRows, personRows, numbers] = await db.batch([
    db.select().from(companiesTable).where(eq(companiesTable.id, companyId)),
    db
      .select({ lastNumberId: people.lastNumberId, clubId: people.clubId })
      .from(people)
      .where(and(eq(people.companyId, companyId), eq(people.id, personId ?? ''))),
    companyNumbersQuery(db, companyId),
  ]);
  const company = companyRows[0];
  if (!company || (whileEnabled && !company.whatsappEnabled)) return null;
  const number = sendingNumber(numbers, personRows[0] ?? { lastNumberId: null, clubId: null });
  return number ? credentialsFor(env, company, number) : null;
}
