import { and, eq } from 'drizzle-orm';
import { IDEMPOTENCY_KEY_LIFETIME_MS } from '#common/idempotency';
import { sha256Hex } from '../auth/crypto';
import type { Db } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { ApiError } from '../errors';
import { newId } from '../ids';

const TTL_MS = IDEMPOTENCY_KEY_LIFETIME_MS;

export type Reservation =
  | { kind: 'fresh'; messageId: string }
  /** Same key, same body, answered before: replay the first answer. */
  | { kind: 'replay'; status: number; body: string }
  /** Same key, same body, no answer stored (a crash or a concurrent retry): carry on with the same message id,
   * which the conversation object sends at most once. */
  | { kind: 'resume'; messageId: string };

/**
 * Reserves an Idempotency-Key for a request. The message id is fixed here, before anything is sent, so a
 * retried request can only ever name the message the first one created.
 */
export async function reserve(db: Db, companyId: string, key: string, fingerprint: unknown): Promise<Reservation> {
  if (key.length < 1 || key.length > 255)
    throw new ApiError(422, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 characters');
  const requestHash = await sha256Hex(JSON.stringify(fingerprint));
  // Two rounds at most: a reservation that loses a race to take over an expired key reads the winner's row.
  for (let round = 0; round < 2; round++) {
    const now = Date.now();
    const messageId = newId('his');
    const inserted = await db
      .insert(idempotencyKeys)
      .values({ companyId, key, requestHash, messageId, createdAt: now })
      .onConflictDoNothing()
      .returning({ messageId: idempotencyKeys.messageId });
    if (inserted.length > 0) return { kind: 'fresh', messageId };

    const where = and(eq(idempotencyKeys.companyId, companyId), eq(idempotencyKeys.key, key));
    const existing = await db.select().from(idempotencyKeys).where(where).get();
    if (!existing) continue; // swept between our two statements: insert again
    if (existing.createdAt < now - TTL_MS) {
      // Expired: take it over, but only if no one else has (the guard on the old created_at decides).
      const taken = await db
        .update(idempotencyKeys)
        .set({ requestHash, messageId, responseStatus: null, responseBody: null, createdAt: now })
        .where(and(where, eq(idempotencyKeys.createdAt, existing.createdAt)))
        .returning({ messageId: idempotencyKeys.messageId });
      if (taken.length > 0) return { kind: 'fresh', messageId };
      continue;
    }
    if (existing.requestHash !== requestHash)
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request');
    if (existing.responseStatus !== null && existing.responseBody !== null)
      return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
    return { kind: 'resume', messageId: existing.messageId };
  }
  throw new ApiError(409, 'idempotency_key_busy', 'This Idempotency-Key is being used by another request; retry');
}

export async function remember(db: Db, companyId: string, key: string, status: number, body: string): Promise<void> {
  await db
    .update(idempotencyKeys)
    .set({ responseStatus: status, responseBody: body })
    .where(and(eq(idempotencyKeys.companyId, companyId), eq(idempotencyKeys.key, key)));
}

/** A refused request changed nothing, so its key is free for the corrected retry. */
export async function release(db: Db, companyId: string, key: string): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.companyId, companyId), eq(idempotencyKeys.key, key)));
}
