// A phone number as a request gives it, in any spelling: read in the company's country when it carries no
// country code (phone.ts), or refused in words. The country is read only when the number needs it.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { companies } from '../db/schema';
import { ApiError } from '../errors';
import { normalisePhone, phoneCountry } from './phone';

/** Written with its country code: "+44…", "0044…" (00 is the international prefix most countries dial). */
const INTERNATIONAL = /^\s*(\+|00)/;

async function countryFor(db: Db, companyId: string, input: string) {
  if (INTERNATIONAL.test(input)) return undefined;
  const row = await db.select({ country: companies.country }).from(companies).where(eq(companies.id, companyId)).get();
  return phoneCountry(row?.country);
}

/** E.164, or 422 `invalid_phone` saying how to write it. */
export async function phoneOrThrow(db: Db, companyId: string, input: string): Promise<string> {
  const country = await countryFor(db, companyId, input);
  const phone = normalisePhone(input, country);
  if (phone) return phone;
  const how = country
    ? `with its country code (e.g. +447412345678) or as a number in ${country}`
    : 'in E.164, e.g. +447412345678';
  throw new ApiError(422, 'invalid_phone', `"${input}" is not a valid phone number; send it ${how}`);
}
