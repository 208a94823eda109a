import { and, eq } from 'drizzle-orm';
import { getDb } from '../db/client';
import { people } from '../db/schema';
import { newId } from '../ids';
import type { SaleType } from './policy';

/**
 * The person behind a WhatsApp id, made as a lead (named from their WhatsApp profile) when the number is new.
 * The unique (company, phone) index settles two first messages racing: one insert wins, both read it back.
 */
export async function findOrCreatePerson(
  env: Env,
  companyId: string,
  waId: string,
  names: { first: string; last: string | null },
): Promise<{ id: string; saleType: SaleType }> {
  const db = getDb(env);
  const phone = `+${waId}`;
  const find = () =>
    db
      .select({ id: people.id, saleType: people.saleType })
      .from(people)
      .where(and(eq(people.companyId, companyId), eq(people.phone, phone)))
      .get();
  const existing = await find();
  if (existing) return existing;
  const now = Date.now();
  await db
    .insert(people)
    .values({
      id: newId('per'),
      companyId,
      firstName: names.first,
      lastName: names.last,
      phone,
      status: 'lead',
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const created = await find();
  if (!created) throw new Error('person insert did not stick');
  return created;
}
