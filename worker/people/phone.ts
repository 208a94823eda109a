import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * E.164 (`+447412345678`) or null when the input is not a valid number. We store this form only, because
 * Meta's `wa_id` is the same digits without the plus and the people_company_phone unique index must see one
 * spelling per number. Input must carry its country code: we have no country to assume.
 */
export function normalisePhone(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim());
  return parsed?.isValid() ? parsed.number : null;
}
