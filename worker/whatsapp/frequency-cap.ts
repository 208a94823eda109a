// The company's frequency cap: at most `max` marketing templates per person in `days` days, broadcasts and
// automated items together (issue 17). Decided in D1, in the batch that claims the send: a ledger row per
// marketing claim (`marketing_sends`, id = the claimed row's id) is inserted only while the person has fewer than
// `max` inside the period, and the claim goes only when its ledger row exists. D1 runs one batch at a time, so two
// claims racing for the same person (a broadcast and an automated item, two consumers) are decided one after the
// other, and the second sees the first's row. Meta caps marketing on its side too (131049, policy.ts).

import { FREQUENCY_CAP_LIMITS, type FrequencyCap } from '#common/frequency-cap';

// The bounds and default live in common/ so the Settings screen checks the same numbers.
export { DEFAULT_FREQUENCY_CAP, FREQUENCY_CAP_LIMITS, type FrequencyCap } from '#common/frequency-cap';

const DAY_MS = 86_400_000;

export const capOf = (company: { frequencyCapMax: number; frequencyCapDays: number }): FrequencyCap => ({
  max: company.frequencyCapMax,
  days: company.frequencyCapDays,
});

/** The start of the period a claim at `now` counts in. */
export const periodStart = (cap: FrequencyCap, now: number): number => now - cap.days * DAY_MS;

/** The tables whose rows claim sends; they share their columns (automations/claims.ts). */
export type ClaimTable = 'automation_occurrences' | 'broadcast_recipients';

/** The ledger row for a claim not made yet, when the person is under the cap. Runs before the claim itself. */
export function capReserveStatement(
  d1: D1Database,
  table: ClaimTable,
  row: { id: string; companyId: string; personId: string },
  cap: FrequencyCap,
  now: number,
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO marketing_sends (id, company_id, person_id, at)
       SELECT ?1, ?2, ?3, ?4
        WHERE EXISTS (SELECT 1 FROM ${table} WHERE id = ?1 AND state = 'pending' AND claimed_at IS NULL)
          AND (SELECT count(*) FROM marketing_sends WHERE company_id = ?2 AND person_id = ?3 AND at > ?5) < ?6
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(row.id, row.companyId, row.personId, now, periodStart(cap, now), cap.max);
}

/** The claim's extra condition: claimed before (a retry), or holding its ledger row. `idParam`: the row id's. */
export const capGuardSql = (idParam: string): string =>
  `(claimed_at IS NOT NULL OR EXISTS (SELECT 1 FROM marketing_sends WHERE id = ${idParam}))`;

/** After the claim, in the same batch: a row left without a ledger row is skipped `frequency_cap`. */
export function capSkipStatement(d1: D1Database, table: ClaimTable, id: string, now: number): D1PreparedStatement {
  return d1
    .prepare(
      `UPDATE ${table} SET state = 'skipped', reason = 'frequency_cap', updated_at = ?2
        WHERE id = ?1 AND state = 'pending' AND claimed_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM marketing_sends WHERE id = ?1)`,
    )
    .bind(id, now);
}

/** A claim whose send never reached Meta (refused on our side: opted out since...) gives its place back. */
export const capReleaseStatement = (d1: D1Database, id: string): D1PreparedStatement =>
  d1.prepare('DELETE FROM marketing_sends WHERE id = ?1').bind(id);

/** SQL over `people p`: the person already had `max` marketing templates in the period (binds: start, max). */
export const overCapSql = `(SELECT count(*) FROM marketing_sends m
  WHERE m.company_id = p.company_id AND m.person_id = p.id AND m.at > ?) >= ?`;

/** Ledger rows older than any period the cap may be set to count nothing: the daily cron deletes them. */
export async function pruneMarketingSends(d1: D1Database, now: number): Promise<void> {
  await d1
    .prepare('DELETE FROM marketing_sends WHERE at < ?1')
    .bind(now - (FREQUENCY_CAP_LIMITS.days.max + 1) * DAY_MS)
    .run();
}
