import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';

/** A company's country as the phone rules take it: an ISO 3166-1 alpha-2 code libphonenumber knows. */
export function phoneCountry(code: string | null | undefined): CountryCode | undefined {
  const upper = code?.trim().toUpperCase();
  return upper && isSupportedCountry(upper) ? upper : undefined;
}

/**
 * E.164 (`+447412345678`) or null when the input is not a valid number. We store this form only, because
 * Meta's `wa_id` is the same digits without the plus and the people_company_phone unique index must see one
 * spelling per number. A number written without its country code ("07412 345678", "(0)7412 345678") is read
 * as `country`'s, the company's; one written with it ("+44 7412 345678", "0044 7412 345678") is read as
 * written. Without a country only international forms work (also bare digits, "447412345678", as a wa_id reads).
 */
export function normalisePhone(input: string, country?: CountryCode): string | null {
  const text = input.trim();
  const parsed = parsePhoneNumberFromString(text, country);
  if (parsed?.isValid()) return parsed.number;
  // "00" is the international prefix most countries dial. Bare digits (a wa_id, a number pasted without its
  // "+") are read as international only when there is no country to read them in: with one, a mistyped
  // national number could otherwise pass as some other country's.
  const digits = text.replace(/[\s().-]/g, '');
  const international = /^00[1-9]\d{6,14}$/.test(digits)
    ? digits.slice(2)
    : !country && /^[1-9]\d{6,14}$/.test(digits)
      ? digits
      : null;
  if (international) {
    const parsedInternational = parsePhoneNumberFromString(`+${international}`);
    if (parsedInternational?.isValid()) return parsedInternational.number;
  }
  return null;
}
