/**
 * The canonical IANA name for a time zone ("europe/london" -> "Europe/London"), or null if Intl does not know
 * it. Automations schedule in the company's local time, so an unknown zone must be refused up front.
 */
export function canonicalTimezone(tz: string): string | null {
  try {
    return new Intl.DateTimeFormat('en-GB', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
