// The daily sweep: tables that only grow are cut back to what can still matter (the audit log to its two
// years, audit/retention.ts), and access tokens sealed under an old key are sealed again under the current one
// (see auth/token-seal.ts).

import { and, eq, isNotNull } from 'drizzle-orm';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from '#common/idempotency';
import { deleteExpiredAudit } from '../audit/retention';
import { needsReseal, openToken, sealToken } from '../auth/token-seal';
import { platformDatabase, platformDb } from '../db/client';
import { companies } from '../db/schema';

const DAY_MS = 24 * 60 * 60 * 1000;
/** An Idempotency-Key is honoured for its lifetime (common/idempotency.ts); a day more covers clock skew. */
export const IDEMPOTENCY_KEEP_MS = IDEMPOTENCY_KEY_LIFETIME_MS + DAY_MS;
/** Dead letters wait for a feature that can replay them, or for a person to read them. */
export const DEAD_LETTER_KEEP_MS = 90 * DAY_MS;
/** Rows deleted per statement: each delete stays well inside D1's per-query limits. */
const CHUNK = 1000;

export interface SweepReport {
  idempotencyKeys: number;
  deadLetters: number;
  auditEntries: number;
  tokensResealed: number;
}

export async function sweepExpired(env: Env, now: number): Promise<void> {
  const report = await sweep(env, now);
  console.log('daily sweep', JSON.stringify(report));
}

export async function sweep(env: Env, now: number): Promise<SweepReport> {
  return {
    idempotencyKeys: await deleteOlderThan(
      platformDatabase(env),
      'idempotency_keys',
      'created_at',
      now - IDEMPOTENCY_KEEP_MS,
    ),
    deadLetters: await deleteOlderThan(
      platformDatabase(env),
      'webhook_dead_letters',
      'received_at',
      now - DEAD_LETTER_KEEP_MS,
    ),
    auditEntries: await deleteExpiredAudit(platformDatabase(env), now),
    tokensResealed: await resealTokens(env),
  };
}

async function deleteOlderThan(db: D1Database, table: string, column: string, before: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { meta } = await db
      .prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${column} < ? LIMIT ${CHUNK})`)
      .bind(before)
      .run();
    total += meta.changes;
    if (meta.changes < CHUNK) return total;
  }
}

/** A token still sealed under DATA_ENCRYPTION_KEY_PREVIOUS (or the old v1 format) is sealed under the current key. */
async function resealTokens(env: Env): Promise<number> {
  const db = platformDb(env);
  const rows = await db
    .select({ id: companies.id, sealed: companies.accessTokenEnc })
    .from(companies)
    .where(isNotNull(companies.accessTokenEnc))
    .all();
  let resealed = 0;
  for (const row of rows) {
    if (!row.sealed || !(await needsReseal(env, row.sealed))) continue;
    try {
      const token = await openToken(env, row.id, row.sealed);
      const sealed = await sealToken(env, row.id, token);
      // Guarded on the old value: a token replaced by an admin meanwhile is left as the admin set it.
      await db
        .update(companies)
        .set({ accessTokenEnc: sealed })
        .where(and(eq(companies.id, row.id), eq(companies.accessTokenEnc, row.sealed)))
        .run();
      resealed += 1;
    } catch (err) {
      console.error('could not reseal the access token of', row.id, err);
    }
  }
  return resealed;
}
