// Search people by name, email or phone, as the staff type it: prefixes of words, any case, with or without
// accents ("jose" finds José), and a phone in any spelling ("+44 7412 345601", "07412 345601", "7412345") or
// by its last digits ("345601"). It asks the `people_search` FTS5 index (migrations/0007_inbox_rows.sql), which
// folds case and accents and holds the phone's digits with and without a 1- to 3-digit country code and its
// last 4 to 8 digits, so every lookup is an index walk.

import { z } from '@hono/zod-openapi';

/** What `q=` takes. Two characters at least: one letter matches a tenth of a gym chain, all to be sorted. */
export const searchText = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .openapi({ description: 'The start of a name, email or phone number (any spelling, any case, accents or not)' });

/** A phone as typed: digits with the usual separators, and enough digits to mean a number. */
const PHONE_LIKE = /^[+\d\s().-]+$/;
const MIN_PHONE_DIGITS = 3;

/** FTS5 string literal: inside double quotes, a double quote is doubled. */
const phrase = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/**
 * The FTS5 MATCH expression for what a person typed, or null when nothing in it can match (only punctuation).
 * Every word must start a word of the person's name or email; a phone-like query, a form of their number.
 */
export function searchMatch(typed: string): string | null {
  const text = typed.normalize('NFKC').trim();
  const digits = text.replace(/\D/g, '');
  if (PHONE_LIKE.test(text) && digits.length >= MIN_PHONE_DIGITS) {
    // A national number's trunk 0 is not part of the stored digits: "07412…" is found as "7412…". Last digits
    // are stored as they are, and may start with 0 ("the one ending 0188"): then ask for both.
    const number = digits.replace(/^0+/, '') || digits;
    if (number === digits) return `phone : ${phrase(digits)} *`;
    return `phone : ${phrase(number)} * OR phone : ${phrase(digits)} *`;
  }
  const words = text
    .split(/\s+/)
    // Only letters and digits reach the index; a word of punctuation alone would match nothing.
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((w) => `terms : ${phrase(w)} *`).join(' AND ');
}
